"""The frozen dataclasses handed between the stages — articles and paragraphs read, hits and
results found, facets, suggestions, whole articles, similar paragraphs, timelines, stats and
indexing reports. Renderers (text, JSON, CSV, Markdown, HTML) depend on these alone."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date


DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Article:
    """One news article: metadata plus its body as blocks (paragraphs and crossheads) in order."""

    id: str
    title: str
    body: tuple[str, ...]
    subtitle: str = ""
    date: date | None = None
    section: str = ""
    source: str = ""
    caption: str = ""
    url: str = ""
    authors: tuple[str, ...] = ()
    path: str = ""


@dataclass(frozen=True)
class ReadProblem:
    """Something wrong with an input file; ``skipped`` says whether content was lost.

    ``unreadable`` means the file could not be read at all (permission denied, an I/O error, a
    file that vanished): the index keeps what it held of it. A file that was read but yielded
    no article (empty, malformed) is not unreadable: its old paragraphs go.
    """

    path: str
    reason: str
    line: int | None = None
    skipped: bool = True
    unreadable: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ReadOptions:
    """Defaults for metadata a file does not carry itself (the file's own values win)."""

    section: str | None = None
    date: date | None = None
    section_from_folder: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: its 1-based number among the article's paragraphs, text and heading."""

    number: int
    text: str
    heading: str = ""


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of the paragraph text."""

    start: int
    end: int


@dataclass(frozen=True)
class Fragment:
    """A piece of the paragraph and the matches inside it (offsets are into the whole paragraph)."""

    start: int
    end: int
    text: str
    matches: tuple[Span, ...]

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text,
                "matches": [{"start": m.start, "end": m.end} for m in self.matches]}


@dataclass(frozen=True)
class Correction:
    """One word replaced: ``original`` at ``[start, end)`` of the query text became ``replacement``."""

    original: str
    replacement: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"original": self.original, "replacement": self.replacement, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Suggestion:
    """A corrected query and the words changed in it."""

    query: str
    corrections: tuple[Correction, ...]

    def to_dict(self) -> dict[str, object]:
        return {"query": self.query, "corrections": [c.to_dict() for c in self.corrections]}


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet and how many matching paragraphs (or articles) have it."""

    value: str
    count: int

    def to_dict(self) -> dict[str, object]:
        return {"value": self.value, "count": self.count}


@dataclass(frozen=True)
class Facet:
    """The most common values of one facet, most frequent first.

    ``distinct`` is the number of different values among all matches (``values`` may show
    fewer); ``missing`` is the number of matching paragraphs that have no value.
    """

    name: str
    values: tuple[FacetCount, ...]
    distinct: int
    missing: int

    def to_dict(self) -> dict[str, object]:
        return {"distinct": self.distinct, "missing": self.missing, "values": [v.to_dict() for v in self.values]}


@dataclass(frozen=True)
class Facets:
    """Counts of the matching paragraphs by section, by speaker and by month (``YYYY-MM``)."""

    section: Facet
    speaker: Facet
    month: Facet

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter((self.section, self.speaker, self.month))

    def to_dict(self) -> dict[str, object]:
        return {facet.name: facet.to_dict() for facet in self}


@dataclass(frozen=True)
class ArticleParagraph:
    """One paragraph of an article, as context around a hit or in a whole article, with query matches."""

    pid: str
    paragraph: int
    text: str
    heading: str = ""
    speakers: tuple[str, ...] = ()
    matches: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"pid": self.pid, "paragraph": self.paragraph, "heading": self.heading,
                "speakers": list(self.speakers), "text": self.text,
                "matches": [{"start": m.start, "end": m.end} for m in self.matches]}


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
    other_matches: int | None = None  # with per_article: the article's other matching paragraphs
    context_before: tuple[ArticleParagraph, ...] = ()  # with context=N: up to N paragraphs before
    context_after: tuple[ArticleParagraph, ...] = ()

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
            "other_matches": self.other_matches,
            "context_before": [p.to_dict() for p in self.context_before],
            "context_after": [p.to_dict() for p in self.context_after],
        }


@dataclass(frozen=True)
class SearchResults:
    """One page of hits, in the order asked for, and how many paragraphs matched in all.

    With ``per_article``, ``articles`` is the number of matching articles and pages count
    articles. ``facets`` and ``suggestion`` are None unless asked for; ``corrected_from`` is the
    query as typed when a corrected query was run instead.
    """

    query: str
    total: int
    hits: tuple[Hit, ...]
    seconds: float
    parsed: str = ""
    filters: tuple[str, ...] = field(default=())
    page: int = 1
    page_size: int = DEFAULT_LIMIT
    sort: str = "relevance"
    per_article: bool = False
    articles: int | None = None
    facets: Facets | None = None
    suggestion: Suggestion | None = None
    corrected_from: str | None = None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    @property
    def units(self) -> int:
        """What pages count: matching articles with ``per_article``, else matching paragraphs."""
        return self.articles if self.per_article and self.articles is not None else self.total

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.units / self.page_size))

    @property
    def first(self) -> int:
        """1-based position of the first hit shown (0 when none)."""
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1 if self.hits else 0

    def to_dict(self) -> dict[str, object]:
        return {"query": self.query, "parsed": self.parsed, "filters": list(self.filters),
                "total": self.total, "articles": self.articles, "page": self.page,
                "page_size": self.page_size, "pages": self.pages, "sort": self.sort,
                "per_article": self.per_article, "seconds": round(self.seconds, 4),
                "corrected_from": self.corrected_from,
                "suggestion": self.suggestion.to_dict() if self.suggestion else None,
                "facets": self.facets.to_dict() if self.facets else None,
                "hits": [h.to_dict() for h in self.hits]}


@dataclass(frozen=True)
class ArticleView:
    """A whole article from the index: its fields and every paragraph, in order.

    ``marked`` is the paragraph number asked for (None when an article id was given);
    paragraphs carry the matches of ``query`` when one was given.
    """

    article_id: str
    title: str
    paragraphs: tuple[ArticleParagraph, ...]
    marked: int | None = None
    query: str | None = None
    date: date | None = None
    section: str = ""
    subtitle: str = ""
    source: str = ""
    url: str = ""
    authors: tuple[str, ...] = ()
    path: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"article_id": self.article_id, "title": self.title, "subtitle": self.subtitle,
                "date": self.date.isoformat() if self.date else None, "section": self.section,
                "source": self.source, "url": self.url, "authors": list(self.authors), "path": self.path,
                "marked": self.marked, "query": self.query,
                "paragraphs": [p.to_dict() for p in self.paragraphs]}


@dataclass(frozen=True)
class SimilarResults:
    """Paragraphs most like paragraph ``pid``, found by its key terms (most distinctive first)."""

    pid: str
    title: str
    key_terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    seconds: float
    other_articles: bool = False

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self) -> dict[str, object]:
        return {"pid": self.pid, "title": self.title, "key_terms": list(self.key_terms),
                "other_articles": self.other_articles, "seconds": round(self.seconds, 4),
                "hits": [hit.to_dict() for hit in self.hits]}


@dataclass(frozen=True)
class TimelineBucket:
    """One period of a timeline: its label (``2025-08``, ``2025-W33``, ``2025-08-15``, ``2025``)."""

    period: str
    start: date
    end: date
    count: int

    def to_dict(self) -> dict[str, object]:
        return {"period": self.period, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "count": self.count}


@dataclass(frozen=True)
class Timeline:
    """How many matching paragraphs (or articles) fall in each period, oldest first, gaps as zero.

    ``total`` counts every match (paragraphs, or articles with ``articles``); ``undated`` those
    without a date, which no bucket holds.
    """

    query: str
    by: str
    articles: bool
    buckets: tuple[TimelineBucket, ...]
    total: int
    undated: int
    seconds: float
    filters: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        return "articles" if self.articles else "paragraphs"

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.buckets)

    def to_dict(self) -> dict[str, object]:
        return {"query": self.query, "by": self.by, "unit": self.unit, "filters": list(self.filters),
                "total": self.total, "undated": self.undated, "seconds": round(self.seconds, 4),
                "buckets": [bucket.to_dict() for bucket in self.buckets]}


@dataclass(frozen=True)
class SectionCount:
    """A section and how many articles and paragraphs the index holds in it."""

    section: str
    articles: int
    paragraphs: int

    def to_dict(self) -> dict[str, object]:
        return {"section": self.section, "articles": self.articles, "paragraphs": self.paragraphs}


@dataclass(frozen=True)
class IndexStats:
    """What an index holds: counts, date range, sections, top speakers, size on disk, last update."""

    location: str
    articles: int
    paragraphs: int
    files: int
    first_date: date | None
    last_date: date | None
    undated_paragraphs: int
    sections: tuple[SectionCount, ...]
    no_section_paragraphs: int
    speakers: tuple[FacetCount, ...]
    distinct_speakers: int
    size_bytes: int
    last_updated: str | None
    schema_version: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"location": self.location, "articles": self.articles, "paragraphs": self.paragraphs,
                "files": self.files, "first_date": self.first_date.isoformat() if self.first_date else None,
                "last_date": self.last_date.isoformat() if self.last_date else None,
                "undated_paragraphs": self.undated_paragraphs,
                "sections": [s.to_dict() for s in self.sections],
                "no_section_paragraphs": self.no_section_paragraphs,
                "speakers": [s.to_dict() for s in self.speakers], "distinct_speakers": self.distinct_speakers,
                "size_bytes": self.size_bytes, "last_updated": self.last_updated,
                "schema_version": self.schema_version}


@dataclass
class IndexReport:
    """What one indexing run did."""

    files_indexed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    articles: int = 0
    paragraphs: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    seconds: float = 0.0
    commits: int = 0
    workers: int = 1
    stale_lock_pid: int | None = None

    @property
    def skipped(self) -> list[ReadProblem]:
        """Problems that lost content (a file or a record not indexed)."""
        return [p for p in self.problems if p.skipped]

    @property
    def warnings(self) -> list[ReadProblem]:
        """Problems that did not stop the content from being indexed."""
        return [p for p in self.problems if not p.skipped]


@dataclass(frozen=True)
class IndexProgress:
    """Passed to a progress callback as work completes."""

    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    articles: int
    paragraphs: int
    seconds: float
