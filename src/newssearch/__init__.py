"""newssearch: full-text search over news, one paragraph at a time.

>>> from newssearch import index_paths, search
>>> index_paths(["documents"], "index")          # doctest: +SKIP
>>> for hit in search("Belousov", index="index"):  # doctest: +SKIP
...     print(hit.rank, hit.title, hit.speakers)
"""

from __future__ import annotations

import os
from datetime import date

from newssearch.articles import Article, ReadOptions, ReadProblem, read_file
from newssearch.errors import (
    ArticleError, IndexLockedError, IndexNotFoundError, NewssearchError, QueryError, SchemaMismatchError,
)
from newssearch.highlight import Fragment, Span
from newssearch.index import IndexReport, NewsIndex, index_paths
from newssearch.paragraphs import Paragraph, split_paragraphs
from newssearch.search import DEFAULT_LIMIT, Hit, SearchResults
from newssearch.speakers import attribute_speakers

__all__ = [
    "Article", "ArticleError", "Fragment", "Hit", "IndexLockedError", "IndexNotFoundError", "IndexReport",
    "NewsIndex", "NewssearchError", "Paragraph", "QueryError", "ReadOptions", "ReadProblem",
    "SchemaMismatchError", "SearchResults", "Span", "attribute_speakers", "index_paths", "read_file",
    "search", "split_paragraphs",
]


def search(query: str, *, index: str | os.PathLike[str] | None = None, limit: int = DEFAULT_LIMIT,
           section: str | None = None, speaker: str | None = None, since: str | date | None = None,
           until: str | date | None = None) -> SearchResults:
    """Open the index (default ``index/``), run one search and close it again.

    For many searches, keep a :class:`NewsIndex` open and call its ``search`` method.
    """
    with NewsIndex.open(index) as news_index:
        return news_index.search(query, limit=limit, section=section, speaker=speaker, since=since, until=until)
