"""Count matching paragraphs by section, speaker and month, from the index's columns.

Counts are exact over every matching paragraph, not just the page shown, and are computed only
when asked for. Per-document values come from whoosh columns (``article_id``, ``section``,
``speaker``, ``date``), which are much cheaper to read than stored fields.
"""

from __future__ import annotations

import struct
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from newssearch._whoosh import whoosh_imports
from newssearch.schema import ARTICLE_ID, DATE, SECTION, SPEAKER, SPEAKER_SEPARATOR, label_analyzer

with whoosh_imports():
    from whoosh.analysis import Analyzer
    from whoosh.columns import MultiColumnReader, NumericColumn, VarBytesColumn

DEFAULT_FACET_LIMIT = 10
_MICROSECONDS_PER_DAY = 86_400_000_000
_NO_DATE = 2**64 - 1  # whoosh's default for a DATETIME column value that was never set


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


# Opening a column reads its offsets, per segment; keep them while the reader (the searcher) lives.
_COLUMN_READERS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


class Columns:
    """Per-paragraph values read from the index's columns, by global document number.

    For a large share of the index the whole column is read in one pass; otherwise values are
    looked up one by one.
    """

    def __init__(self, reader: Any, docnums: Sequence[int]) -> None:
        self.reader = reader
        self.docnums = docnums
        self._whole = len(docnums) * 8 > reader.doc_count_all()

    def raw(self, fieldname: str) -> list[Any]:
        if not self.reader.has_column(fieldname):
            return [None] * len(self.docnums)
        with whoosh_imports():
            opened = _COLUMN_READERS.setdefault(self.reader, {})
            if fieldname not in opened:
                opened[fieldname] = self.reader.column_reader(fieldname, translate=False)
            column = opened[fieldname]
            if self._whole:
                every = whole_column(column)
                if len(every) == len(self.docnums):  # every document, none deleted
                    return every
                return [every[docnum] for docnum in self.docnums]
            return [column[docnum] for docnum in self.docnums]

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
