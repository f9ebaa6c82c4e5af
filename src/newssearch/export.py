"""Export hits and timelines for other programs: JSON, JSON Lines and CSV.

Every format carries every field, the score and the highlighted fragments. CSV is RFC 4180 (all
fields that need it quoted, CRLF line ends, UTF-8, one row per hit) and opens cleanly in a
spreadsheet: control characters are shown as ``\\x1b``-style escapes, and a text cell that
starts with ``=``, ``+``, ``-`` or ``@`` gets a leading ``'`` so that no spreadsheet runs it as
a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newssearch.render import Style, escape_controls, render_fragments, to_json
from newssearch.models import Hit, SearchResults

if TYPE_CHECKING:
    from newssearch.models import SimilarResults, Timeline

FORMATS = ("text", "json", "jsonl", "csv")

HIT_COLUMNS = (
    "rank", "score", "pid", "article_id", "paragraph", "title", "date", "section", "speakers", "heading",
    "subtitle", "source", "url", "authors", "path", "other_matches", "highlighted", "text",
)
TIMELINE_COLUMNS = ("period", "start", "end", "count")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN = Style(color=False)


def hit_row(hit: Hit) -> dict[str, object]:
    """A hit as one flat row: lists joined with ``; ``, the fragments with matches in ``**``."""
    return {
        "rank": hit.rank,
        "score": round(hit.score, 4),
        "pid": hit.pid,
        "article_id": hit.article_id,
        "paragraph": hit.paragraph,
        "title": hit.title,
        "date": hit.date.isoformat() if hit.date else "",
        "section": hit.section,
        "speakers": "; ".join(hit.speakers),
        "heading": hit.heading,
        "subtitle": hit.subtitle,
        "source": hit.source,
        "url": hit.url,
        "authors": "; ".join(hit.authors),
        "path": hit.path,
        "other_matches": "" if hit.other_matches is None else hit.other_matches,
        "highlighted": render_fragments(hit, _PLAIN),
        "text": hit.text,
    }


def hits_csv(hits: Iterable[Hit]) -> str:
    """Hits as CSV with a header row (the header alone when there are none)."""
    return rows_csv(HIT_COLUMNS, (hit_row(hit) for hit in hits))


def hits_jsonl(hits: Iterable[Hit]) -> str:
    """One JSON object per hit and line (the fields of ``Hit.to_dict``)."""
    return "\n".join(to_json(hit.to_dict(), indent=None) for hit in hits)


def rows_csv(columns: Sequence[str], rows: Iterable[dict[str, object]]) -> str:
    """``rows`` as CSV under a header of ``columns``."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(row[column]) for column in columns])
    return out.getvalue()


def spreadsheet_safe(value: object) -> object:
    """Numbers as they are; text with control characters escaped and formula starts defused."""
    if not isinstance(value, str):
        return value
    text = escape_controls(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def export_results(results: SearchResults | SimilarResults, fmt: str) -> str:
    """Hits of a search (or of :func:`~newssearch.search.similar.similar`) as ``json``, ``jsonl`` or ``csv``."""
    if fmt == "json":
        return to_json(results.to_dict())
    if fmt == "jsonl":
        return hits_jsonl(results.hits)
    if fmt == "csv":
        return hits_csv(results.hits)
    raise ValueError(f"not an export format: {fmt!r}")


def export_timeline(result: Timeline, fmt: str) -> str:
    """A timeline as one JSON document, or its buckets as JSON Lines or CSV rows."""
    if fmt == "json":
        return to_json(result.to_dict())
    rows = [bucket.to_dict() for bucket in result.buckets]
    if fmt == "jsonl":
        return "\n".join(to_json(row, indent=None) for row in rows)
    if fmt == "csv":
        return rows_csv(TIMELINE_COLUMNS, rows)
    raise ValueError(f"not an export format: {fmt!r}")


__all__ = ["FORMATS", "export_results", "export_timeline", "hit_row", "hits_csv", "hits_jsonl", "spreadsheet_safe"]
