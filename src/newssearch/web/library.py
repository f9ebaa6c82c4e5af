"""Every call the web layer makes into the newssearch library, in one place.

The handlers in :mod:`newssearch.web.app` never touch the library themselves: they read their
parameters (:mod:`newssearch.web.params`), call one function here on a worker thread, and
render what it returns: searches are the CLI's :class:`~newssearch.request.SearchRequest`, exports
go through the output registry (:mod:`newssearch.output`), and each worker thread reads one
committed state per request (``NewsIndex.open(follow_commits=False)`` and ``refresh()``).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newssearch.errors import IndexNotFoundError, NewssearchError, QueryError, UnknownIdError
from newssearch.models import ArticleView, IndexStats, SimilarResults, Timeline
from newssearch.search.show import show_article
from newssearch.search.similar import similar
from newssearch.search.stats import index_stats
from newssearch.search.timeline import timeline as count_timeline
from newssearch.output import render
from newssearch.facets import Facet, FacetCount, Facets
from newssearch.index import NewsIndex
from newssearch.request import SearchRequest
from newssearch.indexing.manifest import MANIFEST_FILE
from newssearch.output.escape import to_json
from newssearch.models import SearchResults
from newssearch.web.budget import TimeLimitExceeded
from newssearch.web.params import SearchState

__all__ = [
    "ArticleView", "Facet", "Facets", "IndexStats", "IndexUnavailable", "NewssearchError", "PageExtras",
    "QueryError", "SearchResults", "SimilarResults", "SpeakerView", "Timeline", "UnknownIdError",
]

# How long a request waits for an index that is being swapped in by `newssearch index --rebuild`.
REOPEN_SECONDS = 2.0
# Facets and the timeline cost about this much per matching paragraph at 143k paragraphs
# (counting `said`, 60k matches: ~310 ms of facets + ~230 ms of timeline on this 2-core machine).
EXTRAS_MICROSECONDS_PER_MATCH = 9.0
# ... and about this many times the search for one page of hits ("cocoa": 4 ms, then 13 ms).
EXTRAS_TIMES_SEARCH = 3.0
# Names counted on a speaker page to find the exact one among those its phrase matches.
SPEAKER_FACET_LIMIT = 50


class IndexUnavailable(NewssearchError):
    """The index could not be opened (deleted, or mid-swap for longer than we wait)."""


# --------------------------------------------------------------------------- one committed state


def _manifest_key(location: Path) -> tuple[int, int] | None:
    """Changes whenever the manifest is rewritten: after every commit, and when a rebuild swaps in."""
    try:
        stat = os.stat(location / MANIFEST_FILE)
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def state_key(index: NewsIndex) -> tuple[object, ...]:
    """Names the committed state ``index`` reads: equal keys, equal contents."""
    return (str(index.location), _manifest_key(index.location), index.state())


class ThreadIndexes:
    """One :class:`NewsIndex` per worker thread, moved to the latest commit at each request.

    A rebuilt index can come back with the same whoosh generation as the one it replaced, so
    the manifest (rewritten atomically at every commit and by every swap) decides when to reopen.
    """

    def __init__(self, location: Path) -> None:
        self.location = location
        self._local = threading.local()
        self._open: set[NewsIndex] = set()   # every thread's index, to close them all at the end
        self._lock = threading.Lock()

    def check(self) -> int:
        """Open the index once (so a missing one fails at start-up); its paragraph count."""
        with NewsIndex.open(self.location) as index:
            return index.paragraph_count

    def current(self) -> NewsIndex:
        """This thread's index, pinned to the latest committed state."""
        key = _manifest_key(self.location)
        index: NewsIndex | None = getattr(self._local, "index", None)
        if index is not None and key is not None and key == getattr(self._local, "key", None):
            try:
                index.refresh()  # a commit that did not rewrite the manifest (``add_articles``)
                return index
            except Exception:  # noqa: BLE001  (whoosh's EmptyIndexError mid-swap, files moving): reopen below
                pass
        deadline = time.monotonic() + REOPEN_SECONDS
        while True:
            try:
                fresh = NewsIndex.open(self.location, follow_commits=False)
                fresh.refresh()
                break
            except Exception as error:  # noqa: BLE001  (mid-swap: no TOC yet, or files moving)
                if time.monotonic() > deadline:
                    raise IndexUnavailable(f"the index at {self.location}/ cannot be opened: {error}") from None
                time.sleep(0.02)
                key = _manifest_key(self.location)
        self.discard()
        self._local.index, self._local.key = fresh, key
        with self._lock:
            self._open.add(fresh)
        return fresh

    def discard(self) -> None:
        """Close this thread's index (after a stopped query, whose reader state is not trusted)."""
        index = getattr(self._local, "index", None)
        self._local.index = self._local.key = None
        if index is not None:
            self._close(index)

    def close_all(self) -> None:
        """Close every thread's index (the server is stopping)."""
        with self._lock:
            indexes, self._open = list(self._open), set()
        for index in indexes:
            self._close(index)

    def _close(self, index: NewsIndex) -> None:
        with self._lock:
            self._open.discard(index)
        try:
            index.close()
        except Exception:  # noqa: BLE001  (closing the files of a state that is gone)
            pass


# --------------------------------------------------------------------------- searching


def search_arguments(state: SearchState, **overrides: Any) -> dict[str, Any]:
    """The request parameters of a page state (the keywords of :meth:`SearchRequest.build`)."""
    arguments: dict[str, Any] = {
        "limit": state.limit, "section": state.section, "speaker": state.speaker, "since": state.since,
        "until": state.until, "page": state.page, "sort": state.sort, "per_article": state.per_article,
        "context": state.context, "suggest": state.suggest, "correct": state.correct,
    }
    arguments.update(overrides)
    return arguments


def search(index: NewsIndex, query: str, arguments: dict[str, Any]) -> SearchResults:
    """One page of hits, as ``newssearch query`` finds them: the same :class:`SearchRequest`."""
    return index.search(SearchRequest.build(query, **arguments))


@dataclass(frozen=True)
class PageExtras:
    """The facets and timeline of a search page, or why they were skipped."""

    facets: Facets | None = None
    timeline: Timeline | None = None
    skipped: str | None = None   # "facets skipped (60,000 matches)"


def page_extras(index: NewsIndex, results: SearchResults, state: SearchState, budget: float | None,
                stage: Callable[[Callable[[], Any], float | None], Any]) -> PageExtras:
    """Facets and timeline of the query ``results`` ran, on the same filters, within ``budget`` seconds.

    Skipped without trying when the match count says they cannot fit the budget, and stopped
    when they do not; the page then says so and links to a page that counts them anyway.
    ``stage(step, seconds)`` runs a step within a budget (:class:`TimeLimitExceeded` past it).
    """
    if not results.total:
        return PageExtras()
    skipped = f"facets and timeline skipped ({results.total:,} matches)"
    if budget is not None and not fits_budget(results, budget):
        return PageExtras(skipped=skipped)
    started = time.perf_counter()
    filters: dict[str, Any] = {"section": state.section, "speaker": state.speaker, "since": state.since,
                               "until": state.until}
    try:
        facets = stage(lambda: index.search(results.query, limit=1, facets=True, **filters).facets, budget)
    except TimeLimitExceeded:
        return PageExtras(skipped=skipped)
    left = None if budget is None else budget - (time.perf_counter() - started)
    try:
        found = stage(lambda: count_timeline(index, results.query, by=state.by, **filters), left)
    except TimeLimitExceeded:
        return PageExtras(facets=facets, skipped=f"timeline skipped ({results.total:,} matches)")
    return PageExtras(facets=facets, timeline=found)


def fits_budget(results: SearchResults, budget: float) -> bool:
    """Whether facets and timeline may fit ``budget`` seconds, judged before trying (a stop wastes the budget).

    Both go over every match, twice (ranked for the facets, listed for the timeline), so they
    take a few times the search that found one page of hits, and some microseconds per match.
    Under load the search itself is slower, so more pages skip them: the server sheds that work.
    """
    per_match = results.total * EXTRAS_MICROSECONDS_PER_MATCH / 1e6
    return per_match <= 2 * budget and EXTRAS_TIMES_SEARCH * results.seconds <= budget


def speaker_query(name: str) -> str:
    """The query for every paragraph quoting ``name``: the whole name as a phrase of the speaker field."""
    return 'speaker:"' + name.replace('"', " ").strip() + '"'


@dataclass(frozen=True)
class SpeakerView:
    """What the speaker page shows: the paragraphs, their timeline, and who else the name matched."""

    results: SearchResults
    timeline: Timeline
    quoted: int                    # paragraphs quoting exactly this name (0: no one of that name)
    others: tuple[FacetCount, ...]  # longer names holding this one ("Donald Trump Jr."), with their counts


def speaker_search(index: NewsIndex, name: str, words: str | None, page: int, sort: str | None,
                   by: str) -> SpeakerView:
    """Paragraphs quoting ``name`` (those with ``words`` when given, else the most recent), and their timeline.

    The library filters speakers by the name as a phrase, so ``Donald Trump`` also finds ``Donald
    Trump Jr.``; the speaker facet of the same query tells how many paragraphs quote exactly this
    name and which longer names matched, so the page can say so (and 404 for a name no one has).
    """
    query = speaker_query(name)
    if words:
        counted = index.search(query, limit=1, facets=True, facet_limit=SPEAKER_FACET_LIMIT).facets
        results = index.search(words, speaker=name, page=page, sort=sort or "relevance", suggest=True)
        found = count_timeline(index, results.query, by=by, speaker=name)
    else:  # sorted by date, every match is ranked anyway: the facets come with the same call
        results = index.search(query, page=page, sort=sort or "newest", facets=True, facet_limit=SPEAKER_FACET_LIMIT)
        counted = results.facets
        found = count_timeline(index, query, by=by)
    assert counted is not None
    quoted = next((value.count for value in counted.speaker.values if value.value == name), 0)
    others = tuple(value for value in counted.speaker.values
                   if value.value != name and speaker_query(value.value) != query
                   and name.casefold() in value.value.casefold())
    return SpeakerView(results, found, quoted, others)


def speakers(index: NewsIndex, query: str | None, filters: dict[str, Any], limit: int) -> Facet:
    """The speakers of the paragraphs matching ``query`` (every paragraph when None), most quoted first."""
    if not query:
        stats = index_stats(index, top_speakers=limit)
        return Facet("speaker", stats.speakers, stats.distinct_speakers, 0)
    found = index.search(query, limit=1, facets=True, facet_limit=limit, **filters).facets
    assert found is not None
    return found.speaker


def article(index: NewsIndex, id: str, query: str | None) -> ArticleView:
    return show_article(index, id, query=query)


def similar_paragraphs(index: NewsIndex, id: str, limit: int, other_articles: bool) -> SimilarResults:
    return similar(index, id, limit=limit, other_articles=other_articles)


def timeline(index: NewsIndex, query: str, by: str, articles: bool, filters: dict[str, Any]) -> Timeline:
    return count_timeline(index, query, by=by, articles=articles, **filters)


def stats(index: NewsIndex, top: int) -> IndexStats:
    return index_stats(index, top_speakers=top)


# --------------------------------------------------------------------------- output

CONTENT_TYPES = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv",
                 "markdown": "text/markdown", "html": "text/html"}


def export(found: SearchResults | SimilarResults | Timeline, fmt: str) -> str:
    """The CLI's own ``--format`` output for a search, similar paragraphs or a timeline (the output registry)."""
    return render(found, fmt)


def as_json(data: Any) -> str:
    """JSON as the CLI prints it (``to_dict()`` values)."""
    return to_json(data)


def missing_index(location: Path) -> str | None:
    """A one-line reason why ``location`` cannot be served, or None."""
    try:
        ThreadIndexes(location).check()
    except (IndexNotFoundError, NewssearchError) as error:
        return str(error)
    return None
