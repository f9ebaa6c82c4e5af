"""One search, as the command line, the Python API and the web server ask for it.

A :class:`SearchRequest` is built once — from keyword arguments with :meth:`SearchRequest.build`
(which reads dates written as text) or field by field — validated when it is made, and then run
by :func:`newssearch.search.run_search` on whichever backend holds the index. Its errors name the
request's parameters (``page``, ``since``); each front end says them its own way (``--page``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from newssearch.ingest.dates import parse_date_bound
from newssearch.errors import QueryError

SORTS = ("relevance", "newest", "oldest")
DEFAULT_LIMIT = 10
DEFAULT_FACET_LIMIT = 10
MAX_LIMIT = 100_000
MAX_PAGE = 1_000_000
MAX_CONTEXT = 100  # paragraphs either side of a hit: more is a whole article (``show``)


@dataclass(frozen=True)
class Filters:
    """Restrictions applied on top of the query; they do not change scores."""

    section: str | None = None
    speaker: str | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"since {self.since} is after the until date {self.until}", parameter="since")

    @classmethod
    def build(cls, section: str | None = None, speaker: str | None = None, since: str | date | None = None,
              until: str | date | None = None) -> Filters:
        """Filters from values as typed: dates as text (``2025-08`` means the month) or dates."""
        return cls(section=section or None, speaker=speaker or None,
                   since=_date_bound(since, "since", end=False), until=_date_bound(until, "until", end=True))

    def __bool__(self) -> bool:
        return bool(self.section or self.speaker or self.since or self.until)

    def describe(self) -> list[str]:
        """Human-readable descriptions of the active filters."""
        parts = []
        if self.section:
            parts.append(f"section is {self.section!r}")
        if self.speaker:
            parts.append(f"speaker matches {self.speaker!r}")
        if self.since:
            parts.append(f"on or after {self.since.isoformat()}")
        if self.until:
            parts.append(f"on or before {self.until.isoformat()}")
        return parts


def _date_bound(value: str | date | None, parameter: str, *, end: bool) -> date | None:
    if value is None or value == "":
        return None
    return parse_date_bound(value, end=end, name=parameter)


@dataclass(frozen=True)
class SearchRequest:
    """Everything that decides what one search returns.

    ``limit`` hits per ``page`` (1-based); ``sort`` is ``relevance``, ``newest`` or ``oldest``
    (undated paragraphs last); ``per_article`` keeps each article's best paragraph; ``facets``
    counts every match by section, speaker and month (``facet_limit`` values each); ``suggest``
    proposes a corrected query for words the index lacks and ``correct`` runs it; ``context``
    adds that many paragraphs either side of each hit; ``time_budget`` (seconds) stops a search
    that runs longer (:class:`~newssearch.errors.SearchTimeoutError`).
    """

    query: str
    filters: Filters = field(default_factory=Filters)
    limit: int = DEFAULT_LIMIT
    page: int = 1
    sort: str = "relevance"
    per_article: bool = False
    facets: bool = False
    facet_limit: int = DEFAULT_FACET_LIMIT
    suggest: bool = False
    correct: bool = False
    context: int = 0
    time_budget: float | None = None

    def __post_init__(self) -> None:
        _check("limit", self.limit, 1, MAX_LIMIT, f"limit must be from 1 to {MAX_LIMIT:,}")
        _check("page", self.page, 1, MAX_PAGE, "page must be at least 1")
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}", parameter="sort")
        _check("context", self.context, 0, MAX_CONTEXT, f"context must be 0 to {MAX_CONTEXT} paragraphs",
               " (show prints a whole article)")
        _check("facet_limit", self.facet_limit, 1, MAX_LIMIT, "facet_limit must be at least 1")
        if self.time_budget is not None and not (self.time_budget > 0 and math.isfinite(self.time_budget)):
            raise QueryError(f"time_budget must be a positive number of seconds, not {self.time_budget}",
                             parameter="time_budget")

    @classmethod
    def build(cls, query: str, *, limit: int = DEFAULT_LIMIT, page: int = 1, sort: str = "relevance",
              per_article: bool = False, facets: bool = False, facet_limit: int = DEFAULT_FACET_LIMIT,
              suggest: bool = False, correct: bool = False, context: int = 0, section: str | None = None,
              speaker: str | None = None, since: str | date | None = None, until: str | date | None = None,
              time_budget: float | None = None) -> SearchRequest:
        """A request from keyword arguments, the filters' dates as text or dates."""
        return cls(query, Filters.build(section, speaker, since, until), limit=limit, page=page, sort=sort,
                   per_article=per_article, facets=facets, facet_limit=facet_limit, suggest=suggest,
                   correct=correct, context=context, time_budget=time_budget)

    @property
    def start(self) -> int:
        """0-based position of the first hit of the page asked for."""
        return (self.page - 1) * self.limit

    @property
    def needs_every_match(self) -> bool:
        """Whether every match must be ranked (not only the top ``page × limit``)."""
        return self.sort != "relevance" or self.per_article or self.facets


def _check(parameter: str, value: int, low: int, high: int, rule: str, hint: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise QueryError(f"{rule}, not {value!r}{hint}", parameter=parameter)
