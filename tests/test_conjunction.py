"""Fast paths over whoosh's files give whoosh's own results: the block-at-a-time scorer for words and
phrases (matches, order, counts, scores) and bulk column reads (every value)."""

from __future__ import annotations

import importlib
import random
from pathlib import Path

import pytest

from conftest import assert_ranks_like_whoosh

from newssearch import Article, NewsIndex
from newssearch.backends.whoosh.conjunction import Conjunction, as_conjunction, search_conjunction
from newssearch.backends.whoosh.parsing import build_filter, parse_query
from newssearch.request import Filters

search_module = importlib.import_module("newssearch.backends.whoosh.matching")

QUERIES = ["said", "the", "minister", "prime", "zephyr", "said market", "prime minister", '"prime minister"',
           '"oil prices"', '"oil prices said"', '"prime minister" said', 'oil "oil prices"', "said said",
           '"the the"', "harbour festival talks", "quokka said", "nosuchword", "said nosuchword",
           '"minister prime"', "speaker:quill", "speaker:quill oil", 'speaker:"ada quill" said',
           "title:story said", "title:updated minister", 'title:"story" speaker:oakes "oil prices"']


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("section", [None, "business", "nosuchsection"])
@pytest.mark.parametrize("limit", [1, 10, 250, None])
def test_matches_order_counts_and_scores_equal_whooshs(many_segments: Path, query: str, section: str | None,
                                                        limit: int | None) -> None:
    with NewsIndex.open(many_segments) as index:
        searcher = index.backend.searcher()
        assert len(searcher.reader().leaf_readers()) > 1 and searcher.reader().has_deletions()
        parsed = parse_query(searcher.schema, query)
        restriction = build_filter(searcher.schema, Filters.build(section=section)) if section else None
        conjunction = as_conjunction(parsed, searcher.schema)
        assert conjunction is not None
        fast, fast_total = search_conjunction(searcher, conjunction, limit,
                                              search_module.allowed_docnums(searcher, restriction))
        assert_ranks_like_whoosh((fast, fast_total), searcher, parsed, restriction, limit)


def test_common_word_spans_many_posting_blocks(many_segments: Path) -> None:
    with NewsIndex.open(many_segments) as index:
        assert index.search("said").total > 1000  # more than a few 128-posting blocks per segment


@pytest.fixture(scope="module")
def one_common_word(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One segment, no deletions: "reported" once in most paragraphs, two to five times in a few."""
    rng = random.Random(11)
    filler = ["harbour", "council", "budget", "river", "festival", "market", "weather", "school"]
    articles = []
    for number in range(300):
        body = []
        for _ in range(6):
            words = [rng.choice(filler) for _ in range(rng.randint(3, 60))]
            for _ in range(rng.choice([1] * 30 + [2, 3, 4, 5])):
                words.insert(rng.randrange(len(words) + 1), "reported")
            body.append(" ".join(words) + ".")
        articles.append(Article(id=f"c{number}", title=f"Report {number}", body=tuple(body)))
    location = tmp_path_factory.mktemp("common") / "index"
    with NewsIndex.open(location, create=True) as index:
        index.add_articles(articles)
    return location


@pytest.mark.parametrize("limit", [1, 10, 40])
def test_a_common_words_top_matches_equal_whooshs_when_most_postings_are_skipped(one_common_word: Path,
                                                                                   limit: int) -> None:
    with NewsIndex.open(one_common_word) as index:
        searcher = index.backend.searcher()
        assert len(searcher.reader().leaf_readers()) == 1 and not searcher.reader().has_deletions()
        parsed = parse_query(searcher.schema, "reported")
        conjunction = as_conjunction(parsed, searcher.schema)
        assert conjunction is not None
        found = search_conjunction(searcher, conjunction, limit)
        assert found[1] == 1800
        assert_ranks_like_whoosh(found, searcher, parsed, None, limit)


@pytest.mark.parametrize("query", ["said OR market", "said NOT market", "section:world said", "sai*", "said~",
                                   "said^2", "date:2025", '"prime minister"~3', "paragraph:2"])
def test_other_query_shapes_are_left_to_whoosh(many_segments: Path, query: str) -> None:
    with NewsIndex.open(many_segments) as index:
        schema = index.backend.searcher().schema
        assert as_conjunction(parse_query(schema, query), schema) is None


def test_phrase_words_are_scored_and_checked_for_adjacency(many_segments: Path) -> None:
    with NewsIndex.open(many_segments) as index:
        schema = index.backend.searcher().schema
        conjunction = as_conjunction(parse_query(schema, 'said "prime minister" title:story'), schema)
    assert conjunction == Conjunction(
        (("text", "said"), ("text", "prime"), ("text", "minist"), ("title", "stori")),
        ((("text", "prime"), ("text", "minist")),))


@pytest.mark.parametrize("query", ['"prime minister" said', "said", "harbour"])
@pytest.mark.parametrize("options", [{"sort": "newest", "facets": True}, {"per_article": True, "page": 2},
                                     {"sort": "oldest", "section": "business"}, {"facets": True, "limit": 3}])
def test_search_results_are_the_same_as_with_whoosh_alone(many_segments: Path, monkeypatch: pytest.MonkeyPatch,
                                                          query: str, options: dict[str, object]) -> None:
    with NewsIndex.open(many_segments) as index:
        fast = index.search(query, **options)
        monkeypatch.setattr(search_module, "block_scan", lambda *args: None)
        slow = index.search(query, **options)
    assert [hit.pid for hit in fast] == [hit.pid for hit in slow] and fast.hits
    assert (fast.total, fast.articles, fast.facets) == (slow.total, slow.articles, slow.facets)
    assert [hit.other_matches for hit in fast] == [hit.other_matches for hit in slow]


def test_an_empty_index_matches_nothing(tmp_path: Path) -> None:
    with NewsIndex.open(tmp_path / "empty", create=True) as index:
        for query in ("said", '"prime minister"', "said market"):
            assert index.search(query).total == 0
            assert index.search(query, facets=True, sort="newest").total == 0


@pytest.mark.parametrize("field", ["section", "speaker", "date", "article_id"])
def test_whole_columns_read_in_bulk_equal_whooshs_values(many_segments: Path, field: str) -> None:
    from newssearch.backends.whoosh.columns import whole_column

    with NewsIndex.open(many_segments) as index:
        reader = index.backend.searcher().reader()
        column = reader.column_reader(field, translate=False)
        assert whole_column(column) == list(column)
        assert len(whole_column(column)) == reader.doc_count_all()
