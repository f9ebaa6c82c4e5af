"""What an index holds: articles, paragraphs, dates, sections, top speakers, size and last update."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newssearch.errors import QueryError
from newssearch.indexing.check import reads_index
from newssearch.models import IndexStats
from newssearch.request import DEFAULT_FACET_LIMIT
from newssearch.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from newssearch.index import NewsIndex


@reads_index
def index_stats(index: NewsIndex, *, top_speakers: int = DEFAULT_FACET_LIMIT) -> IndexStats:
    """Summarise ``index``: articles, paragraphs, date range, sections, top speakers, size, last update."""
    if top_speakers < 1:
        raise QueryError(f"top_speakers must be at least 1, not {top_speakers}", parameter="top_speakers")
    summary = index.backend.summary(top_speakers)
    return IndexStats(
        location=str(index.location), articles=summary.articles, paragraphs=summary.paragraphs,
        files=len(index.indexed_files), first_date=summary.first_date, last_date=summary.last_date,
        undated_paragraphs=summary.undated_paragraphs, sections=summary.sections,
        no_section_paragraphs=summary.no_section_paragraphs, speakers=summary.speakers,
        distinct_speakers=summary.distinct_speakers, size_bytes=index.size_on_disk(),
        last_updated=index.last_updated(), schema_version=SCHEMA_VERSION)
