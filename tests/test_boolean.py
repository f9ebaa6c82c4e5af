"""OR, NOT and nested groups scored from the posting blocks give whoosh's own matches, order, counts and scores."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from conftest import assert_ranks_like_whoosh

from newssearch import NewsIndex
from newssearch.backends.whoosh.boolean import is_boolean, search_boolean
from newssearch.backends.whoosh.parsing import build_filter, parse_query
from newssearch.request import Filters

search_module = importlib.import_module("newssearch.backends.whoosh.matching")

QUERIES = ["said OR market", "zephyr OR quokka OR marmalade", '"prime minister" OR "oil prices"',
           "(harbour OR festival) AND talks", "harbour OR festival talks", "said NOT market", "oil AND NOT prices",
           "said ANDNOT \"prime minister\"", "talks ANDMAYBE harbour", "(said OR talks) NOT (oil OR market)",
           "speaker:quill OR speaker:oakes", "title:updated OR zephyr", "zephyr OR nosuchword", "nosuchword OR nothing",
           "said NOT nosuchword", "(oil NOT prices) OR (harbour ANDMAYBE festival)", "(said OR talks) oil \"oil prices\""]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("section", [None, "world"])
@pytest.mark.parametrize("limit", [1, 10, None])
def test_matches_order_counts_and_scores_equal_whooshs(many_segments: Path, query: str, section: str | None,
                                                        limit: int | None) -> None:
    with NewsIndex.open(many_segments) as index:
        searcher = index.backend.searcher()
        parsed = parse_query(searcher.schema, query)
        assert is_boolean(parsed, searcher.schema)
        restriction = build_filter(searcher.schema, Filters.build(section=section)) if section else None
        fast, fast_total = search_boolean(searcher, parsed, limit, search_module.allowed_docnums(searcher, restriction))
        assert_ranks_like_whoosh((fast, fast_total), searcher, parsed, restriction, limit)


def test_the_invented_archive_gives_these_queries_matches(many_segments: Path) -> None:
    with NewsIndex.open(many_segments) as index:
        empty = [q for q in QUERIES if not index.search(q).total and "nosuchword" not in q]
    assert empty == []


@pytest.mark.parametrize("query", ["NOT said", "said OR sai*", "said OR section:world", "said^2 OR market",
                                   "said OR market~", "said OR date:2024", "said", '"prime minister"'])
def test_other_shapes_are_not_boolean(many_segments: Path, query: str) -> None:
    with NewsIndex.open(many_segments) as index:
        schema = index.backend.searcher().schema
        assert not is_boolean(parse_query(schema, query), schema)


def test_an_empty_index_matches_nothing(tmp_path: Path) -> None:
    with NewsIndex.open(tmp_path / "empty", create=True) as index:
        assert index.search("said OR market").total == 0
        assert index.search("said NOT market", sort="newest").total == 0
