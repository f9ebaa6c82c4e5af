"""How many matching paragraphs (or articles) fall in each day, week, month or year."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import TYPE_CHECKING

from newssearch.errors import QueryError
from newssearch.indexing.check import reads_index
from newssearch.models import Timeline, TimelineBucket
from newssearch.request import Filters

if TYPE_CHECKING:
    from newssearch.index import NewsIndex

PERIODS = ("day", "week", "month", "year")
# A timeline longer than this is a mistake (a typo'd date, or by day over centuries), not a chart.
MAX_TIMELINE_PERIODS = 10_000


@reads_index
def timeline(index: NewsIndex, query: str, *, by: str = "month", articles: bool = False,
             section: str | None = None, speaker: str | None = None, since: str | date | None = None,
             until: str | date | None = None, filters: Filters | None = None) -> Timeline:
    """Count the paragraphs matching ``query`` (or, with ``articles``, their articles) per period.

    ``by`` is ``day``, ``week`` (ISO weeks, from Monday), ``month`` or ``year``. Filters are
    those of :meth:`NewsIndex.search` (or given whole as ``filters``). More than
    :data:`MAX_TIMELINE_PERIODS` periods from the first to the last dated match raise
    :class:`QueryError` (a longer ``by``, or ``since`` and ``until``, narrow it).
    """
    if by not in PERIODS:
        raise QueryError(f"by must be one of {', '.join(PERIODS)}, not {by!r}", parameter="by")
    started = time.perf_counter()
    filters = filters if filters is not None else Filters.build(section, speaker, since, until)
    backend = index.backend
    values = backend.match_values(backend.parse(query), filters)
    keys: tuple[object, ...] = values.article_ids if articles else values.keys
    per_start: dict[date, set[object]] = {}
    undated: set[object] = set()
    for day, key in zip(values.dates, keys):
        if day is None:
            undated.add(key)
        else:
            per_start.setdefault(period_start(day, by), set()).add(key)
    buckets = _fill(per_start, by)
    return Timeline(query=query, by=by, articles=articles, buckets=buckets, total=len(set(keys)),
                    undated=len(undated), seconds=time.perf_counter() - started, filters=tuple(filters.describe()))


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


def _fill(per_start: dict[date, set[object]], by: str) -> tuple[TimelineBucket, ...]:
    if not per_start:
        return ()
    buckets = []
    start: date | None = min(per_start)
    last = max(per_start)
    periods = period_count(min(per_start), last, by)
    if periods > MAX_TIMELINE_PERIODS:
        raise QueryError(
            f"the matches run from {min(per_start).isoformat()} to {last.isoformat()}: {periods:,} periods "
            f"by {by}, over the limit of {MAX_TIMELINE_PERIODS:,}; chart a longer period (by month or "
            f"year) or a shorter span (since, until)")
    while start is not None and start <= last:
        following = _next_start(start, by)
        end = following - timedelta(days=1) if following is not None else date.max
        buckets.append(TimelineBucket(_label(start, by), start, end, len(per_start.get(start, ()))))
        start = following
    return tuple(buckets)
