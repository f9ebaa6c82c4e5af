"""Look around a search: a whole article, similar paragraphs, a date histogram, what the index holds.

Each function takes an open :class:`~newssearch.index.NewsIndex` and returns frozen dataclasses
that outlive it; rendering them is ``render``'s and ``export``'s job.
"""

from __future__ import annotations

from newssearch.models import ArticleView, IndexStats, SectionCount, SimilarResults, Timeline, TimelineBucket  # noqa: F401  (defined there; imported from here too)

import os
import time
from datetime import date, timedelta
from pathlib import Path
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.errors import QueryError, UnknownIdError
from newssearch.indexing.check import reads_index
from newssearch.facets import (
    DEFAULT_FACET_LIMIT, Columns, section_facet, speaker_facet,
)
from newssearch.query import build_filter, make_filters, parse_query
from newssearch.schema import (
    ARTICLE_ID, AUTHORS, DATE, PARAGRAPH, PATH, PID, SCHEMA_VERSION, SECTION, SOURCE, SUBTITLE,
    TEXT_FIELD, TITLE, URL,
)
from newssearch.search import (
    DEFAULT_LIMIT, Hit, _hit, _split_names, article_paragraph, highlight_terms,
    matching_docnums,
)

if TYPE_CHECKING:
    from newssearch.index import NewsIndex

with whoosh_imports():
    from whoosh import query as wq
    from whoosh.analysis import STOP_WORDS

PERIODS = ("day", "week", "month", "year")
# A timeline longer than this is a mistake (a typo'd date, or --by day over centuries), not a chart.
MAX_TIMELINE_PERIODS = 10_000
DEFAULT_KEY_TERMS = 10
# Function words never worth searching for as a "key term" (whoosh's STOP_WORDS is shorter).
_STOP_WORDS = frozenset(STOP_WORDS) | frozenset("""
    about after again all also any been before being between both but did do does down during each
    few further had has he her here his how into its just more most no nor off once only other our
    out over own same she so some such than their them then there they through too under up very
    was were what when where which who whom why would said says
""".split())


# --------------------------------------------------------------------------- show


@reads_index
def show_article(index: NewsIndex, id: str, *, query: str | None = None) -> ArticleView:
    """The article holding paragraph ``id`` (``article#3``), that paragraph marked; or article ``id``.

    With ``query``, the words it matches are marked in every paragraph. An id the index does
    not hold raises :class:`UnknownIdError`.
    """
    searcher = index.searcher()
    _check_id(index, id, "no paragraph or article")
    with whoosh_imports():
        docnum = searcher.document_number(**{PID: id})
        if docnum is not None:
            stored = searcher.stored_fields(docnum)
            article_id, marked = stored.get(ARTICLE_ID, ""), int(stored.get(PARAGRAPH, 0))
        else:
            article_id, marked = id, None
        docnums = sorted(searcher.document_numbers(**{ARTICLE_ID: article_id}))
        if not docnums:
            raise UnknownIdError(f"no paragraph or article with id {id!r} in the index at {index.location}/")
        terms: frozenset[str] = frozenset()
        analyzer = searcher.schema[TEXT_FIELD].analyzer
        if query:
            terms = highlight_terms(parse_query(searcher.schema, query), searcher.reader(), analyzer)
        documents = [searcher.stored_fields(number) for number in docnums]
    documents.sort(key=lambda stored: int(stored.get(PARAGRAPH, 0)))
    first = documents[0]
    return ArticleView(
        article_id=article_id, title=first.get(TITLE, ""), marked=marked, query=query or None,
        paragraphs=tuple(article_paragraph(stored, terms, analyzer) for stored in documents),
        date=_stored_date(first), section=first.get(SECTION, ""), subtitle=first.get(SUBTITLE, ""),
        source=first.get(SOURCE, ""), url=first.get(URL, "") or "", authors=_split_names(first.get(AUTHORS, "")),
        path=first.get(PATH, ""))


def _check_id(index: NewsIndex, id: str, what: str) -> None:
    """Raise :class:`UnknownIdError` for an id no index can hold: bytes that are not UTF-8 (a
    command-line argument decoded with surrogate escapes) cannot be looked up."""
    try:
        id.encode("utf-8")
    except UnicodeEncodeError:
        raise UnknownIdError(f"{what} with id {id!r} in the index at {index.location}/ "
                             f"(the id holds bytes that are not UTF-8)") from None


def _stored_date(stored: dict[str, Any]) -> date | None:
    value = stored.get(DATE)
    return value.date() if value is not None and hasattr(value, "date") else None


# --------------------------------------------------------------------------- similar


@reads_index
def similar(index: NewsIndex, pid: str, *, limit: int = DEFAULT_LIMIT, other_articles: bool = False,
            key_terms: int = DEFAULT_KEY_TERMS) -> SimilarResults:
    """The ``limit`` paragraphs most like paragraph ``pid``, never ``pid`` itself.

    Its ``key_terms`` most distinctive words (frequent in it, rare in the index; whoosh's Bo1
    model; stop words such as ``the`` or ``with`` left out) are searched for, each weighted by
    how distinctive it is. ``other_articles`` leaves out every paragraph of ``pid``'s own article.
    """
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}")
    if key_terms < 1:
        raise QueryError(f"key terms must be at least 1, not {key_terms}")
    started = time.perf_counter()
    searcher = index.searcher()
    _check_id(index, pid, "no paragraph")
    with whoosh_imports():
        docnum = searcher.document_number(**{PID: pid})
        if docnum is None:
            raise UnknownIdError(f"no paragraph with id {pid!r} in the index at {index.location}/ "
                                 f"(similar needs a paragraph id such as 'article#3')")
        stored = searcher.stored_fields(docnum)
        text = stored.get(TEXT_FIELD, "")
        analyzer = searcher.schema[TEXT_FIELD].analyzer
        written = _surface_words(text, analyzer)
        candidates = searcher.key_terms_from_text(TEXT_FIELD, text, numterms=key_terms * 3, normalize=False)
        weighted = [(term, weight) for term, weight in candidates
                    if term not in _STOP_WORDS and written.get(term, term).lower() not in _STOP_WORDS][:key_terms]
        exclude = ({docnum} if not other_articles
                   else set(searcher.document_numbers(**{ARTICLE_ID: stored.get(ARTICLE_ID, "")})) | {docnum})
        terms = frozenset(term for term, _ in weighted)
        hits: tuple[Hit, ...] = ()
        if weighted:
            query = wq.Or([wq.Term(TEXT_FIELD, term, boost=weight) for term, weight in weighted])
            results = searcher.search(query, limit=limit, mask=exclude)
            hits = tuple(_hit(rank, score, searcher.stored_fields(number), terms, analyzer)
                         for rank, (score, number) in enumerate(results.top_n, 1))
    return SimilarResults(pid=pid, title=stored.get(TITLE, ""),
                          key_terms=tuple(written.get(term, term) for term, _ in weighted), hits=hits, seconds=time.perf_counter() - started, other_articles=other_articles)


def _surface_words(text: str, analyzer: Any) -> dict[str, str]:
    """Each indexed term of ``text`` as the text first writes it (``cooperation`` for the stem ``cooper``)."""
    written: dict[str, str] = {}
    for token in analyzer(text, chars=True, mode="query"):
        written.setdefault(token.text, text[token.startchar:token.endchar])
    return written


# --------------------------------------------------------------------------- timeline


@reads_index
def timeline(index: NewsIndex, query: str, *, by: str = "month", articles: bool = False,
             section: str | None = None, speaker: str | None = None, since: str | date | None = None,
             until: str | date | None = None) -> Timeline:
    """Count the paragraphs matching ``query`` (or, with ``articles``, their articles) per period.

    ``by`` is ``day``, ``week`` (ISO weeks, from Monday), ``month`` or ``year``. Filters are
    those of :meth:`NewsIndex.search`. More than :data:`MAX_TIMELINE_PERIODS` periods from the
    first to the last dated match raise :class:`QueryError` (a longer ``by``, or ``since`` and
    ``until``, narrow it).
    """
    if by not in PERIODS:
        raise QueryError(f"--by must be one of {', '.join(PERIODS)}, not {by!r}")
    started = time.perf_counter()
    searcher = index.searcher()
    parsed = parse_query(searcher.schema, query)
    filters = make_filters(section, speaker, since, until)
    with whoosh_imports():
        docnums = matching_docnums(searcher, parsed, build_filter(searcher.schema, filters))
        columns = Columns(searcher.reader(), docnums)
        dates = columns.dates()
        keys: list[Any] = columns.article_ids() if articles else list(docnums)
    per_start: dict[date, set[Any]] = {}
    undated: set[Any] = set()
    for day, key in zip(dates, keys):
        if day is None:
            undated.add(key)
        else:
            per_start.setdefault(period_start(day, by), set()).add(key)
    buckets = _fill(per_start, by)
    total = len(set(keys))
    return Timeline(query=query, by=by, articles=articles, buckets=buckets, total=total, undated=len(undated),
                    seconds=time.perf_counter() - started, filters=tuple(filters.describe()))


def period_start(day: date, by: str) -> date:
    """The first day of the ``by`` period holding ``day``."""
    if by == "day":
        return day
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _next_start(start: date, by: str) -> date | None:
    """The first day of the period after ``start``'s, or None after the last period of the calendar."""
    try:
        if by == "day":
            return start + timedelta(days=1)
        if by == "week":
            return start + timedelta(days=7)
        if by == "month":
            return date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return date(start.year + 1, 1, 1)
    except (OverflowError, ValueError):  # past 9999-12-31
        return None


def period_count(first: date, last: date, by: str) -> int:
    """How many ``by`` periods run from the one holding ``first`` to the one holding ``last``."""
    if by == "day":
        return (last - first).days + 1
    if by == "week":
        return (period_start(last, by) - period_start(first, by)).days // 7 + 1
    if by == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return last.year - first.year + 1


def _label(start: date, by: str) -> str:
    if by == "day":
        return start.isoformat()
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def _fill(per_start: dict[date, set[Any]], by: str) -> tuple[TimelineBucket, ...]:
    if not per_start:
        return ()
    buckets = []
    start: date | None = min(per_start)
    last = max(per_start)
    periods = period_count(min(per_start), last, by)
    if periods > MAX_TIMELINE_PERIODS:
        raise QueryError(
            f"the matches run from {min(per_start).isoformat()} to {last.isoformat()}: {periods:,} periods "
            f"by {by}, over the limit of {MAX_TIMELINE_PERIODS:,}; chart a longer period (--by month or "
            f"year) or a shorter span (--since, --until)")
    while start is not None and start <= last:
        following = _next_start(start, by)
        end = following - timedelta(days=1) if following is not None else date.max
        buckets.append(TimelineBucket(_label(start, by), start, end, len(per_start.get(start, ()))))
        start = following
    return tuple(buckets)


# --------------------------------------------------------------------------- stats


@reads_index
def index_stats(index: NewsIndex, *, top_speakers: int = DEFAULT_FACET_LIMIT) -> IndexStats:
    """Summarise ``index``: articles, paragraphs, date range, sections, top speakers, size, last update."""
    if top_speakers < 1:
        raise QueryError(f"top speakers must be at least 1, not {top_speakers}")
    searcher = index.searcher()
    reader = searcher.reader()
    with whoosh_imports():
        everyone = reader.doc_count_all()
        docnums: Sequence[int] = range(everyone) if not reader.has_deletions() else list(reader.all_doc_ids())
        columns = Columns(reader, docnums)
        article_ids = columns.article_ids()
        sections = columns.texts(SECTION)
        dates = [day for day in columns.dates() if day is not None]
        speakers = speaker_facet(columns.speakers(), limit=top_speakers)
    by_paragraphs = section_facet(sections, limit=None)
    first_of_article = {article_id: section for article_id, section in zip(article_ids, sections)}
    by_articles = section_facet(first_of_article.values(), limit=None)
    article_counts = {value.value: value.count for value in by_articles.values}
    section_counts = tuple(SectionCount(value.value, article_counts.get(value.value, 0), value.count)
                           for value in by_paragraphs.values)
    return IndexStats(
        location=str(index.location), articles=len(set(article_ids)), paragraphs=len(docnums),
        files=len(index.indexed_files), first_date=min(dates, default=None), last_date=max(dates, default=None),
        undated_paragraphs=len(docnums) - len(dates), sections=section_counts,
        no_section_paragraphs=by_paragraphs.missing, speakers=speakers.values,
        distinct_speakers=speakers.distinct, size_bytes=_size_on_disk(index.location),
        last_updated=index.last_updated(), schema_version=SCHEMA_VERSION)


def _size_on_disk(location: Path) -> int:
    """Bytes of the index folder's files (subfolders included, symbolic links not followed)."""
    total = 0
    for folder, _, files in os.walk(location):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total


__all__ = [
    "ArticleView", "IndexStats", "PERIODS", "SectionCount", "SimilarResults", "Timeline", "TimelineBucket",
    "index_stats", "period_start", "show_article", "similar", "timeline",
]
