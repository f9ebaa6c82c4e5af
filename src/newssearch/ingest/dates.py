"""Dates as people and feeds write them: reading article dates (with the one policy every command
follows for dates far from the rest) and reading date bounds of filters (a month means its first
or last day)."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from newssearch.errors import QueryError

EARLIEST_ARTICLE_DATE = date(1600, 1, 1)
LATEST_ARTICLE_DATE_AHEAD = timedelta(days=366)
MAX_DATE_TEXT = 100  # characters; a longer "date" is not one (and would take dateutil seconds)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{1,2}(?:-\d{1,2})?(?:\b|T)")
_PLAIN_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date_text(value: str, fuzzy: bool = False) -> date | None:
    """Parse a date written any common way (ISO, "August 15, 2025", "15/08/2025"); None if not a date.

    A date must name its year: "March", "Tuesday", "10:30" or "12" are not dates (dateutil
    would fill in a year of its own). A missing month or day is the first (``2025`` is 1 January).
    """
    if len(value) == 10 and _PLAIN_ISO_DATE_RE.fullmatch(value):  # the usual case, without dateutil
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # an impossible date: dateutil decides (and rejects it)
    if len(value) > MAX_DATE_TEXT:
        return None
    try:
        # Year 1 as the default marks a year that was not given: no article is dated then.
        parsed = parse_datetime(value, fuzzy=fuzzy, default=datetime(1, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date() if parsed.year != 1 else None


def article_date(value: date, what: str = "date") -> tuple[date | None, str | None]:
    """``(value, None)`` when an article may carry ``value``, else ``(None, warning)``.

    The policy every command follows: articles are dated within :func:`article_date_window`;
    other dates are reported and left empty.
    """
    first, last = article_date_window()
    if first <= value <= last:
        return value, None
    return None, (f"{what} {value.isoformat()} is outside the dates newssearch keeps "
                  f"({first.isoformat()} to {last.isoformat()}); date left empty")


def article_date_window() -> tuple[date, date]:
    """The first and last dates an article may carry: 1600-01-01 (the first printed newspapers)
    and a year after today (an embargoed article may be dated ahead)."""
    return EARLIEST_ARTICLE_DATE, date.today() + LATEST_ARTICLE_DATE_AHEAD


def parse_datetime(value: str, *, default: datetime, fuzzy: bool = False) -> datetime:
    """dateutil's parser, reading ISO dates year-month-day and other numeric dates day first.

    Time zones are ignored (only the date is kept), which also keeps dateutil from warning
    about zone names it does not know.
    """
    iso = _ISO_DATE_RE.match(value.strip()) is not None
    # Imported here: loading dateutil's parser is a noticeable share of a query command's start-up.
    from dateutil import parser as dateparser  # noqa: PLC0415

    return dateparser.parse(value, dayfirst=not iso, yearfirst=iso, fuzzy=fuzzy, default=default, ignoretz=True)


def parse_date_bound(value: str | date, *, end: bool = False, name: str | None = None) -> date:
    """Read a date bound (``since``, ``until``); a month or year means its first (or, for ``end``,
    last) day.

    ``2025-08``, ``Aug 1 2025``, ``15/08/2025`` (day first) and ``2025`` all work. ``name`` (the
    parameter, say ``since``) starts the error message when the value cannot be read.
    """
    if isinstance(value, date):
        return value
    text = value.strip()
    try:
        first = parse_datetime(text, default=datetime(2000, 1, 1))
        second = parse_datetime(text, default=datetime(2004, 2, 2))
    except (ValueError, OverflowError, TypeError):
        which = f"{name}: " if name else ""
        raise QueryError(f"{which}cannot read {value!r} as a date (try 2025-08-15, 2025-08 or 'Aug 15 2025')",
                         parameter=name) from None
    year = first.year if first.year == second.year else date.today().year
    month_given = first.month == second.month
    day_given = first.day == second.day
    if end:
        month = first.month if month_given else 12
        day = first.day if day_given else calendar.monthrange(year, month)[1]
    else:
        month = first.month if month_given else 1
        day = first.day if day_given else 1
    return date(year, month, day)
