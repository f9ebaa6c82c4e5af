"""Property-based: any file — articles in any layout, JSON with any values, broken JSON Lines,
random bytes in any encoding — is read or reported, never raised; good records beside bad ones
are kept; what is read carries no text that cannot be indexed or shown (issue 11).

Run more examples with ``HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_properties_*.py``.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path

from conftest import property_settings
from hypothesis import given
from hypothesis import strategies as st

from newssearch import index_paths
from newssearch.ingest.dates import article_date_window
from newssearch.ingest.formats.base import FileRead
from newssearch.ingest.read import read_file
from newssearch.models import Article, ReadProblem

SUFFIXES = [".txt", ".json", ".jsonl", ""]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]
WORDS = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=20).filter(str.strip)
ANY_TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from("\x00\x1b\u202e\r\n\t\u2028\ufeff")), max_size=40)
DATE_TEXT = st.one_of(st.dates().map(str), st.sampled_from(["March", "10:30", "12", "Tuesday", "0001-01-01",
                                                            "9999-12-31", "2025", "Aug 15 2025", "2016-02-30"]),
                      ANY_TEXT)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), ANY_TEXT, DATE_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(ANY_TEXT, children, max_size=3)),
    max_leaves=8)
FIELDS = ["id", "url", "title", "headline", "text", "maintext", "body", "content", "date", "date_publish",
          "published", "section", "categories", "source", "subtitle", "description", "authors", "author"]
RECORDS = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=8)


def _text_article(parts: tuple[str, str, str, str, list[str]]) -> str:
    header, title, subtitle, dateline, body = parts
    return "\n".join([header, title, subtitle, dateline, "", "\n\n".join(body)])


TEXT_ARTICLES = st.tuples(
    st.one_of(st.just(""), st.builds(lambda d, s: f" date {d} {s}", DATE_TEXT, ANY_TEXT)),
    ANY_TEXT, ANY_TEXT, st.one_of(ANY_TEXT, DATE_TEXT), st.lists(ANY_TEXT, max_size=4),
).map(_text_article)
HOSTILE_JSON = st.sampled_from([
    "[" * 10_000 + "]" * 10_000, '{"title": "t", "text": "x", "n": ' + "9" * 5000 + "}", '{"title": "\\ud800"}',
    '{"title": "a", "text": "b"', "\x00", "[1, 2", "]", '"\\u0000"', "1e999999", "-" * 50, "{}" * 3])
FILE_CONTENTS = st.one_of(
    TEXT_ARTICLES,
    RECORDS.map(lambda record: json.dumps(record, ensure_ascii=False)),
    st.lists(RECORDS, max_size=4).map(lambda records: json.dumps(records)),
    st.lists(st.one_of(RECORDS.map(json.dumps), HOSTILE_JSON, ANY_TEXT), max_size=6).map("\n".join),
    HOSTILE_JSON,
)


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace" if encoding in ("cp1252", "latin-1") else "surrogatepass")


def assert_well_formed(read: FileRead) -> None:
    """What a reader returns can be indexed and printed: one-line problems, no lone surrogates,
    a title and a body, dates within the window."""
    first, last = article_date_window()
    for problem in read.problems:
        assert isinstance(problem, ReadProblem) and "\n" not in str(problem)
    for article in read.articles:
        assert isinstance(article, Article)
        assert article.title.strip() and article.body and all(block.strip() for block in article.body)
        for value in (article.id, article.title, article.subtitle, article.section, article.source, article.url,
                      *article.body, *article.authors):
            value.encode("utf-8")
        assert article.date is None or first <= article.date <= last


@property_settings()
@given(FILE_CONTENTS, st.sampled_from(SUFFIXES), st.sampled_from(ENCODINGS))
def test_any_file_is_read_or_reported(content: str, suffix: str, encoding: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder, f"article{suffix}")
        file.write_bytes(_encode(content, encoding))
        assert_well_formed(read_file(file))


@property_settings()
@given(st.binary(max_size=2000), st.sampled_from(SUFFIXES))
def test_any_bytes_are_read_or_reported(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder, f"article{suffix}")
        file.write_bytes(data)
        assert_well_formed(read_file(file))


GOOD_RECORDS = st.builds(lambda title, text: {"title": title, "text": text}, WORDS, WORDS)
BAD_LINES = st.one_of(
    HOSTILE_JSON.filter(lambda line: "title" not in line or "\\ud800" in line),
    ANY_TEXT.map(lambda text: text.replace("\n", " ").replace("\r", " ").replace("\u2028", " ")).filter(
        lambda line: not line.lstrip().startswith("{")),
    GOOD_RECORDS.map(lambda record: json.dumps(record)[:-1] + "\x00}"),
    st.just('{"title": "no text"}'),
)


@property_settings()
@given(st.lists(st.one_of(GOOD_RECORDS.map(lambda r: ("good", r)), BAD_LINES.map(lambda b: ("bad", b))),
                max_size=12), st.sampled_from(["utf-8", "utf-16"]))
def test_every_good_json_line_is_kept_whatever_lines_surround_it(lines: list[tuple[str, object]],
                                                                 encoding: str) -> None:
    text = "\n".join(json.dumps(item) if kind == "good" else str(item) for kind, item in lines)
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder, "mixed.jsonl")
        file.write_bytes(text.encode(encoding, errors="surrogatepass"))
        read = read_file(file)
    assert_well_formed(read)
    expected = [item["title"] for kind, item in lines if kind == "good"]  # type: ignore[index]
    assert [article.title for article in read.articles] == [" ".join(title.split()) for title in expected]


@property_settings(0.2)
@given(st.lists(st.tuples(FILE_CONTENTS, st.sampled_from(SUFFIXES)), min_size=1, max_size=4),
       st.one_of(st.none(), st.dates(min_value=date(1600, 1, 1), max_value=date(2030, 1, 1))))
def test_indexing_any_files_reports_problems_and_never_raises(files: list[tuple[str, str]], default: date | None) -> None:
    from newssearch import ReadOptions

    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder, "docs")
        docs.mkdir()
        for number, (content, suffix) in enumerate(files):
            Path(docs, f"{number}{suffix or '.txt'}").write_bytes(content.encode("utf-8", errors="surrogatepass"))
        report = index_paths([docs], Path(folder, "index"), options=ReadOptions(date=default), jobs=1)
        from newssearch import NewsIndex
        with NewsIndex.open(Path(folder, "index")) as news:
            results = news.search("*", limit=1000)
            assert results.total == report.paragraphs
            json.dumps(results.to_dict(), ensure_ascii=False).encode("utf-8")
        accounted = {os.path.abspath(hit.path) for hit in results} | {os.path.abspath(p.path) for p in report.problems}
        assert {os.path.abspath(file) for file in docs.iterdir()} <= accounted  # indexed, or said why not
