"""What search, exploring and indexing need from a storage-and-ranking engine.

A backend answers a whole :class:`~newssearch.request.SearchRequest` — ranking, filters, sort,
one hit per article, facets, paging — so that a server engine can do each natively; newssearch
turns what it returns into hits, highlights and context (:mod:`newssearch.search`). Everything
crossing this seam is newssearch's own: the models of :mod:`newssearch.models`, the request, and
the types below. A backend keeps its engine's objects to itself.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from newssearch.errors import SearchTimeoutError
from newssearch.models import Facets, FacetCount, SectionCount, StoredParagraph, Suggestion
from newssearch.request import Filters, SearchRequest


@dataclass(frozen=True)
class ParsedQuery:
    """A query parsed once: its text, how it was understood (shown in JSON as ``parsed``), and the
    backend's compiled form, opaque to everything but that backend."""

    text: str
    described: str
    compiled: object = field(compare=False, repr=False)


@dataclass(frozen=True)
class Match:
    """One paragraph of a page of results, its score, and (one hit per article) how many other
    paragraphs of its article matched."""

    score: float
    paragraph: StoredParagraph
    other_matches: int | None = None


@dataclass(frozen=True)
class MatchPage:
    """The page a request asked for: its matches in order, how many paragraphs (and, one hit per
    article, articles) matched in all, the facets when asked for, and the indexed terms the query
    matched (wildcards and fuzzy words expanded), for highlighting."""

    matches: tuple[Match, ...]
    total: int
    articles: int | None
    facets: Facets | None
    terms: frozenset[str]


@dataclass(frozen=True)
class MatchValues:
    """The date and article of every match (for timelines)."""

    dates: tuple[date | None, ...]
    article_ids: tuple[str, ...]
    keys: tuple[object, ...]  # one distinct key per matching paragraph


@dataclass(frozen=True)
class IndexSummary:
    """What an index holds, counted by the backend (``stats`` adds files, size and update time)."""

    paragraphs: int
    articles: int
    first_date: date | None
    last_date: date | None
    undated_paragraphs: int
    sections: tuple[SectionCount, ...]
    no_section_paragraphs: int
    speakers: tuple[FacetCount, ...]
    distinct_speakers: int


class Deadline:
    """The time budget of a request; backends call :meth:`check` between units of work."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds if seconds is not None else None

    def check(self) -> None:
        """Raise :class:`SearchTimeoutError` once the budget is spent."""
        if self._end is not None and time.monotonic() > self._end:
            raise SearchTimeoutError(f"the search took longer than its time budget of {self.seconds:g} s "
                                     f"and was stopped")


class Backend(Protocol):
    """A storage-and-ranking engine holding paragraph documents (see :mod:`newssearch.schema`)."""

    location: Path

    def parse(self, text: str) -> ParsedQuery:
        """The query ``text`` parsed (QueryError with a one-line reason)."""

    def suggest(self, query: ParsedQuery) -> Suggestion | None:
        """A corrected query for words the index does not hold, or None."""

    def search(self, request: SearchRequest, query: ParsedQuery, deadline: Deadline) -> MatchPage:
        """The page ``request`` asks for, in the order it asks for."""

    def highlight_terms(self, query: ParsedQuery) -> frozenset[str]:
        """The indexed text terms ``query`` looks for (wildcards expanded), and its speaker names."""

    def paragraph(self, pid: str) -> StoredParagraph | None:
        """The paragraph with id ``pid``."""

    def article(self, article_id: str) -> list[StoredParagraph]:
        """Every paragraph of an article, in order (empty for an id the index does not hold)."""

    def paragraphs(self, article_id: str, numbers: Sequence[int]) -> list[StoredParagraph]:
        """Paragraphs ``numbers`` of an article, in that order, stopping at the first missing one."""

    def key_terms(self, paragraph: StoredParagraph, count: int) -> list[tuple[str, float]]:
        """The indexed terms of ``paragraph`` most distinctive of it, best first, with weights."""

    def more_like(self, terms: list[tuple[str, float]], limit: int, exclude: frozenset[str],
                  exclude_article: str | None) -> list[Match]:
        """The best paragraphs for weighted ``terms``, leaving out paragraph ids ``exclude`` and,
        when given, every paragraph of article ``exclude_article``."""

    def match_values(self, query: ParsedQuery, filters: Filters) -> MatchValues:
        """The date and article of every paragraph matching ``query`` within ``filters``."""

    def summary(self, top_speakers: int) -> IndexSummary:
        """Counts of what the index holds."""

    @property
    def paragraph_count(self) -> int:
        """Paragraph documents in the state read."""

    def state(self) -> str:
        """Names the committed state read: equal names, equal contents."""

    def refresh(self) -> None:
        """Move to the latest committed state."""

    def close(self) -> None:
        """Release the engine's resources."""


class SegmentWriter(Protocol):
    """Paragraph documents written by one indexing worker, published later by a commit."""

    posting_count: int  # how much it holds in memory: the worker starts another segment past a bound

    def add_document(self, **fields: object) -> None:
        """Add one paragraph document (the fields of :func:`newssearch.schema.paragraph_document`)."""

    @property
    def has_documents(self) -> bool:
        """Whether anything was added."""

    def finish(self) -> object:
        """Write what was added; a handle for :meth:`IndexWriter.commit` (picklable, opaque)."""

    def cancel(self) -> None:
        """Drop what was added."""


class IndexWriter(Protocol):
    """The writing side of a backend: segment writers for the workers (it is sent to worker
    processes, so it must be picklable) and atomic commits for the indexing run."""

    @property
    def location(self) -> Path:
        """Where the index is (the folder its lock and manifest are in)."""

    def segment_writer(self) -> SegmentWriter:
        """A writer for a new segment."""

    def segment_ids(self) -> frozenset[str]:
        """The segments of the latest commit (deletions of a run apply to these only)."""

    def commit(self, segments: list[object], delete: list[tuple[str, str]], delete_from: frozenset[str],
               manifest: object, *, merge: bool, drop: frozenset[str] = frozenset()) -> None:
        """Publish ``segments`` in one atomic commit, deleting the paragraphs whose ``(field, value)``
        is in ``delete`` from the segments ``delete_from`` and leaving out segments ``drop``, and
        record the new segments in ``manifest`` (a :class:`~newssearch.indexing.manifest.Manifest`)."""

    def tidy(self, manifest: object) -> None:
        """Before a run, under the lock: remove what a killed run left and record what it committed."""
