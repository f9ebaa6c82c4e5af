"""newssearch: full-text search over news, one paragraph at a time.

>>> from newssearch import index_paths, search
>>> index_paths(["documents"], "index")          # doctest: +SKIP
>>> for hit in search("Belousov", index="index"):  # doctest: +SKIP
...     print(hit.rank, hit.title, hit.speakers)

Most names below load their module on first use, so that a search does not pay for loading
the indexer and the speaker rules.
"""

from __future__ import annotations

import importlib
import os
from datetime import date
from typing import TYPE_CHECKING, Any

# Loaded first, so that the function ``search`` defined below, not this submodule, is the
# package's ``search`` (a submodule imported later would replace it).
from newssearch.models import (  # noqa: F401  (public names)
    Article, ArticleParagraph, ArticleView, Correction, Facet, FacetCount, Facets, Fragment, Hit, IndexProgress, IndexReport, IndexStats, Paragraph, ReadOptions, ReadProblem, SearchResults, SectionCount, SimilarResults, Span, StoredParagraph, Suggestion, Timeline, TimelineBucket,
)
from newssearch.request import DEFAULT_FACET_LIMIT, DEFAULT_LIMIT, Filters, SearchRequest
from newssearch.search import run_search as _load_search_package  # noqa: F401

# Public name -> the module that defines it (models and request are loaded already).
_EXPORTS = {
    **dict.fromkeys(['IndexDamagedError', 'IndexFolderError', 'IndexLockedError', 'IndexNotFoundError', 'NewssearchError', 'QueryError', 'SchemaMismatchError', 'SearchTimeoutError', 'UnknownIdError'], "errors"),
    "read_file": "ingest.read", "split_paragraphs": "ingest.paragraphs", "attribute_speakers": "speakers",
    "NewsIndex": "index", "index_paths": "index",
    "show_article": "search.show", "similar": "search.similar", "timeline": "search.timeline",
    "index_stats": "search.stats",
}

__all__ = [
    # indexing and searching
    "NewsIndex", "index_paths", "search", "SearchRequest", "Filters", "read_file", "split_paragraphs",
    "attribute_speakers",
    # exploring: whole articles, similar paragraphs, timelines, stats
    "show_article", "similar", "timeline", "index_stats",
    # models
    "Article", "ArticleParagraph", "ArticleView", "Correction", "Facet", "FacetCount", "Facets", "Fragment", "Hit", "IndexProgress", "IndexReport", "IndexStats", "Paragraph", "ReadOptions", "ReadProblem", "SearchResults", "SectionCount", "SimilarResults", "Span", "StoredParagraph", "Suggestion", "Timeline", "TimelineBucket",
    # errors
    "IndexDamagedError", "IndexFolderError", "IndexLockedError", "IndexNotFoundError", "NewssearchError", "QueryError", "SchemaMismatchError", "SearchTimeoutError", "UnknownIdError",
]

if TYPE_CHECKING:
    from newssearch.ingest.read import read_file
    from newssearch.errors import (
        IndexDamagedError, IndexFolderError, IndexLockedError, IndexNotFoundError, NewssearchError, QueryError, SchemaMismatchError, SearchTimeoutError, UnknownIdError,
    )
    from newssearch.index import NewsIndex, index_paths
    from newssearch.ingest.paragraphs import split_paragraphs
    from newssearch.search.show import show_article
    from newssearch.search.similar import similar
    from newssearch.search.stats import index_stats
    from newssearch.search.timeline import timeline
    from newssearch.speakers import attribute_speakers


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newssearch' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"newssearch.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def search(query: str | SearchRequest, *, index: str | os.PathLike[str] | None = None, limit: int = DEFAULT_LIMIT,
           page: int = 1, sort: str = "relevance", per_article: bool = False, facets: bool = False,
           facet_limit: int = DEFAULT_FACET_LIMIT, suggest: bool = False, correct: bool = False, context: int = 0,
           section: str | None = None, speaker: str | None = None, since: str | date | None = None,
           until: str | date | None = None, time_budget: float | None = None) -> SearchResults:
    """Open the index (default ``index/``), run one search and close it again.

    The parameters are :class:`SearchRequest`'s (or pass one as ``query``). For many searches,
    keep a :class:`NewsIndex` open and call its ``search`` method.
    """
    from newssearch.index import NewsIndex  # noqa: PLC0415

    with NewsIndex.open(index) as news_index:
        return news_index.search(query, limit=limit, page=page, sort=sort, per_article=per_article, facets=facets,
                                 facet_limit=facet_limit, suggest=suggest, correct=correct, context=context,
                                 section=section, speaker=speaker, since=since, until=until,
                                 time_budget=time_budget)
