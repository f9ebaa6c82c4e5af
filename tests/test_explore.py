"""Exploring a search through the API: facets, one hit per article, date order, pages, did-you-mean,
fuzzy and prefix highlights, context, whole articles, similar paragraphs, timelines, stats, export."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from newssearch import (
    NewsIndex, QueryError, UnknownIdError, index_stats, show_article, similar, timeline,
)
from newssearch.output.csv import hits_csv
from newssearch.output.json import hits_jsonl
from newssearch.output.escape import to_json

SEED_ID = "russia-pledges-military-support-sahel-2025-08-15"
COCOA_OR_COOPERATION = "cocoa OR cooperation"  # 12 paragraphs in 5 articles of the explore index


@pytest.fixture(scope="module")
def news(explore_index: Path):
    with NewsIndex.open(explore_index) as index:
        yield index


def every_hit(news: NewsIndex, query: str, **options):
    results = news.search(query, limit=1000, **options)
    assert len(results.hits) == results.total
    return results.hits


def words(hit) -> list[str]:
    return [hit.text[m.start:m.end] for f in hit.fragments for m in f.matches]


# ----------------------------------------------------------------------------- facets


def test_facets_count_every_match_not_just_the_page_shown(news: NewsIndex) -> None:
    results = news.search(COCOA_OR_COOPERATION, limit=1, facets=True)
    assert len(results.hits) == 1 and results.total == 12
    everything = every_hit(news, COCOA_OR_COOPERATION)
    sections = Counter(hit.section.lower() for hit in everything)
    speakers = Counter(name for hit in everything for name in hit.speakers)
    months = Counter(hit.date.strftime("%Y-%m") for hit in everything if hit.date)
    facets = results.facets
    assert {v.value.lower(): v.count for v in facets.section.values} == sections
    assert {v.value: v.count for v in facets.speaker.values} == dict(speakers.most_common(10))
    assert {v.value: v.count for v in facets.month.values} == months
    assert facets.month.missing == sum(1 for hit in everything if hit.date is None) == 1
    assert facets.speaker.missing == sum(1 for hit in everything if not hit.speakers)
    assert sum(v.count for v in facets.section.values) + facets.section.missing == results.total


def test_facet_values_are_sorted_by_count_and_sections_merge_case(news: NewsIndex) -> None:
    facets = news.search("farmers OR wheat OR cocoa", facets=True).facets
    counts = [v.count for facet in facets for v in facet.values]
    for facet in facets:
        assert [v.count for v in facet.values] == sorted((v.count for v in facet.values), reverse=True)
    assert counts
    # "business" (from the folder name) and "Business" (from the JSON) are one section, as in --section
    business = [v for v in facets.section.values if v.value.lower() == "business"]
    assert len(business) == 1
    assert business[0].count == news.search("farmers OR wheat OR cocoa", section="business", limit=100).total


def test_facet_limit_keeps_the_most_common_and_counts_the_rest(news: NewsIndex) -> None:
    facets = news.search(COCOA_OR_COOPERATION, facets=True, facet_limit=1).facets
    assert len(facets.section.values) == 1
    assert facets.section.values[0].value == "Business"
    assert facets.section.distinct == 3  # Business, Transport, AFRICA


def test_facets_and_suggestions_are_not_computed_unless_asked(news: NewsIndex, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError("computed without being asked for")

    module = sys.modules["newssearch.backends.whoosh.backend"]
    monkeypatch.setattr(module, "count_facets", boom)
    monkeypatch.setattr(module, "suggest_query", boom)
    results = news.search("Mensha")
    assert results.facets is None and results.suggestion is None and results.total == 0
    assert results.to_dict()["facets"] is None


def test_facets_of_a_filtered_search_count_only_what_the_filter_lets_through(news: NewsIndex) -> None:
    facets = news.search(COCOA_OR_COOPERATION, section="transport", facets=True).facets
    assert [(v.value, v.count) for v in facets.section.values] == [("Transport", 3)]
    assert news.search(COCOA_OR_COOPERATION, section="sport", facets=True).facets.section.values == ()


# ----------------------------------------------------------------------------- per article


def test_per_article_keeps_each_articles_best_paragraph_and_counts_the_others(news: NewsIndex) -> None:
    everything = every_hit(news, COCOA_OR_COOPERATION)
    per_article = news.search(COCOA_OR_COOPERATION, per_article=True, limit=100)
    assert per_article.total == 12 and per_article.articles == 5 == len(per_article.hits)
    assert len({hit.article_id for hit in per_article}) == 5
    by_article = Counter(hit.article_id for hit in everything)
    for hit in per_article:
        assert hit.other_matches == by_article[hit.article_id] - 1
        best = max((h for h in everything if h.article_id == hit.article_id), key=lambda h: h.score)
        assert hit.pid == best.pid
    assert [hit.score for hit in per_article] == sorted((hit.score for hit in per_article), reverse=True)


def test_per_article_pages_count_articles(news: NewsIndex) -> None:
    first = news.search(COCOA_OR_COOPERATION, per_article=True, limit=2)
    third = news.search(COCOA_OR_COOPERATION, per_article=True, limit=2, page=3)
    assert (first.pages, len(third.hits), third.hits[0].rank) == (3, 1, 5)
    with pytest.raises(QueryError, match="page 4 is past the end: 5 articles match"):
        news.search(COCOA_OR_COOPERATION, per_article=True, limit=2, page=4)


# ----------------------------------------------------------------------------- sort and pages


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sort_orders_by_date_with_undated_last(news: NewsIndex, sort: str) -> None:
    hits = every_hit(news, COCOA_OR_COOPERATION, sort=sort)
    dated = [hit.date for hit in hits if hit.date]
    assert dated == sorted(dated, reverse=sort == "newest")
    assert hits[-1].date is None and all(hit.date for hit in hits[:-1])
    assert {hit.pid for hit in hits} == {hit.pid for hit in every_hit(news, COCOA_OR_COOPERATION)}


def test_same_day_paragraphs_stay_in_relevance_order(news: NewsIndex) -> None:
    hits = every_hit(news, COCOA_OR_COOPERATION, sort="newest")
    same_day = [hit.score for hit in hits if hit.date == date(2025, 8, 15)]
    assert len(same_day) == 3 and same_day == sorted(same_day, reverse=True)


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_pages_are_stable_and_together_give_every_match_once(news: NewsIndex, sort: str) -> None:
    everything = [hit.pid for hit in every_hit(news, COCOA_OR_COOPERATION, sort=sort)]
    paged = []
    for page in range(1, 4):
        results = news.search(COCOA_OR_COOPERATION, limit=5, page=page, sort=sort)
        assert results.total == 12 and results.pages == 3 and results.page == page
        assert [hit.rank for hit in results] == list(range(results.first, results.last + 1))
        paged.extend(hit.pid for hit in results)
        assert [hit.pid for hit in news.search(COCOA_OR_COOPERATION, limit=5, page=page, sort=sort)] == \
            [hit.pid for hit in results]
    assert paged == everything and len(set(paged)) == 12


@pytest.mark.parametrize("options, message", [
    ({"page": 4, "limit": 5}, "page 4 is past the end: 12 paragraphs match, 3 pages of 5"),
    ({"page": 0}, "page must be at least 1"),
    ({"sort": "fastest"}, "sort must be one of relevance, newest, oldest"),
    ({"context": -1}, "context must be 0 to 100"),
    ({"since": "not a date"}, "since: cannot read 'not a date' as a date"),
    ({"until": "2025-13-45"}, "until: cannot read '2025-13-45' as a date"),
])
def test_bad_options_raise_query_error_saying_what_is_wrong(news: NewsIndex, options, message) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        news.search(COCOA_OR_COOPERATION, **options)


def test_no_match_on_page_one_is_not_an_error(news: NewsIndex) -> None:
    results = news.search("zebra", page=1, sort="newest", per_article=True, facets=True)
    assert (results.total, results.articles, results.hits, results.pages) == (0, 0, (), 1)


# ----------------------------------------------------------------------------- did you mean


@pytest.mark.parametrize("typed, suggested", [
    ("Mensha cooperaton", "Mensah cooperation"),
    ("Belosov", "Belousov"),                      # a name, from the text and the speakers
    ("speaker:Mensha", "speaker:Mensah"),          # from the speaker names
    ('"cocoa exporterz" prices', '"cocoa exporters" prices'),
    ("FREIGTH", "FREIGHT"),
])
def test_unknown_words_get_a_suggestion_from_the_index_vocabulary(news: NewsIndex, typed: str, suggested: str) -> None:
    results = news.search(typed, suggest=True)
    assert results.suggestion is not None
    assert results.suggestion.query == suggested
    assert results.corrected_from is None


def test_suggestion_records_each_corrected_word_and_where_it_was(news: NewsIndex) -> None:
    suggestion = news.search("cocoa frieght Mensha", suggest=True).suggestion
    assert [(c.original, c.replacement, c.start, c.end) for c in suggestion.corrections] == [
        ("frieght", "freight", 6, 13), ("Mensha", "Mensah", 14, 20)]


@pytest.mark.parametrize("query", ["cocoa farmers", "Belousov~", "coop*", "zzzzqqq", "Mensah NOT Mensha"])
def test_no_suggestion_for_known_words_fuzzy_prefix_or_hopeless_words(news: NewsIndex, query: str) -> None:
    assert news.search(query, suggest=True).suggestion is None


def test_correct_runs_the_suggested_query(news: NewsIndex) -> None:
    results = news.search("Mensha cooperaton", correct=True)
    assert results.corrected_from == "Mensha cooperaton"
    assert results.query == "Mensah cooperation"
    assert results.total == news.search("Mensah cooperation").total == 2
    assert news.search("Mensah", correct=True).corrected_from is None


# ----------------------------------------------------------------------------- fuzzy and prefix


def test_fuzzy_term_matches_and_highlights_the_indexed_spelling(news: NewsIndex) -> None:
    results = news.search("Belosov~", limit=100)
    assert results.total == news.search("Belousov").total == 5
    assert all(words(hit) and set(words(hit)) == {"Belousov"} for hit in results)


def test_prefix_term_highlights_every_word_it_expanded_to(news: NewsIndex) -> None:
    found = {word for hit in news.search("coop*", limit=100) for word in words(hit)}
    assert found == {"cooperation", "Cooperation", "cooperative", "Cooperative"}


# ----------------------------------------------------------------------------- context and show


def test_context_adds_neighbouring_paragraphs_of_the_same_article(news: NewsIndex) -> None:
    (hit,) = news.search("guarantees", context=2).hits
    assert hit.pid == "explore/cocoa-2#3"
    assert [p.pid for p in hit.context_before] == ["explore/cocoa-2#1", "explore/cocoa-2#2"]
    assert hit.context_after == ()
    (first,) = news.search("hydraulics", context=1).hits
    assert first.paragraph == 2
    assert [p.paragraph for p in first.context_before] == [1]
    assert [p.paragraph for p in first.context_after] == [3]
    assert news.search("hydraulics").hits[0].context_before == ()


def test_context_paragraphs_mark_the_query_matches(news: NewsIndex) -> None:
    hits = news.search("guarantees OR cooperation", context=1, limit=100).hits
    hit = next(hit for hit in hits if hit.pid == "explore/cocoa-2#3")
    (before,) = hit.context_before
    assert before.pid == "explore/cocoa-2#2"
    assert [before.text[m.start:m.end] for m in before.matches] == ["Cooperation"]


def test_show_article_gives_every_paragraph_in_order_with_the_hit_marked(news: NewsIndex) -> None:
    view = show_article(news, f"{SEED_ID}#6", query="cooperation")
    assert view.article_id == SEED_ID and view.marked == 6
    assert [p.paragraph for p in view.paragraphs] == list(range(1, 9))
    assert view.paragraphs[5].text.startswith("“Currently, cooperation")
    assert view.paragraphs[3].heading == "Strengthening cooperation"
    marked = {p.paragraph: [p.text[m.start:m.end] for m in p.matches] for p in view.paragraphs}
    assert marked[6] == ["cooperation", "cooperation"] and marked[1] == []
    assert view.date == date(2025, 8, 15) and view.section == "AFRICA"


def test_show_article_by_article_id_marks_nothing(news: NewsIndex) -> None:
    view = show_article(news, "explore/rail-1")
    assert view.marked is None and [p.pid for p in view.paragraphs] == ["explore/rail-1#1", "explore/rail-1#2"]
    assert all(p.matches == () for p in view.paragraphs)


@pytest.mark.parametrize("bad", ["explore/rail-1#9", "no-such-article", ""])
def test_show_unknown_id_raises(news: NewsIndex, bad: str) -> None:
    with pytest.raises(UnknownIdError, match="no paragraph or article with id"):
        show_article(news, bad)


# ----------------------------------------------------------------------------- similar


def test_similar_never_returns_the_paragraph_itself(news: NewsIndex) -> None:
    results = similar(news, "explore/rail-2#2", limit=50)
    assert results.hits and "explore/rail-2#2" not in {hit.pid for hit in results}
    assert "cocoa" in [term.lower() for term in results.key_terms]
    assert not {"the", "and", "would", "said"} & {term.lower() for term in results.key_terms}
    assert [hit.score for hit in results] == sorted((hit.score for hit in results), reverse=True)


def test_similar_other_articles_leaves_out_its_own_article(news: NewsIndex) -> None:
    anywhere = similar(news, "explore/cocoa-1#3", limit=50)
    elsewhere = similar(news, "explore/cocoa-1#3", limit=50, other_articles=True)
    assert any(hit.article_id == "explore/cocoa-1" for hit in anywhere)
    assert elsewhere.hits and all(hit.article_id != "explore/cocoa-1" for hit in elsewhere)


def test_similar_hits_highlight_the_key_terms(news: NewsIndex) -> None:
    best = similar(news, "explore/rail-2#2").hits[0]
    assert words(best)


def test_similar_to_an_unknown_paragraph_raises(news: NewsIndex) -> None:
    with pytest.raises(UnknownIdError, match="no paragraph with id 'explore/rail-2'"):
        similar(news, "explore/rail-2")


# ----------------------------------------------------------------------------- timeline


def test_timeline_by_month_fills_gaps_and_counts_every_match(news: NewsIndex) -> None:
    result = timeline(news, COCOA_OR_COOPERATION)
    assert result.buckets[0].period == "2024-01" and result.buckets[-1].period == "2025-08"
    assert len(result.buckets) == 20
    counts = {b.period: b.count for b in result.buckets if b.count}
    assert counts == {"2024-01": 5, "2024-03": 3, "2025-08": 3}
    assert sum(b.count for b in result.buckets) + result.undated == result.total == 12
    assert result.buckets[1].start == date(2024, 2, 1) and result.buckets[1].end == date(2024, 2, 29)


def test_timeline_of_articles_counts_each_article_once(news: NewsIndex) -> None:
    result = timeline(news, COCOA_OR_COOPERATION, by="week", articles=True)
    assert result.total == 5 and result.undated == 1 and result.unit == "articles"
    counts = {b.period: b.count for b in result.buckets if b.count}
    assert counts == {"2024-W03": 1, "2024-W05": 1, "2024-W10": 1, "2025-W33": 1}
    assert all(b.start.weekday() == 0 for b in result.buckets)


@pytest.mark.parametrize("by, first", [("day", "2024-01-15"), ("year", "2024")])
def test_timeline_periods_are_labelled_by_their_length(news: NewsIndex, by: str, first: str) -> None:
    result = timeline(news, "cocoa", by=by)
    assert result.buckets[0].period == first
    assert sum(b.count for b in result.buckets) == 4


def test_timeline_applies_filters_and_rejects_a_bad_period(news: NewsIndex) -> None:
    assert timeline(news, COCOA_OR_COOPERATION, section="transport").total == 3
    assert timeline(news, COCOA_OR_COOPERATION, since="2025").total == 3
    with pytest.raises(QueryError, match="by must be one of day, week, month, year, not 'fortnight'"):
        timeline(news, "cocoa", by="fortnight")
    with pytest.raises(QueryError, match="since: cannot read 'soon'"):
        timeline(news, "cocoa", since="soon")


def test_star_means_every_paragraph(news: NewsIndex) -> None:
    assert news.search("*").total == news.paragraph_count == 38
    everything = timeline(news, "*", by="year")
    assert everything.total == 38 and everything.undated == 5
    assert [(b.period, b.count) for b in everything.buckets] == [("2022", 2), ("2023", 2), ("2024", 16), ("2025", 13)]
    assert news.search("* NOT cocoa").total == 38 - news.search("cocoa").total


# ----------------------------------------------------------------------------- stats


def test_stats_summarise_the_index(news: NewsIndex, explore_index: Path) -> None:
    stats = index_stats(news)
    assert (stats.articles, stats.paragraphs, stats.files) == (12, 38, 7)
    assert stats.paragraphs == news.paragraph_count
    assert (stats.first_date, stats.last_date) == (date(2022, 6, 30), date(2025, 9, 2))
    sections = {s.section.lower(): (s.articles, s.paragraphs) for s in stats.sections}
    assert sections["business"] == (4, 12)  # grain-prices (folder) and three invented articles
    assert sections["africa"] == (2, 13)
    assert sum(p for _, p in sections.values()) + stats.no_section_paragraphs == 38
    assert any(s.value == "Kwame Mensah" for s in stats.speakers)
    assert stats.size_bytes == sum(f.stat().st_size for f in explore_index.rglob("*") if f.is_file())
    assert stats.last_updated and stats.schema_version >= 2
    assert json.loads(to_json(stats.to_dict()))["articles"] == 12


# ----------------------------------------------------------------------------- export


def test_csv_has_one_row_per_hit_every_field_and_defused_formulas(news: NewsIndex) -> None:
    results = news.search("cocoa OR formula", limit=100)
    rows = list(csv.DictReader(io.StringIO(hits_csv(results.hits), newline="")))
    assert [row["pid"] for row in rows] == [hit.pid for hit in results]
    formula = next(row for row in rows if row["pid"] == "explore/bank-1#2")
    assert formula["text"].startswith("'=SUM(A1:A2)")
    assert "**formula**" in formula["highlighted"]
    first = rows[0]
    assert float(first["score"]) == pytest.approx(results.hits[0].score, abs=1e-4)
    assert first["rank"] == "1" and first["title"] == results.hits[0].title


def test_jsonl_is_one_hit_per_line_and_json_escapes_c1_controls() -> None:
    from newssearch import Hit

    hit = Hit(rank=1, score=1.0, pid="a#1", article_id="a", paragraph=1, title="T\x9b2J", text="x\x1by")
    (line,) = hits_jsonl([hit]).splitlines()
    assert "\x9b" not in line and "\\u009b" in line and "\\u001b" in line
    assert json.loads(line)["title"] == "T\x9b2J"
    row = next(csv.DictReader(io.StringIO(hits_csv([hit]))))
    assert row["text"] == "x\\x1by" and row["title"] == "T\\x9b2J"


def test_results_to_dict_has_paging_facets_and_suggestion(news: NewsIndex) -> None:
    data = json.loads(to_json(news.search("cocoa", facets=True, limit=2, page=2, suggest=True).to_dict()))
    assert (data["page"], data["pages"], data["page_size"], data["total"], data["sort"]) == (2, 3, 2, 5, "relevance")
    assert data["facets"]["section"]["values"][0] == {"value": "Business", "count": 3}
    assert data["suggestion"] is None and data["hits"][0]["rank"] == 3


# ----------------------------------------------------------------------------- README


def test_readme_exploring_example_runs_as_printed(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from conftest import REPO, SEED

    from newssearch import index_paths

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```py\n(.*?)```", readme, flags=re.DOTALL)
    (tmp_path / "documents").mkdir()
    shutil.copy(SEED, tmp_path / "documents")
    index_paths([tmp_path / "documents"], tmp_path / "index")
    (tmp_path / "example.py").write_text(example, encoding="utf-8")
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Belousov"
    assert lines[1].startswith("5 1 4 (FacetCount(value='2025-08', count=5),)")
    assert lines[4] == "[('2025-08', 5)]"
    assert lines[5] == "8 paragraphs"
