"""Run a query against an open index and return plain hit objects with scores and highlights.

Ranking is whoosh's BM25F. Hits are copied into frozen dataclasses while the searcher is open,
so they outlive it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from newssearch._whoosh import whoosh_imports
from newssearch.errors import QueryError
from newssearch.highlight import Fragment, best_fragments, match_spans
from newssearch.query import Filters, build_filter, parse_date_bound, parse_query, query_terms
from newssearch.schema import (
    ARTICLE_ID, AUTHORS, DATE, HEADING, PARAGRAPH, PATH, PID, SECTION, SOURCE, SPEAKER,
    SPEAKER_SEPARATOR, SUBTITLE, TEXT_FIELD, TITLE, URL,
)

DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Hit:
    """One matching paragraph, with everything needed to show or cite it."""

    rank: int
    score: float
    pid: str
    article_id: str
    paragraph: int
    title: str
    text: str
    date: date | None = None
    section: str = ""
    speakers: tuple[str, ...] = ()
    heading: str = ""
    subtitle: str = ""
    source: str = ""
    url: str = ""
    authors: tuple[str, ...] = ()
    path: str = ""
    fragments: tuple[Fragment, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """All fields as JSON-ready values."""
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "pid": self.pid,
            "article_id": self.article_id,
            "paragraph": self.paragraph,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "section": self.section,
            "speakers": list(self.speakers),
            "heading": self.heading,
            "subtitle": self.subtitle,
            "source": self.source,
            "url": self.url,
            "authors": list(self.authors),
            "path": self.path,
            "text": self.text,
            "highlights": [f.to_dict() for f in self.fragments],
        }


@dataclass(frozen=True)
class SearchResults:
    """The hits of one search, best first, and how many paragraphs matched in all."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    seconds: float
    parsed: str = ""
    filters: tuple[str, ...] = field(default=())

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self) -> dict[str, object]:
        return {"query": self.query, "parsed": self.parsed, "filters": list(self.filters),
                "total": self.total, "seconds": round(self.seconds, 4),
                "hits": [h.to_dict() for h in self.hits]}


def run_search(searcher: Any, query: str, *, limit: int = DEFAULT_LIMIT, section: str | None = None,
               speaker: str | None = None, since: str | date | None = None,
               until: str | date | None = None) -> SearchResults:
    """Search with whoosh ``searcher``: BM25F ranking, filters, highlighted fragments."""
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}")
    started = time.perf_counter()
    schema = searcher.schema
    parsed = parse_query(schema, query)
    filters = Filters(
        section=section or None,
        speaker=speaker or None,
        since=parse_date_bound(since) if since else None,
        until=parse_date_bound(until, end=True) if until else None,
    )
    restriction = build_filter(schema, filters)
    with whoosh_imports():
        results = searcher.search(parsed, limit=limit, filter=restriction)
        analyzer = schema[TEXT_FIELD].analyzer
        terms = highlight_terms(parsed, searcher.reader(), analyzer)
        hits = tuple(_hit(rank, result, terms, analyzer) for rank, result in enumerate(results, 1))
        total = _total_matches(results, limit)
    return SearchResults(query=query, total=total, hits=hits, seconds=time.perf_counter() - started,
                         parsed=str(parsed), filters=tuple(filters.describe()))


def highlight_terms(parsed: Any, reader: Any, analyzer: Any) -> frozenset[str]:
    """Text terms to highlight: the query's own, plus the names it asks of the speaker field."""
    names = query_terms(parsed, reader, SPEAKER)
    as_text = {token.text for name in names for token in analyzer(name)}
    return query_terms(parsed, reader, TEXT_FIELD) | as_text


def _total_matches(results: Any, limit: int) -> int:
    """How many paragraphs matched in all.

    When fewer than ``limit`` were scored, that is the total. Otherwise whoosh counts them;
    this order also avoids a whoosh 2.7.4 bug that ignores a filter matching nothing.
    """
    scored = results.scored_length()
    return scored if scored < limit else len(results)


def _hit(rank: int, result: Any, terms: frozenset[str], analyzer: Any) -> Hit:
    stored = result.fields()
    text = stored.get(TEXT_FIELD, "")
    fragments = best_fragments(text, match_spans(text, terms, analyzer))
    stored_date = stored.get(DATE)
    return Hit(
        rank=rank,
        score=float(result.score or 0.0),
        pid=stored.get(PID, ""),
        article_id=stored.get(ARTICLE_ID, ""),
        paragraph=int(stored.get(PARAGRAPH, 0)),
        title=stored.get(TITLE, ""),
        text=text,
        date=stored_date.date() if isinstance(stored_date, datetime) else None,
        section=stored.get(SECTION, ""),
        speakers=_split_names(stored.get(SPEAKER, "")),
        heading=stored.get(HEADING, ""),
        subtitle=stored.get(SUBTITLE, ""),
        source=stored.get(SOURCE, ""),
        url=stored.get(URL, "") or "",
        authors=_split_names(stored.get(AUTHORS, "")),
        path=stored.get(PATH, ""),
        fragments=tuple(fragments),
    )


def _split_names(value: str) -> tuple[str, ...]:
    return tuple(name for name in value.split(SPEAKER_SEPARATOR) if name)
