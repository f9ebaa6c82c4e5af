"""Ranking, field queries, filters and highlighting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newssearch import Article, NewsIndex, QueryError
from newssearch.ingest.dates import parse_date_bound


@pytest.fixture
def ranked(tmp_path: Path):
    """Two paragraphs of equal length, one naming Belousov twice and one once."""
    with NewsIndex.open(tmp_path / "ix", create=True) as index:
        index.add_articles([
            Article(id="once", title="Once", body=("Belousov met the delegation and the ministers talked at length today.",)),
            Article(id="twice", title="Twice", body=("Belousov met the delegation and Belousov talked at length today.",)),
            Article(id="none", title="None", body=("The delegation and the ministers talked at length about the weather.",)),
        ])
        yield index


def test_paragraph_naming_a_term_twice_outranks_one_naming_it_once(ranked: NewsIndex) -> None:
    results = ranked.search("Belousov")
    assert [hit.article_id for hit in results] == ["twice", "once"]
    assert results.hits[0].score > results.hits[1].score
    assert [hit.rank for hit in results] == [1, 2]
    assert results.total == 2


def test_all_words_must_match_by_default(open_index: NewsIndex) -> None:
    assert [h.pid for h in open_index.search("wheat maize")] == ["business/grain-prices#1"]
    assert {h.pid for h in open_index.search("wheat OR helicopter")} == {
        "business/grain-prices#1", "business/grain-prices#2", "fixture/world/2#2"}


def test_stemming_matches_other_forms_of_a_word(open_index: NewsIndex) -> None:
    assert [h.pid for h in open_index.search("warn")] == ["africa/sahel-water#4"]


def test_accents_are_folded_both_ways(open_index: NewsIndex) -> None:
    assert [h.pid for h in open_index.search("Mali")] == ["africa/sahel-water#4"]
    assert [h.pid for h in open_index.search("traore")] == ["africa/sahel-water#4"]


def test_phrase_query_needs_the_words_in_order(open_index: NewsIndex) -> None:
    assert [h.pid for h in open_index.search('"pay deal"')] == ["fixture/world/1#2"]
    assert open_index.search('"deal pay"').total == 0


def test_section_filter_is_case_insensitive_and_excludes_others(open_index: NewsIndex) -> None:
    assert open_index.search("minister OR wheat", section="africa").total == 3
    assert {h.section for h in open_index.search("minister OR wheat", section="Business")} == {"business"}
    assert open_index.search("section:AFRICA ministers").total == 3
    assert open_index.search("minister OR wheat", section="sport").total == 0


def test_speaker_filter_and_field_query_find_the_quoted_person(open_index: NewsIndex) -> None:
    by_filter = open_index.search("prices", speaker="Marsh")
    assert [h.pid for h in by_filter] == ["business/grain-prices#3"]
    assert by_filter.hits[0].speakers == ("Helen Marsh",)
    assert open_index.search("prices", speaker="Someone Else").total == 0
    assert [h.pid for h in open_index.search('speaker:"Helen Marsh"')] == ["business/grain-prices#3"]


def test_date_filters_and_date_range_queries(open_index: NewsIndex) -> None:
    in_march = open_index.search("workers OR union OR rain", since="2024-03", until="2024-03")
    assert {h.article_id for h in in_march} == {"fixture/world/1"}
    ranged = open_index.search("date:[2024-04-01 to 2024-04-30] rain")
    assert [h.pid for h in ranged] == ["fixture/world/2#1"]
    assert open_index.search("rain", until="2024-03-31").total == 0


@pytest.mark.parametrize("text, start, end", [
    ("2025-08", date(2025, 8, 1), date(2025, 8, 31)),
    ("Aug 1 2025", date(2025, 8, 1), date(2025, 8, 1)),
    ("15/08/2025", date(2025, 8, 15), date(2025, 8, 15)),
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
])
def test_date_bounds_cover_the_period_written(text: str, start: date, end: date) -> None:
    assert parse_date_bound(text) == start
    assert parse_date_bound(text, end=True) == end


def test_highlight_offsets_point_at_the_matched_words(open_index: NewsIndex) -> None:
    (hit,) = open_index.search("droughts Burkina").hits
    (fragment,) = hit.fragments
    matched = [hit.text[m.start:m.end] for m in fragment.matches]
    assert matched == ["droughts", "Burkina"]
    assert fragment.text == hit.text[fragment.start:fragment.end]


def test_highlights_include_stemmed_and_prefix_matches(open_index: NewsIndex) -> None:
    (hit,) = open_index.search("warning").hits
    assert [hit.text[m.start:m.end] for f in hit.fragments for m in f.matches] == ["warned"]
    words = {h.text[m.start:m.end] for h in open_index.search("minist*") for f in h.fragments for m in f.matches}
    assert words == {"ministers", "minister"}


def test_negated_terms_are_not_highlighted(open_index: NewsIndex) -> None:
    (hit,) = open_index.search("river NOT borders").hits
    assert hit.pid == "africa/sahel-water#1"
    assert [hit.text[m.start:m.end] for m in hit.fragments[0].matches] == ["river"]


def test_long_paragraph_is_cut_into_fragments_around_matches(tmp_path: Path) -> None:
    filler = "Nothing of note happened in the market today. " * 40
    text = filler + "Then the zebra escaped from the zoo. " + filler
    with NewsIndex.open(tmp_path / "ix", create=True) as index:
        index.add_articles([Article(id="long", title="Long", body=(text,))])
        (hit,) = index.search("zebra").hits
    (fragment,) = hit.fragments
    assert len(fragment.text) < 400
    assert [hit.text[m.start:m.end] for m in fragment.matches] == ["zebra"]


@pytest.mark.parametrize("query, message", [
    ("", "empty"),
    ("!!!", "no words"),
    ("nosuchfield:x", "unknown field"),
    ("paragraph:abc", "not a valid number"),
    ("date:2025-13", "cannot parse"),
])
def test_bad_queries_raise_query_error_with_reason(open_index: NewsIndex, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        open_index.search(query)


def test_bad_filter_values_raise_query_error(open_index: NewsIndex) -> None:
    with pytest.raises(QueryError, match="as a date"):
        open_index.search("rain", since="not a date")
    with pytest.raises(QueryError, match="after"):
        open_index.search("rain", since="2025-01-02", until="2025-01-01")


def test_speaker_query_highlights_the_name_in_the_text(open_index: NewsIndex) -> None:
    (hit,) = open_index.search("speaker:Diallo river").hits
    assert {hit.text[m.start:m.end] for f in hit.fragments for m in f.matches} == {"river", "Diallo"}


def test_total_counts_every_match_even_when_the_top_n_is_full(tmp_path: Path) -> None:
    articles = [Article(id=f"a{n}", title="T", date=date(2024, 1 + n % 12, 1 + n % 28),
                        body=(f"{'cocoa ' * (1 + n % 7)}harvest {'filler ' * (n % 40)}report {n}.",))
                for n in range(1200)]
    with NewsIndex.open(tmp_path / "ix", create=True) as index:
        index.add_articles(articles)
        for limit in (1, 2, 10):
            assert index.search("date:[2024-03-01 to 2024-03-31] cocoa", limit=limit).total == 100
            assert index.search("cocoa harvest", limit=limit).total == 1200
