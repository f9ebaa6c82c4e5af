"""Counting matching paragraphs by section, speaker and month, from their values: exact over every
match, not only the page shown, the way the index matches values (``AFRICA`` = ``africa``).
Backends give the values (or the counts, where their engine counts natively)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from newssearch.analysis import label_key
from newssearch.models import Facet, FacetCount, Facets  # noqa: F401  (defined there; imported from here too)
from newssearch.request import DEFAULT_FACET_LIMIT


def section_facet(sections: Iterable[str], *, limit: int | None = DEFAULT_FACET_LIMIT,
                  name: str = "section") -> Facet:
    """Count sections the way the index matches them (``AFRICA`` = ``africa``), shown as most often written."""
    by_key: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    missing = 0
    for section, count in Counter(sections).items():
        key = _label_key(section)
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


def _label_key(value: str) -> str:
    return label_key(value) if value.strip() else ""
