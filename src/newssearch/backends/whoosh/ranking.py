"""BM25F ranking, as whoosh computes it, with each segment's field lengths held in memory.

Whoosh's BM25F reads a document's field length from disk for every document it scores. For a
term in thousands of paragraphs that is most of the query time, so this scorer reads a
segment's length column once, keeps it with the segment reader, and looks lengths up in a list.
Scores are identical to whoosh's.
"""

from __future__ import annotations

from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports

with whoosh_imports():
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.scoring import BM25F, BM25FScorer
    from whoosh.util.numeric import byte_to_length

# Below this many postings in a segment, reading single lengths is cheaper than the whole column.
PRELOAD_MIN_POSTINGS = 1000
BYTE_TO_LENGTH = [1] + [byte_to_length(b) for b in range(1, 256)]  # whoosh scores a missing length as 1


class CachedLengthBM25F(BM25F):
    """``BM25F`` whose scorers look field lengths up in memory for frequent terms."""

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, BM25FScorer):
            info = searcher.term_info(fieldname, text)
            if info.doc_frequency() >= PRELOAD_MIN_POSTINGS:
                lengths = field_lengths(searcher.reader(), fieldname)
                if lengths is not None:
                    scorer.dfl = lengths.__getitem__
        return scorer


def field_lengths(reader: Any, fieldname: str) -> list[int] | None:
    """Every document's length in ``fieldname`` for one segment reader, cached on the reader."""
    cache = reader.__dict__.setdefault("_newssearch_lengths", {})
    if fieldname not in cache:
        length_bytes = field_length_bytes(reader, fieldname)
        cache[fieldname] = None if length_bytes is None else list(map(BYTE_TO_LENGTH.__getitem__, length_bytes))
    return cache[fieldname]


def field_length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """Every document's length byte in ``fieldname`` (``BYTE_TO_LENGTH`` decodes it), cached on the reader."""
    cache = reader.__dict__.setdefault("_newssearch_length_bytes", {})
    if fieldname not in cache:
        cache[fieldname] = _load_length_bytes(reader, fieldname)
    return cache[fieldname]


def _load_length_bytes(reader: Any, fieldname: str) -> bytes | None:
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not perdoc.has_column(_lenfield(fieldname)):
        return None
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    count = reader.doc_count_all()
    raw = bytes(column._dbfile.get(column._basepos, column._count)) if column._count else b""
    return raw[:count] + bytes(max(0, count - len(raw)))
