"""Input files written to break the readers: every problem is reported, nothing is raised, and
the good records beside a bad one are kept (issue 11, items 5 and 10)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from newssearch import index_paths
from newssearch.ingest.dates import article_date, parse_date_text
from newssearch.ingest.read import read_file

GOOD = {"title": "Harbour festival opens", "text": "The harbour festival opened on Friday."}
GOOD_LINE = json.dumps(GOOD)
DEEP = "[" * 10_000 + "]" * 10_000
HUGE_NUMBER = "9" * 5_000


def titles(read) -> list[str]:  # type: ignore[no-untyped-def]
    return [article.title for article in read.articles]


def test_json_nested_ten_thousand_levels_is_reported_not_raised(tmp_path: Path) -> None:
    file = tmp_path / "deep.json"
    file.write_text(DEEP, encoding="utf-8")
    read = read_file(file)
    assert read.articles == []
    assert [p.skipped for p in read.problems] == [True]
    assert "nested too deeply" in read.problems[0].reason


def test_json_line_nested_too_deeply_loses_only_that_line(tmp_path: Path) -> None:
    file = tmp_path / "mixed.jsonl"
    file.write_text("\n".join([GOOD_LINE, DEEP, GOOD_LINE]) + "\n", encoding="utf-8")
    read = read_file(file)
    assert titles(read) == [GOOD["title"]] * 2
    assert [(p.line, p.skipped) for p in read.problems] == [(2, True)]


def test_five_thousand_digit_number_does_not_lose_the_record(tmp_path: Path) -> None:
    file = tmp_path / "number.json"
    file.write_text('{"title": "Big count", "text": "A body.", "views": ' + HUGE_NUMBER + "}", encoding="utf-8")
    read = read_file(file)
    assert titles(read) == ["Big count"]
    assert read.problems == []


def test_five_thousand_digit_number_as_the_id_keeps_its_digits(tmp_path: Path) -> None:
    file = tmp_path / "number.jsonl"
    file.write_text('{"id": ' + HUGE_NUMBER + ', "title": "T", "text": "Body."}\n' + GOOD_LINE + "\n",
                    encoding="utf-8")
    read = read_file(file)
    assert [a.id for a in read.articles][0] == HUGE_NUMBER
    assert titles(read) == ["T", GOOD["title"]]


def test_json_list_with_one_broken_element_keeps_the_others(tmp_path: Path) -> None:
    file = tmp_path / "list.json"
    broken = '{"title": "x", "text": ' + "[" * 5000 + "]" * 5000 + "}"
    file.write_text("[\n" + ",\n".join([GOOD_LINE, broken, '{"title": "oops" "text": 1}', GOOD_LINE]) + "\n]",
                    encoding="utf-8")
    read = read_file(file)
    assert titles(read) == [GOOD["title"]] * 2
    assert [(p.line, p.skipped) for p in read.problems] == [(2, True), (3, True)]
    assert "nested too deeply" in read.problems[0].reason
    assert "invalid JSON" in read.problems[1].reason


def test_lone_surrogate_escapes_are_replaced_and_reported(tmp_path: Path) -> None:
    file = tmp_path / "surrogate.json"
    file.write_text('{"title": "a \\ud800 b", "text": "body \\udfff here", "authors": ["\\udc00x"]}', encoding="utf-8")
    read = read_file(file)
    [article] = read.articles
    assert article.title == "a \ufffd b" and article.body == ("body \ufffd here",)
    assert article.authors == ("\ufffdx",)
    assert [p.skipped for p in read.problems] == [False]
    assert "surrogate" in read.problems[0].reason


def test_lone_surrogates_never_reach_the_index(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "s.json").write_text('{"title": "\\ud800", "text": "cocoa \\udfff"}', encoding="utf-8")
    report = index_paths([tmp_path / "docs"], tmp_path / "index")
    assert report.paragraphs == 1
    from newssearch import NewsIndex
    with NewsIndex.open(tmp_path / "index") as news:
        [hit] = news.search("cocoa").hits
    hit.text.encode("utf-8")  # would raise on a lone surrogate


def test_a_huge_date_string_is_rejected_quickly_with_a_short_message(tmp_path: Path) -> None:
    file = tmp_path / "date.json"
    file.write_text(json.dumps({**GOOD, "date": "2025 " * 100_000}), encoding="utf-8")
    read = read_file(file)
    assert titles(read) == [GOOD["title"]] and read.articles[0].date is None
    assert len(str(read.problems[0])) < 200


def test_one_nul_byte_in_a_json_lines_file_drops_only_its_line(tmp_path: Path) -> None:
    file = tmp_path / "nul.jsonl"
    file.write_bytes(b'{"title": "bad\x00", "text": "y"}\n' + (GOOD_LINE + "\n").encode() * 3)
    read = read_file(file)
    assert titles(read) == [GOOD["title"]] * 3
    assert [(p.line, p.skipped) for p in read.problems] == [(1, True)]


def test_a_real_binary_file_named_jsonl_is_one_problem(tmp_path: Path) -> None:
    file = tmp_path / "archive.jsonl"
    file.write_bytes(bytes(range(256)) * 64)
    read = read_file(file)
    assert read.articles == []
    assert len(read.problems) == 1 and "binary" in read.problems[0].reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_json_lines_over_the_span_size_keep_every_record(tmp_path: Path, encoding: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from newssearch.indexing import plan as indexer

    monkeypatch.setattr(indexer, "JSONL_SPAN_BYTES", 2**14)  # 1 MB in real runs; 16 KB keeps the test quick
    file = tmp_path / "wide.jsonl"
    records = [json.dumps({"id": f"r{n}", "title": f"Record {n} ü", "text": "ü body ū " * 8}) for n in range(300)]
    boms = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
    data = boms[encoding] + ("\n".join(records) + "\n").encode(encoding)
    file.write_bytes(data)
    assert len(data) > 4 * indexer.JSONL_SPAN_BYTES
    report = index_paths([file], tmp_path / "index", jobs=1)
    assert (report.articles, report.skipped, report.warnings) == (300, [], [])


@pytest.mark.parametrize("value", ["March", "Tuesday", "10:30", "12", "August", "the 5th", "noon"])
def test_a_date_without_a_year_is_not_a_date(tmp_path: Path, value: str) -> None:
    assert parse_date_text(value) is None
    file = tmp_path / "a.json"
    file.write_text(json.dumps({**GOOD, "date": value}), encoding="utf-8")
    read = read_file(file)
    assert read.articles[0].date is None
    assert [p.skipped for p in read.problems] == [False]
    assert "not a valid date" in read.problems[0].reason


@pytest.mark.parametrize("value", ["2025", "Aug 2025", "15/08/25", "2025-08-15T10:30:00+02:00", "August 15, 2025",
                                   "Fri, 15 Aug 2025 10:00:00 PST"])
def test_dates_that_name_a_year_are_read(value: str) -> None:
    assert parse_date_text(value) is not None


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1025-08-15", "1599-12-31"])
def test_dates_outside_the_kept_window_are_left_empty_with_a_warning(tmp_path: Path, value: str) -> None:
    file = tmp_path / "a.jsonl"
    file.write_text(json.dumps({**GOOD, "date": value}) + "\n", encoding="utf-8")
    read = read_file(file)
    assert read.articles[0].date is None
    [problem] = read.problems
    assert not problem.skipped and "outside" in problem.reason and "1600" in problem.reason


def test_the_date_window_runs_from_1600_to_a_year_after_today() -> None:
    assert article_date(date(1600, 1, 1)) == (date(1600, 1, 1), None)
    last = date.today() + timedelta(days=366)
    assert article_date(last) == (last, None)
    assert article_date(last + timedelta(days=1))[0] is None


def test_a_header_or_dateline_date_outside_the_window_warns(tmp_path: Path) -> None:
    header = tmp_path / "header.txt"
    header.write_text(" date 0205-08-15 AFRICA\nTitle\n\nBody.\n", encoding="utf-8")
    dateline = tmp_path / "dateline.txt"
    dateline.write_text("Title\nAugust 15, 2925\n\nBody.\n", encoding="utf-8")
    for file in (header, dateline):
        read = read_file(file)
        assert read.articles[0].date is None, file
        assert any("outside" in p.reason for p in read.problems), file


def test_an_empty_json_list_is_reported(tmp_path: Path) -> None:
    file = tmp_path / "empty.json"
    file.write_text("[]", encoding="utf-8")
    read = read_file(file)
    assert read.articles == [] and "empty list" in read.problems[0].reason


def test_white_space_of_any_kind_before_the_title_is_not_a_title(tmp_path: Path) -> None:
    file = tmp_path / "vt.txt"
    file.write_bytes(b"\x0b\r\x01")  # found by the thorough property run: an article titled ''
    read = read_file(file)
    assert [a.title for a in read.articles] == [] or all(a.title.strip() for a in read.articles)
    (tmp_path / "ok.txt").write_text("\x0b\u2028Title\n\nBody.\n", encoding="utf-8")
    assert [a.title for a in read_file(tmp_path / "ok.txt").articles] == ["Title"]


def test_a_nul_and_a_bad_byte_in_json_lines_lose_only_their_lines(tmp_path: Path) -> None:
    file = tmp_path / "two.jsonl"  # found by the thorough property run: the whole file was binary
    file.write_bytes((GOOD_LINE + "\n").encode() + b"\xed\xa0\x80\n" + b'{"title": "a", "text": "a"\x00}\n')
    read = read_file(file)
    assert titles(read) == [GOOD["title"]]
    assert [p.line for p in read.problems if p.skipped] == [2, 3]
