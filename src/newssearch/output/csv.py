"""CSV for spreadsheets: RFC 4180 (fields quoted where needed, CRLF line ends, UTF-8), one row per
hit or per period, every field, the score and the fragments with matches in ``**``. Control
characters are shown as ``\\x1b``-style escapes, and a text cell that starts with ``=``, ``+``,
``-`` or ``@`` gets a leading ``'`` so that no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from newssearch.models import Hit, SearchResults, SimilarResults, Timeline
from newssearch.output.escape import spreadsheet_safe
from newssearch.output.text import Style, render_fragments

HIT_COLUMNS = (
    "rank", "score", "pid", "article_id", "paragraph", "title", "date", "section", "speakers", "heading",
    "subtitle", "source", "url", "authors", "path", "other_matches", "highlighted", "text",
)
TIMELINE_COLUMNS = ("period", "start", "end", "count")
_PLAIN = Style(color=False)


def hit_row(hit: Hit) -> dict[str, object]:
    """A hit as one flat row: lists joined with ``; ``, the fragments with matches in ``**``."""
    return {
        "rank": hit.rank, "score": round(hit.score, 4), "pid": hit.pid, "article_id": hit.article_id,
        "paragraph": hit.paragraph, "title": hit.title, "date": hit.date.isoformat() if hit.date else "",
        "section": hit.section, "speakers": "; ".join(hit.speakers), "heading": hit.heading,
        "subtitle": hit.subtitle, "source": hit.source, "url": hit.url, "authors": "; ".join(hit.authors),
        "path": hit.path, "other_matches": "" if hit.other_matches is None else hit.other_matches,
        "highlighted": render_fragments(hit, _PLAIN), "text": hit.text,
    }


def rows_csv(columns: Sequence[str], rows: Iterable[dict[str, object]]) -> str:
    """``rows`` as CSV under a header of ``columns``."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(row[column]) for column in columns])
    return out.getvalue()


def hits_csv(hits: Iterable[Hit]) -> str:
    """Hits as CSV with a header row (the header alone when there are none)."""
    return rows_csv(HIT_COLUMNS, (hit_row(hit) for hit in hits))


def results_csv(results: SearchResults | SimilarResults) -> str:
    return hits_csv(results.hits)


def timeline_csv(result: Timeline) -> str:
    return rows_csv(TIMELINE_COLUMNS, (bucket.to_dict() for bucket in result.buckets))
