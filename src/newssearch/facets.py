"""Count matching paragraphs by section, speaker and month, from the index's columns.

Counts are exact over every matching paragraph, not just the page shown, and are computed only
when asked for. Per-document values come from whoosh columns (``article_id``, ``section``,
``speaker``, ``date``), which are much cheaper to read than stored fields.
"""

from __future__ import annotations

from newssearch.models import Facet, FacetCount, Facets  # noqa: F401  (defined there; imported from here too)

import struct
import weakref
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.schema import ARTICLE_ID, DATE, SECTION, SPEAKER, SPEAKER_SEPARATOR, label_analyzer

with whoosh_imports():
    from whoosh.analysis import Analyzer
    from whoosh.columns import MultiColumnReader, NumericColumn, VarBytesColumn

DEFAULT_FACET_LIMIT = 10
_MICROSECONDS_PER_DAY = 86_400_000_000
_NO_DATE = 2**64 - 1  # whoosh's default for a DATETIME column value that was never set


# Opening a column reads its offsets, per segment; keep them while the segment reader lives.
_COLUMN_READERS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


class Columns:
    """Per-paragraph values read from the index's columns, by global document number.

    Columns are read segment by segment: a segment written when no paragraph had a value (an
    undated batch) has no column file, and whoosh's multi-segment column reader then hands out
    another segment's values or runs past its end. Such a segment gives None for every paragraph.
    For a large share of the index, whole columns are read in one pass each; otherwise values
    are looked up one by one.
    """

    def __init__(self, reader: Any, docnums: Sequence[int]) -> None:
        self.reader = reader
        self.docnums = docnums

    def raw(self, fieldname: str) -> list[Any]:
        """The column's stored values (None where a segment has no such column)."""
        segments = list(self.reader.leaf_readers())
        columns = [_column_reader(segment, fieldname) for segment, _ in segments]
        if len(self.docnums) * 8 > self.reader.doc_count_all():  # a large share: whole columns, one read each
            every: list[Any] = []
            for (segment, _), column in zip(segments, columns):
                every.extend(whole_column(column) if column is not None else [None] * segment.doc_count_all())
            if isinstance(self.docnums, range) and self.docnums == range(len(every)):
                return every
            return [every[docnum] for docnum in self.docnums]
        starts = [offset for _, offset in segments]
        values = []
        for docnum in self.docnums:
            number = bisect_right(starts, docnum) - 1
            column = columns[number]
            values.append(None if column is None else column[docnum - starts[number]])
        return values

    def texts(self, fieldname: str) -> list[str]:
        """The column's values as strings ("" where unset)."""
        return _decoded(self.raw(fieldname), _text)

    def dates(self) -> list[date | None]:
        """Each paragraph's date, or None."""
        return _decoded(self.raw(DATE), long_to_date)

    def article_ids(self) -> list[str]:
        return self.texts(ARTICLE_ID)

    def speakers(self) -> list[tuple[str, ...]]:
        return _decoded(self.raw(SPEAKER), lambda value: split_names(_text(value)))


def _column_reader(segment: Any, fieldname: str) -> Any | None:
    """One segment's reader of a column, opened once per segment reader (None: no such column)."""
    opened = _COLUMN_READERS.setdefault(segment, {})
    if fieldname not in opened:
        with whoosh_imports():
            opened[fieldname] = (segment.column_reader(fieldname, translate=False)
                                 if segment.has_column(fieldname) else None)
    return opened[fieldname]


def _decoded(values: list[Any], decode: Any) -> list[Any]:
    """``decode`` applied to each value, once per distinct value (columns repeat values a lot)."""
    cache: dict[Any, Any] = {}
    out = []
    for value in values:
        if value not in cache:
            cache[value] = decode(value)
        out.append(cache[value])
    return out


def whole_column(column: Any) -> list[Any]:
    """Every document's value of a whoosh column reader, read in bulk where the format allows.

    Whoosh's readers seek and read once per value; for the two column types the schema uses
    (variable bytes, fixed-size numbers) one read per segment does, with the values sliced or
    unpacked in memory.
    """
    if isinstance(column, MultiColumnReader):
        return [value for reader in column._readers for value in whole_column(reader)]
    if type(column) is VarBytesColumn.Reader:
        if not column._doccount:
            return []
        offsets, lengths = column._offsets, column._lengths
        data = column._dbfile.get(column._basepos, offsets[-1] + lengths[-1])
        return [data[start:start + length] for start, length in zip(offsets, lengths)]
    if type(column) is NumericColumn.Reader and not column._reverse:
        count = min(column._count, column._doccount)
        data = column._dbfile.get(column._basepos, count * column._fixedlen)
        values = list(struct.unpack(f"!{count}{column._typecode}", data))
        return values + [column._default] * (column._doccount - count)
    return list(column)


def long_to_date(value: int | None) -> date | None:
    """A DATETIME column value (microseconds since 0001-01-01) as a date, None when unset."""
    if value is None or value == _NO_DATE:
        return None
    return date.fromordinal(1 + value // _MICROSECONDS_PER_DAY)


def split_names(value: str) -> tuple[str, ...]:
    return tuple(name for name in value.split(SPEAKER_SEPARATOR) if name)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def count_facets(searcher: Any, docnums: Sequence[int], *, limit: int = DEFAULT_FACET_LIMIT) -> Facets:
    """Facets of the paragraphs ``docnums`` (global document numbers of ``searcher``)."""
    columns = Columns(searcher.reader(), docnums)
    return Facets(
        section=section_facet(columns.texts(SECTION), limit=limit),
        speaker=speaker_facet(columns.speakers(), limit=limit),
        month=month_facet(columns.dates(), limit=limit),
    )


def section_facet(sections: Iterable[str], *, limit: int | None = DEFAULT_FACET_LIMIT,
                  name: str = "section") -> Facet:
    """Count sections the way the index matches them (``AFRICA`` = ``africa``), shown as most often written."""
    analyzer = label_analyzer()
    by_key: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    missing = 0
    for section, count in Counter(sections).items():
        key = _label_key(analyzer, section)
        if not key:
            missing += count
            continue
        by_key[key] += count
        spellings.setdefault(key, Counter())[section] += count
    counts = Counter({spellings[key].most_common(1)[0][0]: count for key, count in by_key.items()})
    return _facet(name, counts, missing, limit)


def speaker_facet(speakers: Iterable[Sequence[str]], *, limit: int | None = DEFAULT_FACET_LIMIT) -> Facet:
    """Count paragraphs per speaker (a paragraph with two speakers counts for both)."""
    counts: Counter[str] = Counter()
    missing = 0
    for names, paragraphs in Counter(speakers).items():
        if not names:
            missing += paragraphs
        for name in set(names):
            counts[name] += paragraphs
    return _facet("speaker", counts, missing, limit)


def month_facet(dates: Iterable[date | None], *, limit: int | None = DEFAULT_FACET_LIMIT) -> Facet:
    """Count paragraphs per month, ``YYYY-MM``."""
    counts: Counter[str] = Counter()
    missing = 0
    for day, paragraphs in Counter(dates).items():
        if day is None:
            missing += paragraphs
        else:
            counts[f"{day.year:04d}-{day.month:02d}"] += paragraphs
    return _facet("month", counts, missing, limit)


def _facet(name: str, counts: Counter[str], missing: int, limit: int | None) -> Facet:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if limit is not None:
        ordered = ordered[:limit]
    return Facet(name, tuple(FacetCount(value, count) for value, count in ordered), len(counts), missing)


def _label_key(analyzer: Analyzer, value: str) -> str:
    if not value.strip():
        return ""
    return "".join(token.text for token in analyzer(value.strip()))
