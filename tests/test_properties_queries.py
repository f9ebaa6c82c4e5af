"""Property-based: any query from the grammar (and beyond it), with any option values, is answered
or refused in one line — through the parser, the library and the command line (issue 11).

Run more examples with ``HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_properties_*.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import property_settings
from hypothesis import given
from hypothesis import strategies as st
from query_grammar import queries

from newssearch import NewsIndex
from newssearch.cli import main
from newssearch.errors import QueryError, UnknownIdError
from newssearch.backends.whoosh.parsing import parse_query
from newssearch.backends.whoosh.schema import build_schema
from newssearch.output.escape import to_json
from newssearch.search.show import show_article
from newssearch.search.similar import similar
from newssearch.search.timeline import timeline

SCHEMA = build_schema()
SEED_ID = "russia-pledges-military-support-sahel-2025-08-15"
# What a shell can hand over: any text but NUL (arguments end at one), and bytes that are not UTF-8
# (Python decodes them to the surrogate escapes U+DC80..U+DCFF; no other surrogate can come from a
# command line).
ARGUMENT_TEXT = st.text(alphabet=st.one_of(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                                           st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF)), max_size=30)


@pytest.fixture(scope="module")
def news(explore_index: Path):  # type: ignore[no-untyped-def]
    with NewsIndex.open(explore_index) as index:
        yield index


@property_settings()
@given(queries())
def test_the_parser_returns_a_query_or_a_one_line_query_error(query: str) -> None:
    try:
        parse_query(SCHEMA, query)
    except QueryError as error:
        assert "\n" not in str(error)


@property_settings()
@given(queries(), st.sampled_from(["relevance", "newest", "oldest"]), st.booleans(), st.booleans(),
       st.booleans(), st.integers(0, 3))
def test_search_answers_or_raises_query_error(news: NewsIndex, query: str, sort: str, per_article: bool,
                                              facets: bool, suggest: bool, context: int) -> None:
    try:
        results = news.search(query, sort=sort, per_article=per_article, facets=facets, suggest=suggest,
                              correct=suggest and facets, context=context, limit=3)
    except QueryError as error:
        assert "\n" not in str(error)
        return
    assert results.total >= len(results.hits)
    to_json(results.to_dict()).encode("utf-8")  # every field can be printed (the query may hold surrogate escapes)


@property_settings()
@given(queries(), st.sampled_from(["day", "week", "month", "year"]), st.booleans())
def test_timeline_answers_or_raises_query_error(news: NewsIndex, query: str, by: str, articles: bool) -> None:
    try:
        result = timeline(news, query, by=by, articles=articles)
    except QueryError as error:
        assert "\n" not in str(error)
        return
    assert sum(bucket.count for bucket in result.buckets) == result.total - result.undated


@property_settings()
@given(st.one_of(ARGUMENT_TEXT, st.sampled_from([SEED_ID, f"{SEED_ID}#3", f"{SEED_ID}#0", f"{SEED_ID}#99"])),
       st.one_of(st.none(), queries()))
def test_show_and_similar_answer_or_raise_library_errors(news: NewsIndex, id: str, query: str | None) -> None:
    for look in (lambda: show_article(news, id, query=query), lambda: similar(news, id)):
        try:
            look()
        except (QueryError, UnknownIdError) as error:
            assert "\n" not in str(error)


def _option(name: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda value: [name, value]))


NUMBERS = st.one_of(st.integers(-3, 200).map(str), st.sampled_from(["0", "10**9", "1e3", "", "x", "99999999999999999999"]))
DATES = st.one_of(st.sampled_from(["2025-08", "2025-08-15", "Aug 2025", "someday", "0001-01-01", "9999-12-31",
                                   "32/13/2025", "now"]), ARGUMENT_TEXT)
QUERY_OPTIONS = st.tuples(
    _option("--limit", NUMBERS), _option("--page", NUMBERS), _option("--context", NUMBERS),
    _option("--facet-limit", NUMBERS), _option("--sort", st.sampled_from(["relevance", "newest", "Oldest", "x"])),
    _option("--format", st.sampled_from(["text", "json", "jsonl", "csv", "JSON", "xml"])),
    _option("--section", ARGUMENT_TEXT), _option("--speaker", ARGUMENT_TEXT), _option("--since", DATES),
    _option("--until", DATES),
    st.lists(st.sampled_from(["--facets", "--per-article", "--correct", "--no-suggest", "--json"]), max_size=3),
).map(lambda parts: [arg for part in parts for arg in part])


def _assert_clean_exit(result, allowed: tuple[int, ...] = (0, 1, 2)) -> None:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in allowed, result.output
    assert result.stderr.count("\n") <= 1, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.output


@property_settings(0.5)
@given(queries(), QUERY_OPTIONS)
def test_the_query_command_exits_0_1_or_2_with_at_most_one_line_on_stderr(explore_index: Path, query: str,
                                                                          options: list[str]) -> None:
    result = CliRunner().invoke(main, ["query", "--index", str(explore_index), *options, "--", query])
    _assert_clean_exit(result)
    if result.exit_code == 0 and ("--json" in options or ["--format", "json"] == options[-2:]):
        json.loads(result.stdout)


@property_settings(0.5)
@given(queries(), _option("--by", st.sampled_from(["day", "week", "month", "year", "Month", "decade"])),
       _option("--since", DATES), _option("--format", st.sampled_from(["text", "json", "csv", "x"])), st.booleans())
def test_the_timeline_command_exits_0_1_or_2(explore_index: Path, query: str, by: list[str], since: list[str],
                                            fmt: list[str], articles: bool) -> None:
    result = CliRunner().invoke(main, ["timeline", "--index", str(explore_index), *by, *since, *fmt,
                                       *(["--articles"] if articles else []), "--", query])
    _assert_clean_exit(result)


@property_settings(0.5)
@given(st.sampled_from(["show", "similar"]), st.one_of(ARGUMENT_TEXT, st.just(f"{SEED_ID}#2")),
       _option("--format", st.sampled_from(["text", "json", "csv", "x"])), _option("--query", queries()))
def test_show_and_similar_commands_exit_0_1_or_2(explore_index: Path, command: str, id: str, fmt: list[str],
                                                query: list[str]) -> None:
    extra = query if command == "show" else []
    result = CliRunner().invoke(main, [command, "--index", str(explore_index), *fmt, *extra, "--", id])
    _assert_clean_exit(result)


@property_settings(0.5)
@given(st.lists(st.one_of(ARGUMENT_TEXT, st.sampled_from(["--", "-", "-x", "--index", "-n", "--by", "-h"])),
                max_size=6), st.sampled_from(["query", "timeline", "show", "similar", "stats", "nosuch", "--limit"]))
def test_any_arguments_give_one_line_or_help(explore_index: Path, args: list[str], command: str) -> None:
    result = CliRunner().invoke(main, [command, *args], env={"NEWSSEARCH_INDEX": str(explore_index)})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2, 3), result.output
    assert result.stderr.count("\n") <= 1, result.stderr
