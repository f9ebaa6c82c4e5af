"""Facets, date sorting, timelines and stats over segments that differ in which columns they hold
(a batch with no dates, no speakers or no sections writes no such column)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newssearch import NewsIndex, index_paths, index_stats, timeline

UNDATED = "Plain story\n\nThe cocoa harvest was late this year.\n"
DATED = ' date 2025-08-15 AFRICA\nDated story\n\n“Cocoa prices will rise,” said Ama Mensah.\n'


@pytest.mark.parametrize("order", [("undated", "dated"), ("dated", "undated")])
def test_every_column_reader_copes_with_segments_without_that_column(tmp_path: Path, order: tuple[str, str]) -> None:
    texts = {"undated": UNDATED, "dated": DATED}
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in order:  # one run each: two segments, one without date, section and speaker columns
        (docs / f"{name}.txt").write_text(texts[name], encoding="utf-8")
        index_paths([docs], tmp_path / "ix")
    with NewsIndex.open(tmp_path / "ix") as index:
        assert len(index.backend.searcher().reader().leaf_readers()) == 2
        results = index.search("cocoa", facets=True)
        assert {v.value: v.count for v in results.facets.month.values} == {"2025-08": 1}
        assert results.facets.month.missing == 1
        assert {v.value: v.count for v in results.facets.speaker.values} == {"Ama Mensah": 1}
        assert {v.value: v.count for v in results.facets.section.values} == {"AFRICA": 1}
        newest = index.search("cocoa", sort="newest")
        assert [(hit.title, hit.date) for hit in newest] == [("Dated story", date(2025, 8, 15)), ("Plain story", None)]
        assert [hit.title for hit in index.search("cocoa", per_article=True)] != []
        chart = timeline(index, "cocoa")
        assert [(b.period, b.count) for b in chart.buckets] == [("2025-08", 1)] and chart.undated == 1
        stats = index_stats(index)
        assert (stats.first_date, stats.undated_paragraphs, stats.no_section_paragraphs) == (date(2025, 8, 15), 1, 1)
        assert [(s.value, s.count) for s in stats.speakers] == [("Ama Mensah", 1)]


def test_date_order_is_right_when_every_paragraph_matches(tmp_path: Path) -> None:
    """Every paragraph matching, in relevance order (not index order): each keeps its own date."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for day in range(1, 6):
        words = " ".join(["harbour"] * (6 - day) + ["quay"] * day)  # the earlier, the more relevant
        (docs / f"{day}.txt").write_text(f" date 2025-03-0{day} PORTS\nDay {day}\n\n{words}.\n", encoding="utf-8")
    index_paths([docs], tmp_path / "ix")
    with NewsIndex.open(tmp_path / "ix") as index:
        assert [hit.title for hit in index.search("harbour")] == [f"Day {d}" for d in range(1, 6)]
        assert [hit.title for hit in index.search("harbour", sort="newest")] == [f"Day {d}" for d in range(5, 0, -1)]
