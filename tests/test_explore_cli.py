"""Exploring from the command line, end to end through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newssearch.cli import EXIT_NO_INDEX, EXIT_NO_MATCHES, EXIT_USAGE, main

SEED_ID = "russia-pledges-military-support-sahel-2025-08-15"


@pytest.fixture
def run(explore_index: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args: str):
        return CliRunner().invoke(main, [*args, "--index", str(explore_index)])

    return invoke


def one_line_error(result, code: int, text: str) -> None:
    assert result.exit_code == code, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("newssearch: ")
    assert text in result.output
    assert "Traceback" not in result.output


# ----------------------------------------------------------------------------- query


def test_query_facets_are_printed_after_the_summary(run) -> None:
    result = run("query", "cocoa OR cooperation", "--facets", "-n", "1")
    assert result.exit_code == 0, result.output
    summary, facets, first_hit = result.output.split("\n\n")[:3]
    assert summary.startswith('12 paragraphs match "cocoa OR cooperation" (showing 1–1, page 1 of 12,')
    assert facets.splitlines() == [
        "section: Business 6 · AFRICA 3 · Transport 3",
        facets.splitlines()[1],
        "month: 2024-01 5 · 2024-03 3 · 2025-08 3 · no month 1",
    ]
    assert facets.splitlines()[1].startswith("speaker: ")
    assert first_hit.startswith("1. ")


def test_query_without_facets_prints_none(run) -> None:
    result = run("query", "cocoa")
    assert "section:" not in result.output and "month:" not in result.output


def test_json_output_carries_facets_pages_and_the_json_flag_is_an_alias(run) -> None:
    as_format = json.loads(run("query", "cocoa", "--format", "json", "--facets", "-n", "2", "--page", "2").output)
    as_flag = json.loads(run("query", "cocoa", "--json", "--facets", "-n", "2", "--page", "2").output)
    for data in (as_format, as_flag):
        data.pop("seconds")
    assert as_format == as_flag
    assert (as_format["page"], as_format["pages"], as_format["total"]) == (2, 3, 5)
    assert as_format["facets"]["month"]["values"] == [{"value": "2024-01", "count": 2},
                                                       {"value": "2024-03", "count": 2}]
    assert [hit["rank"] for hit in as_format["hits"]] == [3, 4]


def test_json_and_another_format_together_are_refused(run) -> None:
    one_line_error(run("query", "cocoa", "--json", "--format", "csv"), EXIT_USAGE, "contradict")
    one_line_error(run("query", "cocoa", "--format", "xml"), EXIT_USAGE,
                   "--format must be one of text, json, jsonl, csv, markdown, html, not 'xml'")


def test_csv_export_opens_as_one_row_per_hit(run) -> None:
    result = run("query", "cocoa OR formula", "--format", "csv", "-n", "100")
    assert result.exit_code == 0
    assert result.stdout_bytes.count(b"\r\n") == 7  # header and six rows, RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(result.output, newline="")))
    assert len(rows) == 6
    assert {"rank", "score", "pid", "title", "date", "section", "speakers", "highlighted", "text"} <= set(rows[0])
    assert all("**" in row["highlighted"] for row in rows)
    assert next(row for row in rows if row["pid"] == "explore/bank-1#2")["text"].startswith("'=")


def test_jsonl_export_is_one_object_per_hit(run) -> None:
    result = run("query", "cocoa", "--format", "jsonl", "-n", "3")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert all(row["highlights"] for row in rows)


def test_export_with_no_match_still_exits_1(run) -> None:
    result = run("query", "zebra", "--format", "csv")
    assert result.exit_code == EXIT_NO_MATCHES
    assert result.output.startswith("rank,score,pid")


def test_per_article_shows_how_many_more_paragraphs_match(run) -> None:
    result = run("query", "cocoa OR cooperation", "--per-article")
    assert result.exit_code == 0
    assert result.output.startswith('5 articles (12 paragraphs) match "cocoa OR cooperation" (showing 1–5,')
    assert "+ 2 more matching paragraphs in this article" in result.output
    assert result.output.count(" · id explore/cocoa-1#") == 1


def test_sort_and_page_show_the_position_and_order(run) -> None:
    result = run("query", "cocoa OR cooperation", "--sort", "oldest", "-n", "5", "--page", "2")
    assert result.exit_code == 0
    assert "(showing 6–10, page 2 of 3, oldest first," in result.output.splitlines()[0]
    assert result.output.split("\n\n")[1].startswith("6. ")


@pytest.mark.parametrize("args, message", [
    (["--page", "4", "-n", "5"], "page 4 is past the end: 12 paragraphs match, 3 pages of 5"),
    (["--sort", "random"], "--sort must be one of relevance, newest, oldest, not 'random'"),
    (["--since", "someday"], "--since: cannot read 'someday' as a date"),
    (["--until", "32/13/2025"], "--until: cannot read '32/13/2025' as a date"),
    (["--context", "-2"], "--context must be 0 to 100"),
])
def test_bad_query_options_are_one_line_and_exit_2(run, args, message) -> None:
    one_line_error(run("query", "cocoa OR cooperation", *args), EXIT_USAGE, message)


def test_misspelled_query_gets_a_suggestion_and_exit_1(run) -> None:
    result = run("query", "Mensha cooperaton")
    one_line_error(result, EXIT_NO_MATCHES,
                   'no paragraph matches "Mensha cooperaton"; did you mean "Mensah cooperation"? (--correct runs it)')
    assert "did you mean" not in run("query", "Mensha", "--no-suggest").output


def test_correct_runs_the_suggestion_and_says_so(run) -> None:
    result = run("query", "Mensha cooperaton", "--correct")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == 'Showing results for "Mensah cooperation" (corrected from "Mensha cooperaton")'
    assert lines[1].startswith('2 paragraphs match "Mensah cooperation"')


def test_suggestion_is_shown_before_results_when_some_words_still_match(run) -> None:
    result = run("query", "cocoa OR frieght")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == 'Did you mean "cocoa OR freight"? (--correct runs it)'


def test_fuzzy_and_prefix_queries_highlight_what_they_matched(run) -> None:
    fuzzy = run("query", "Belosov~", "-n", "20")
    assert fuzzy.exit_code == 0 and "**Belousov**" in fuzzy.output and "**Belosov**" not in fuzzy.output
    prefix = run("query", "coop*", "-n", "20")
    assert "**cooperation**" in prefix.output and "**Cooperative**" in prefix.output


def test_context_prints_numbered_neighbours_and_marks_the_hit(run) -> None:
    result = run("query", "guarantees", "--context", "1")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    hit_line = next(i for i, line in enumerate(lines) if line.startswith(" ▶ ¶3 "))
    assert lines[hit_line - 1].startswith("   ¶2 “Cooperation is the only way forward,”")
    assert "**guarantees**" in lines[hit_line]


# ----------------------------------------------------------------------------- show, similar


def test_show_prints_the_whole_article_numbered_with_the_hit_marked(run) -> None:
    result = run("show", f"{SEED_ID}#6", "--query", "cooperation")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Russia pledges military support for Mali, Niger, Burkina Faso"
    numbered = [line for line in lines if line[2:3] == "¶"]
    assert [line[3] for line in numbered] == [str(n) for n in range(1, 9)]
    marked = [line for line in numbered if line.startswith("▶")]
    assert len(marked) == 1 and marked[0].startswith("▶ ¶6")
    assert "**cooperation**" in marked[0]
    assert "   ‘Strengthening cooperation’" in lines


def test_show_json_has_every_paragraph(run) -> None:
    data = json.loads(run("show", "explore/rail-2#3", "--format", "json").output)
    assert data["marked"] == 3 and [p["paragraph"] for p in data["paragraphs"]] == [1, 2, 3]


def test_show_unknown_id_is_one_line_and_exit_2(run) -> None:
    one_line_error(run("show", "explore/rail-2#99"), EXIT_USAGE, "no paragraph or article with id 'explore/rail-2#99'")


def test_similar_lists_other_paragraphs_by_key_terms(run) -> None:
    result = run("similar", "explore/cocoa-1#3", "--other-articles", "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(row["article_id"] != "explore/cocoa-1" for row in rows)
    text = run("similar", "explore/cocoa-1#3", "-n", "2")
    assert text.output.startswith('2 paragraphs like explore/cocoa-1#3 "Cocoa farmers seek better prices" (key terms: ')
    assert "explore/cocoa-1#3 ·" not in text.output


def test_similar_unknown_id_is_one_line_and_exit_2(run) -> None:
    one_line_error(run("similar", "nope#1"), EXIT_USAGE, "no paragraph with id 'nope#1'")


# ----------------------------------------------------------------------------- timeline, stats


def test_timeline_draws_bars_scaled_to_the_busiest_period(run) -> None:
    result = run("timeline", "cocoa OR cooperation")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == '12 paragraphs match "cocoa OR cooperation", by month, 1 undated'
    assert lines[1] == "2024-01  5  " + "█" * 40
    assert lines[2] == "2024-02  0"
    assert lines[3] == "2024-03  3  " + "█" * 24
    assert len(lines) == 1 + 20


def test_timeline_csv_and_json_rows(run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("timeline", "cocoa", "--format", "csv").output, newline="")))
    assert [(r["period"], r["count"]) for r in rows] == [("2024-01", "2"), ("2024-02", "0"), ("2024-03", "2")]
    data = json.loads(run("timeline", "cocoa", "--by", "year", "--articles", "--format", "json").output)
    assert (data["unit"], data["total"], data["undated"]) == ("articles", 4, 1)
    assert data["buckets"] == [{"period": "2024", "start": "2024-01-01", "end": "2024-12-31", "count": 3}]


@pytest.mark.parametrize("args, message", [
    (["--by", "fortnight"], "--by must be one of day, week, month, year, not 'fortnight'"),
    (["--since", "tomorrow-ish"], "--since: cannot read 'tomorrow-ish' as a date"),
])
def test_timeline_bad_options_are_one_line_and_exit_2(run, args, message) -> None:
    one_line_error(run("timeline", "cocoa", *args), EXIT_USAGE, message)


def test_timeline_with_no_match_exits_1(run) -> None:
    one_line_error(run("timeline", "zebra"), EXIT_NO_MATCHES, 'no paragraph matches "zebra"')


def test_stats_summarise_the_index(run) -> None:
    result = run("stats")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1] == "  12 articles, 38 paragraphs, from 7 files"
    assert lines[2] == "  dates: 2022-06-30 to 2025-09-02 (5 paragraphs undated)"
    assert "Sections (articles, paragraphs):" in lines
    assert any(line.split() == ["Business", "4", "12"] for line in lines)
    data = json.loads(run("stats", "--format", "json", "--top", "3").output)
    assert len(data["speakers"]) == 3 and data["paragraphs"] == 38 and data["size_bytes"] > 0


def test_new_commands_without_an_index_exit_3(tmp_path: Path) -> None:
    for args in (["stats"], ["show", "a#1"], ["similar", "a#1"], ["timeline", "x"]):
        result = CliRunner().invoke(main, [*args, "--index", str(tmp_path / "none")])
        assert result.exit_code == EXIT_NO_INDEX and "no index at" in result.output


@pytest.mark.parametrize("command", ["show", "similar", "timeline", "stats"])
def test_every_new_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 5
