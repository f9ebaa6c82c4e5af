"""newssearch: full-text search over news, one paragraph at a time.

>>> from newssearch import index_paths, search
>>> index_paths(["documents"], "index")          # doctest: +SKIP
>>> for hit in search("Belousov", index="index"):  # doctest: +SKIP
...     print(hit.rank, hit.title, hit.speakers)
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from newssearch.articles import Article, ReadOptions, ReadProblem, read_file
from newssearch.errors import (
    ArticleError, IndexLockedError, IndexNotFoundError, NewssearchError, QueryError, SchemaMismatchError,
    UnknownIdError,
)
from newssearch.explore import (
    ArticleView, IndexStats, SectionCount, SimilarResults, Timeline, TimelineBucket, index_stats, show_article,
    similar, timeline,
)
from newssearch.facets import Facet, FacetCount, Facets
from newssearch.highlight import Fragment, Span
from newssearch.index import IndexReport, NewsIndex, index_paths
from newssearch.paragraphs import Paragraph, split_paragraphs
from newssearch.search import DEFAULT_LIMIT, ArticleParagraph, Hit, SearchResults
from newssearch.spelling import Correction, Suggestion
from newssearch.speakers import attribute_speakers

__all__ = [
    "Article", "ArticleError", "Fragment", "Hit", "IndexLockedError", "IndexNotFoundError", "IndexReport",
    "NewsIndex", "NewssearchError", "Paragraph", "QueryError", "ReadOptions", "ReadProblem",
    "SchemaMismatchError", "SearchResults", "Span", "attribute_speakers", "index_paths", "read_file",
    "search", "split_paragraphs",
    # exploring a search: facets, did-you-mean, whole articles, similar paragraphs, timelines, stats
    "ArticleParagraph", "ArticleView", "Correction", "Facet", "FacetCount", "Facets", "IndexStats",
    "SectionCount", "SimilarResults", "Suggestion", "Timeline", "TimelineBucket", "UnknownIdError",
    "index_stats", "show_article", "similar", "timeline",
]


def search(query: str, *, index: str | os.PathLike[str] | None = None, limit: int = DEFAULT_LIMIT,
           section: str | None = None, speaker: str | None = None, since: str | date | None = None,
           until: str | date | None = None, **options: Any) -> SearchResults:
    """Open the index (default ``index/``), run one search and close it again.

    ``options`` are those of :func:`newssearch.search.run_search` (``page``, ``sort``,
    ``per_article``, ``facets``, ``suggest``, ``correct``, ``context``). For many searches, keep a
    :class:`NewsIndex` open and call its ``search`` method.
    """
    with NewsIndex.open(index) as news_index:
        return news_index.search(query, limit=limit, section=section, speaker=speaker, since=since, until=until,
                                 **options)
