"""JSON articles (``.json``: one object or a list of them) and JSON Lines (``.jsonl``, ``.ndjson``:
one object per line, a broken line skipping only itself), with the keys of the corpora,
news-please and trafilatura."""

from __future__ import annotations

import re

from newssearch.ingest.dates import article_date, parse_date_text
from newssearch.ingest.formats.base import FileRead, normalise_newlines, shown
from newssearch.ingest.json_input import SURROGATES_REPLACED, JsonProblem, load_document, loads, without_surrogates
from newssearch.models import Article, ReadProblem

_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n\s*")


def read_json(text: str, article_id: str, result: FileRead, first_line: int = 1) -> None:
    """One object or a list of them; in a list, ``line`` numbers the records."""
    records = 0
    for number, record in load_document(text):
        records += 1
        if isinstance(record, JsonProblem):
            result.problems.append(ReadProblem(result.path, record.reason, line=number or record.line))
            continue
        _add_record(record, article_id if number is None else f"{article_id}:{number}", result, line=number)
    if not records:
        result.problems.append(ReadProblem(result.path, "no article: the JSON holds an empty list"))


def read_json_lines(text: str, article_id: str, result: FileRead, first_line: int = 1) -> None:
    for line_number, line in enumerate(text.split("\n"), first_line):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except JsonProblem as problem:
            result.problems.append(ReadProblem(result.path, problem.reason, line=line_number))
            continue
        _add_record(record, f"{article_id}:{line_number}", result, line=line_number)


def _add_record(record: object, fallback_id: str, result: FileRead, line: int | None) -> None:
    try:
        article, warnings = article_from_record(record, fallback_id)
    except ValueError as error:
        result.problems.append(ReadProblem(result.path, str(error), line=line))
        return
    result.articles.append(article)
    result.problems.extend(ReadProblem(result.path, w, line=line, skipped=False) for w in warnings)


def article_from_record(record: object, fallback_id: str) -> tuple[Article, list[str]]:
    """Make an article from a JSON object with the keys of the corpora, news-please or trafilatura."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, found {type(record).__name__}")
    title = _text_value(record, "title", "headline")
    if not title:
        raise ValueError("record has no title")
    body_text = _text_value(record, "text", "maintext", "body", "content")
    if not body_text:
        raise ValueError("record has no text (looked for text, maintext, body, content)")
    warnings: list[str] = []
    raw_date = _text_value(record, "date", "date_publish", "published", "date_published")
    record_date = parse_date_text(raw_date) if raw_date else None
    if raw_date and record_date is None:
        warnings.append(f"date {shown(raw_date)} is not a valid date; date left empty")
    elif record_date is not None:
        record_date, problem = article_date(record_date)
        warnings.extend([problem] if problem else [])
    url = _text_value(record, "url")
    article, replaced = without_surrogates(Article(
        id=_text_value(record, "id") or url or fallback_id,
        title=" ".join(title.split()),
        body=split_body_text(body_text),
        subtitle=_text_value(record, "subtitle", "description", "standfirst"),
        date=record_date,
        section=_first_category(record.get("section") or record.get("categories")),
        source=_text_value(record, "source", "source_domain", "sitename", "hostname"),
        url=url,
        authors=_authors(record.get("authors", record.get("author"))),
    ))
    return article, warnings + ([SURROGATES_REPLACED] if replaced else [])


def split_body_text(text: str) -> tuple[str, ...]:
    """Split body text into blocks: at blank lines if it has any, else at each newline."""
    text = normalise_newlines(text).strip()
    parts = _BLANK_LINE_RE.split(text) if _BLANK_LINE_RE.search(text) else text.split("\n")
    return tuple(" ".join(p.split()) for p in parts if p.strip())


def _text_value(record: dict[str, object], *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return ""


def _first_category(value: object) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if not isinstance(value, str):
        return ""
    return re.split(r"[;,]", value)[0].strip()


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r";|\band\b", value)
    if not isinstance(value, list):
        return ()
    return tuple(a.strip() for a in value if isinstance(a, str) and a.strip())
