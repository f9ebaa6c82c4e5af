"""Read and bound the query parameters of a web request, from one table per endpoint.

The same tables give the OpenAPI document (:mod:`newssearch.web.openapi`), so what is
documented is what is checked. Only the web layer's own bounds live here (lengths, page size,
page number, context); whether a query, a date or a sort order makes sense is the library's
call, and its :class:`~newssearch.errors.QueryError` becomes a 400 as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import quote, urlencode

MAX_QUERY_CHARS = 500
MAX_FILTER_CHARS = 200
MAX_PAGE = 1000
MAX_PAGE_SIZE = 100          # hits per page, on the page and in the JSON API
EXPORT_ROWS = 1000           # rows of a CSV/JSON/JSONL export: the largest limit when format is not html
MAX_CONTEXT = 5
MAX_FACET_LIMIT = 50
DEFAULT_PAGE_SIZE = 10
DEFAULT_FACET_LIMIT = 10
SORTS = ("relevance", "newest", "oldest")
PERIODS = ("day", "week", "month", "year")
EXPORT_FORMATS = ("json", "jsonl", "csv")


class ParameterError(ValueError):
    """A request parameter is missing, repeated, unknown or out of bounds (HTTP 400)."""


@dataclass(frozen=True)
class Param:
    """One query parameter: its type, default, bounds and what it means."""

    name: str
    kind: str                      # "string", "integer" or "boolean"
    description: str
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    max_chars: int | None = None
    choices: tuple[str, ...] | None = None
    required: bool = False

    def read(self, raw: str) -> Any:
        """``raw`` as this parameter's type, or :class:`ParameterError` naming the parameter."""
        if self.kind == "boolean":
            return _boolean(self.name, raw)
        if self.kind == "integer":
            return self._integer(raw)
        if self.max_chars is not None and len(raw) > self.max_chars:
            raise ParameterError(f"{self.name} is {len(raw)} characters long; at most {self.max_chars} are allowed")
        if self.choices is not None and raw.lower() not in self.choices:
            raise ParameterError(f"{self.name} must be one of {', '.join(self.choices)}, not {raw!r}")
        return raw.lower() if self.choices is not None else raw

    def _integer(self, raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise ParameterError(f"{self.name} must be a whole number, not {raw[:40]!r}") from None
        if self.minimum is not None and value < self.minimum:
            raise ParameterError(f"{self.name} must be at least {self.minimum}, not {value}")
        if self.maximum is not None and value > self.maximum:
            raise ParameterError(f"{self.name} must be at most {self.maximum}, not {value}")
        return value


def _boolean(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ParameterError(f"{name} must be true or false (1 or 0), not {raw[:40]!r}")


def read_params(specs: Sequence[Param], query: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The values of ``specs`` read from the request's ``(name, value)`` pairs; defaults for the rest.

    An unknown, repeated or missing required parameter is a :class:`ParameterError`, so a typo
    (``limt=5``) is reported instead of silently ignored. An empty value counts as absent.
    """
    by_name = {spec.name: spec for spec in specs}
    values: dict[str, Any] = {}
    for name, raw in query:
        spec = by_name.get(name)
        if spec is None:
            raise ParameterError(f"unknown parameter {name[:40]!r} (known: {', '.join(sorted(by_name))})")
        if name in values:
            raise ParameterError(f"parameter {name!r} is given more than once")
        values[name] = spec.read(raw) if raw != "" or spec.kind == "boolean" else None
    for spec in specs:
        if values.get(spec.name) is None:
            if spec.required:
                raise ParameterError(f"parameter {spec.name!r} is required")
            values[spec.name] = spec.default
    return values


# --------------------------------------------------------------------------- the tables

QUERY = Param("q", "string", "The query: words, \"phrases\", AND/OR/NOT, field:value (as for `newssearch query`).",
              max_chars=MAX_QUERY_CHARS)
FILTERS = (
    Param("section", "string", "Only paragraphs of this section (case-insensitive).", max_chars=MAX_FILTER_CHARS),
    Param("speaker", "string", "Only paragraphs where this person is quoted.", max_chars=MAX_FILTER_CHARS),
    Param("since", "string", "Only articles dated on or after this (2025-08, 2025-08-15).", max_chars=50),
    Param("until", "string", "Only articles dated on or before this (a month means its last day).", max_chars=50),
)
PAGING = (
    Param("page", "integer", "Which page of `limit` hits.", default=1, minimum=1, maximum=MAX_PAGE),
    Param("sort", "string", "Best first, or by date.", default="relevance", choices=SORTS),
    Param("per_article", "boolean", "One hit per article, with a count of its other matches.", default=False),
    Param("context", "integer", "Paragraphs shown before and after each hit.", default=0, minimum=0,
          maximum=MAX_CONTEXT),
    Param("suggest", "boolean", "Suggest a corrected query when a word is not in the index.", default=True),
    Param("correct", "boolean", "Run the corrected query instead.", default=False),
)
API_SEARCH = (
    replace(QUERY, required=True), *FILTERS, *PAGING,
    Param("limit", "integer", f"Hits per page (up to {EXPORT_ROWS} when format is csv, json or jsonl: the export cap).",
          default=DEFAULT_PAGE_SIZE, minimum=1, maximum=EXPORT_ROWS),
    Param("facets", "boolean", "Count all matches by section, speaker and month.", default=False),
    Param("facet_limit", "integer", "Values per facet.", default=DEFAULT_FACET_LIMIT, minimum=1,
          maximum=MAX_FACET_LIMIT),
    Param("format", "string", "Output format, as the CLI's --format.", default="json", choices=EXPORT_FORMATS),
)
PAGE_SEARCH = (
    QUERY, *FILTERS, *PAGING,
    Param("limit", "integer", "Hits per page.", default=DEFAULT_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE),
    Param("by", "string", "Period of a bar of the timeline.", default="month", choices=PERIODS),
    Param("full", "boolean", "Count facets and the timeline however many paragraphs match.", default=False),
)
SPEAKER_PAGE = (
    Param("q", "string", "Words this person said (empty: their most recent quoted paragraphs).",
          max_chars=MAX_QUERY_CHARS),
    Param("page", "integer", "Which page.", default=1, minimum=1, maximum=MAX_PAGE),
    Param("sort", "string", "Order of the paragraphs (default: newest without words, relevance with).",
          choices=SORTS),
    Param("by", "string", "Period of a bar of the timeline.", default="month", choices=PERIODS),
)
ARTICLE = (Param("q", "string", "Mark what this query matches.", max_chars=MAX_QUERY_CHARS),)
SIMILAR = (
    Param("limit", "integer", "Number of paragraphs.", default=DEFAULT_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE),
    Param("other_articles", "boolean", "Leave out the paragraph's own article.", default=False),
    Param("format", "string", "Output format.", default="json", choices=EXPORT_FORMATS),
)
TIMELINE = (
    replace(QUERY, required=True), *FILTERS,
    Param("by", "string", "Length of a period.", default="month", choices=PERIODS),
    Param("articles", "boolean", "Count matching articles rather than paragraphs.", default=False),
    Param("format", "string", "Output format.", default="json", choices=EXPORT_FORMATS),
)
SPEAKERS = (
    Param("q", "string", "Count the speakers of the paragraphs matching this query (empty: the whole index).",
          max_chars=MAX_QUERY_CHARS),
    *FILTERS,
    Param("limit", "integer", "Number of speakers.", default=DEFAULT_FACET_LIMIT, minimum=1, maximum=MAX_PAGE_SIZE),
)
STATS = (Param("top", "integer", "Number of top speakers.", default=DEFAULT_FACET_LIMIT, minimum=1,
               maximum=MAX_PAGE_SIZE),)


# --------------------------------------------------------------------------- the search page's state


@dataclass(frozen=True)
class SearchState:
    """Everything a search page shows, as read from its URL; :meth:`url` writes it back.

    Every state is in the URL so that a search can be bookmarked and shared.
    """

    q: str | None = None
    section: str | None = None
    speaker: str | None = None
    since: str | None = None
    until: str | None = None
    page: int = 1
    sort: str = "relevance"
    per_article: bool = False
    context: int = 0
    suggest: bool = True
    correct: bool = False
    limit: int = DEFAULT_PAGE_SIZE
    by: str = "month"
    full: bool = False

    @classmethod
    def from_query(cls, query: Sequence[tuple[str, str]]) -> SearchState:
        return cls(**read_params(PAGE_SEARCH, query))

    def changed(self, **changes: Any) -> SearchState:
        """This state with ``changes``; any change but a page number goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        return replace(self, **changes)

    def pairs(self) -> list[tuple[str, str]]:
        """The parameters that differ from their defaults, in the tables' order."""
        defaults = SearchState()
        out = []
        for item in fields(self):
            value = getattr(self, item.name)
            if value == getattr(defaults, item.name) or value is None:
                continue
            out.append((item.name, ("1" if value else "0") if isinstance(value, bool) else str(value)))
        return out

    def url(self, path: str = "/", **changes: Any) -> str:
        """The URL of this state (with ``changes``) at ``path``."""
        state = self.changed(**changes) if changes else self
        query = urlencode(state.pairs())
        return f"{path}?{query}" if query else path

    def export_url(self, fmt: str) -> str:
        """The JSON API URL that exports this search's first :data:`EXPORT_ROWS` rows as ``fmt``."""
        state = replace(self, page=1, context=0)
        pairs = [(k, v) for k, v in state.pairs() if k not in ("by", "full", "limit", "page")]
        return "/api/search?" + urlencode([*pairs, ("limit", str(EXPORT_ROWS)), ("format", fmt)])


def path_quote(value: str) -> str:
    """``value`` as one URL path segment (``/`` and ``#`` encoded too)."""
    return quote(value, safe="")
