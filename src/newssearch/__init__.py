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
from newssearch.request import DEFAULT_FACET_LIMIT, DEFAULT_LIMIT, Filters, SearchRequest
from newssearch.search import ArticleParagraph, Hit, SearchResults

# Public name -> the module that defines it.
_EXPORTS = {
    "Article": "articles", "ReadOptions": "articles", "ReadProblem": "articles", "read_file": "articles",
    "ArticleError": "errors", "IndexLockedError": "errors", "IndexNotFoundError": "errors",
    "NewssearchError": "errors", "QueryError": "errors", "SchemaMismatchError": "errors", "UnknownIdError": "errors",
    "ArticleView": "explore", "IndexStats": "explore", "SectionCount": "explore", "SimilarResults": "explore",
    "Timeline": "explore", "TimelineBucket": "explore", "index_stats": "explore", "show_article": "explore",
    "similar": "explore", "timeline": "explore",
    "Facet": "facets", "FacetCount": "facets", "Facets": "facets",
    "Fragment": "highlight", "Span": "highlight",
    "NewsIndex": "index", "index_paths": "index",
    "IndexReport": "indexing.run",
    "Paragraph": "paragraphs", "split_paragraphs": "paragraphs",
    "Correction": "spelling", "Suggestion": "spelling",
    "attribute_speakers": "speakers",
}

__all__ = [
    "Article", "ArticleError", "Fragment", "Hit", "IndexLockedError", "IndexNotFoundError", "IndexReport",
    "NewsIndex", "NewssearchError", "Paragraph", "QueryError", "ReadOptions", "ReadProblem",
    "SchemaMismatchError", "SearchResults", "Span", "attribute_speakers", "index_paths", "read_file",
    "search", "split_paragraphs", "Filters", "SearchRequest",
    # exploring a search: facets, did-you-mean, whole articles, similar paragraphs, timelines, stats
    "ArticleParagraph", "ArticleView", "Correction", "Facet", "FacetCount", "Facets", "IndexStats",
    "SectionCount", "SimilarResults", "Suggestion", "Timeline", "TimelineBucket", "UnknownIdError",
    "index_stats", "show_article", "similar", "timeline",
]

if TYPE_CHECKING:
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
    from newssearch.index import NewsIndex, index_paths
    from newssearch.indexing.run import IndexReport
    from newssearch.paragraphs import Paragraph, split_paragraphs
    from newssearch.spelling import Correction, Suggestion
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
