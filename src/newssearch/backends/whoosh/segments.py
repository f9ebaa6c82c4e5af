"""Writing whoosh segments fast, and committing segments written by several processes.

Whoosh 2.7.4 spends most of its indexing time in per-token and per-posting Python calls. This
module keeps whoosh's on-disk format unchanged (any whoosh reader opens the result) and does the
same work with fewer calls:

- :class:`FastSegmentWriter.add_document` analyses text fields with the schema's own
  :class:`~newssearch.analysis.NewsAnalyzer` term list (no token objects), encodes
  single-position postings from a cache, and keeps each term's postings in compact arrays;
- at flush time, terms are sorted (not postings), field lengths come from memory, and each
  term's postings are written block by block instead of one call per posting.

:func:`commit_segments` makes a set of finished segments visible in one atomic TOC write,
deleting given documents from the segments that were there before.
"""

from __future__ import annotations

import zlib
from array import array
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newssearch.backends.whoosh.document_files import DocumentColumns, discard_per_doc_writer, length_byte, pack_stored
from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.analysis import WORD_RE
from newssearch.backends.whoosh.analysis import NewsAnalyzer
from newssearch.indexing.folder import INDEX_NAME, remove_unused_files

with whoosh_imports():
    from whoosh import query as wq
    from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
    from whoosh.filedb.filetables import _lengths as _HASH_RECORD_LENGTHS
    from whoosh.analysis import IDTokenizer
    from whoosh.fields import FieldType
    from whoosh.formats import Existence, Frequency, Positions
    from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
    from whoosh.util.numeric import byte_to_length, length_to_byte
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC
    from whoosh.writing import MERGE_SMALL, NO_MERGE, SegmentWriter

from hashlib import md5
from pickle import dumps

BLOCK_COMPRESSION = 1  # zlib level of posting blocks: most of the gain of level 6 at a fraction of the time
# Whoosh pickles a block's (ids, weights, values) with protocol 2, which writes each value (a bytes
# object: a posting's positions) as a call to codecs.encode. Protocol 4 writes bytes as bytes: a
# block pickles and unpickles about 8x faster and compresses to half the size. Whoosh's readers
# unpickle any protocol, so the index stays whoosh's format (the block headers keep protocol 2).
BLOCK_PICKLE_PROTOCOL = 4
# Smaller blocks (most terms of a segment occur in one or two paragraphs) are left uncompressed:
# zlib cannot shrink a few dozen bytes, and compressing them took 7% of indexing time.
COMPRESS_MIN_POSTINGS = 8
# Analysed forms of field values up to this length are reused while the writer lives.
REUSE_MAX_CHARS = 300
REUSE_MAX_ENTRIES = 50_000
_BLOCK_LIMIT = 128  # postings per block: W3Codec's default
_TERMS_PER_WRITE = 2000  # terms whose postings are written at once
_POSTINGS_MAGIC = WHOOSH3_HEADER_MAGIC
_TERMINFO = W3TermInfo._struct
_BYTE_TO_LENGTH: list[int | None] = [None] + [byte_to_length(b) for b in range(1, 256)]
_SINGLE_POSITION: dict[int, bytes] = {}
_FREQUENCY: dict[int, bytes] = {}
_POSITIONS: dict[tuple[int, ...], bytes] = {}
_POSITIONS_MAX = 50_000
# How add_document handles a field (see FastSegmentWriter._field_plan).
_TEXT, _WORDS, _ID, _ENCODED, _UNINDEXED = "text", "words", "id", "encoded", "unindexed"


def encode_frequency(positions: list[int]) -> bytes:
    """Whoosh's ``Frequency`` encoding: the number of occurrences."""
    frequency = len(positions)
    cached = _FREQUENCY.get(frequency)
    if cached is None:
        cached = _FREQUENCY[frequency] = pack_uint(frequency)
    return cached


def encode_positions(positions: list[int]) -> bytes:
    """Whoosh's ``Positions`` encoding of a position list, cached (two thirds of the lists of
    several positions in a segment repeat one seen before)."""
    if len(positions) == 1:
        position = positions[0]
        cached = _SINGLE_POSITION.get(position)
        if cached is None:
            cached = _SINGLE_POSITION[position] = pack_uint(1) + dumps([position], 2)
        return cached
    key = tuple(positions)
    cached = _POSITIONS.get(key)
    if cached is None:
        if len(_POSITIONS) >= _POSITIONS_MAX:
            _POSITIONS.clear()
        deltas = [positions[0]]
        deltas.extend(b - a for a, b in zip(positions, positions[1:]))
        cached = _POSITIONS[key] = pack_uint(len(deltas)) + dumps(deltas, 2)
    return cached


class _EncodedPostings:
    """One term's postings as whoosh encodes them (for fields outside the fast path)."""

    __slots__ = ("ids", "weights", "values")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []


class _TextPostings:
    """One term's postings in a text field: document numbers and positions (an int when single)."""

    __slots__ = ("ids", "places")

    def __init__(self) -> None:
        self.ids = array("I")
        self.places: list[int | list[int]] = []


class _WordList:
    """A word list field's words: the first document of each, and how many documents have it."""

    __slots__ = ("first_docs", "counts")

    def __init__(self) -> None:
        self.first_docs: dict[str, int] = {}
        self.counts: Counter[str] = Counter()


class FastSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` for schemas whose text fields use ``NewsAnalyzer``.

    Postings are kept per term in compact arrays instead of whoosh's pool of tuples (a fraction
    of the memory and no sort of every posting), and written to whoosh's block format directly.
    Fields named in ``word_list_fields`` get one posting per word per segment, weighted by the
    number of documents with the word: a word list with counts, not a searchable field.
    Not for merging segments (``add_reader``); :func:`commit_segments` does that.
    """

    perdocwriter: Any  # set by whoosh's SegmentWriter

    def __init__(self, ix: Any, word_list_fields: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        kwargs.setdefault("codec", W3Codec(blocklimit=_BLOCK_LIMIT, compression=BLOCK_COMPRESSION))
        # Separate files, not one compound file: whoosh copies a compound file's parts into
        # memory when a reader opens them, which made every cold search read the whole index.
        kwargs.setdefault("compound", False)
        super().__init__(ix, **kwargs)
        plan = [(name, self.schema[name]) for name in sorted(self.schema.names())]
        fast = {name for name, field in plan
                if isinstance(field.format, (Positions, Frequency)) and isinstance(field.analyzer, NewsAnalyzer)
                and not field.vector and not field.separate_spelling()}
        self._word_lists: dict[str, _WordList] = {name: _WordList() for name in word_list_fields & fast}
        self._text: dict[str, dict[str, _TextPostings]] = {name: {} for name in fast - word_list_fields}
        self._encoded: dict[str, dict[bytes, _EncodedPostings]] = {
            name: {} for name, field in plan if field.indexed and name not in fast}
        discard_per_doc_writer(self.perdocwriter)  # whoosh's, made by the base class
        self._columns = DocumentColumns(
            self.storage, self.newsegment,
            scorable=[name for name, field in plan if field.indexed and field.scorable],
            sortable={name: field.column_type for name, field in plan if field.column_type})
        self.perdocwriter = self._columns
        # Length byte of each scorable field, by document: block statistics need them at flush.
        self._length_bytes = self._columns.length_bytes
        self._fields = [self._field_plan(name, field) for name, field in plan]
        self.posting_count = 0
        self._analyses: dict[tuple[str, Any], Any] = {}

    def _field_plan(self, name: str, field: Any) -> tuple:
        """How ``add_document`` handles a field: (name, kind, field, postings, length bytes or
        None, sortable values or None)."""
        postings: Any
        if name in self._text:
            kind, postings = _TEXT, self._text[name]
        elif name in self._word_lists:
            kind, postings = _WORDS, self._word_lists[name]
        elif name in self._encoded:
            plain_id = (type(field.analyzer) is IDTokenizer and type(field.format) is Existence
                        and type(field).index is FieldType.index)
            kind, postings = (_ID if plain_id else _ENCODED), self._encoded[name]
        else:
            kind, postings = _UNINDEXED, None
        return (name, kind, field, postings, self._columns.length_bytes.get(name),
                self._columns.column_values.get(name))

    def add_document(self, **fields: Any) -> None:
        """Add one document; same result as ``SegmentWriter.add_document`` for this schema."""
        self._check_state()
        docnum = self.docnum
        stored: dict[str, Any] = {}
        previous_text: tuple[str, list[str]] | None = None
        for name, kind, field, postings, lengths, column_values in self._fields:
            value = fields.get(name)
            if value is None:
                if lengths is not None:
                    lengths.append(0)
                if column_values is not None:
                    column_values.append(None)
                continue
            length = 0
            if kind is _TEXT:
                words, places, length = self._analysed(name, value, lambda: _analyse_text(field.analyzer, value))
                if previous_text is None or len(value) > len(previous_text[0]):
                    previous_text = (value, words)  # the longest text: the paragraph a word list starts with
                self._add_places(postings, places, docnum)
            elif kind is _WORDS:
                words = self._words(value, previous_text)
                length = self._add_words(postings, field.analyzer.terms_of(words), docnum)
            elif kind is _ID:  # the value is the one term (IDTokenizer, Existence)
                self._add_encoded(postings, ((value.encode("utf-8"), 1, field.format.field_boost, b""),), docnum)
            elif kind is _ENCODED:
                items = self._analysed(name, value, lambda: list(field.index(value)))
                length = self._add_encoded(postings, items, docnum)
            if field.stored:
                stored[name] = value
            if lengths is not None:
                lengths.append(length_byte(length))
                if length:
                    self._columns.length_totals[name] += length
            if column_values is not None:
                column_values.append(self._analysed(name + "#column", value, lambda: field.to_column_value(value)))
        self._columns.add_stored(pack_stored(stored) if stored else None)
        self._added = True
        self.docnum += 1

    def _analysed(self, name: str, value: Any, analyse: Any) -> Any:
        """``analyse()``, remembered for short values: titles, ids, names, dates and paragraph
        numbers repeat from one paragraph (and article) to the next. (Also for a field's
        sortable values, under the name ``<field>#column``.)"""
        if isinstance(value, str) and len(value) > REUSE_MAX_CHARS:
            return analyse()
        key = (name, value)
        try:
            found = self._analyses.get(key)
        except TypeError:  # a value that cannot be a key
            return analyse()
        if found is None:
            if len(self._analyses) >= REUSE_MAX_ENTRIES:
                self._analyses.clear()
            found = self._analyses[key] = analyse()
        return found

    @staticmethod
    def _words(value: str, previous_text: tuple[str, list[str]] | None) -> list[str]:
        """``WORD_RE.findall(value)``, reusing the words of a text ``value`` begins with (the
        vocabulary word list is the paragraph text followed by the speakers' names)."""
        if previous_text is not None:
            text, words = previous_text
            end = len(text)
            if value.startswith(text) and (len(value) == end or not WORD_RE.match(value, end)):
                return words + WORD_RE.findall(value, end)
        return WORD_RE.findall(value)

    def _add_places(self, postings: dict[str, _TextPostings], places: dict[str, Any], docnum: int) -> None:
        for term, where in places.items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = _TextPostings()
            entry.ids.append(docnum)
            entry.places.append(where)
        self.posting_count += len(places)

    @staticmethod
    def _add_words(word_list: _WordList, terms: list[str], docnum: int) -> int:
        unique = set(terms)
        word_list.counts.update(unique)
        new = unique.difference(word_list.first_docs)
        if new:
            word_list.first_docs.update(dict.fromkeys(new, docnum))
        return len(terms)

    def _add_encoded(self, postings: dict[bytes, _EncodedPostings], items: Any, docnum: int) -> int:
        length = 0
        for term, frequency, weight, encoded in items:
            length += frequency
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = _EncodedPostings()
            entry.ids.append(docnum)
            entry.weights.append(weight)
            entry.values.append(encoded)
            self.posting_count += 1
        return length

    @property
    def has_documents(self) -> bool:
        """Whether a document was added (the :class:`~newssearch.backends.base.SegmentWriter` protocol)."""
        return bool(self._added)

    def finish(self) -> Any:
        """Write the segment's files and return the segment, for :func:`commit_segments`."""
        return self._finalize_segment()

    def _flush_segment(self) -> None:
        self._columns.close()
        for name in sorted({*self._text, *self._word_lists, *self._encoded}):
            self._write_field(name)
        self._text, self._word_lists, self._encoded = {}, {}, {}
        self.fieldwriter.close()

    def _write_field(self, name: str) -> None:
        field = self.schema[name]
        lengths = self._length_bytes.get(name)
        writer = self.fieldwriter
        if name in self._text:
            # str order is code point order, which is the UTF-8 byte order whoosh needs.
            encode = encode_positions if isinstance(field.format, Positions) else encode_frequency
            terms = self._text[name]
            items = ((term.encode("utf-8"), _text_block(terms[term], encode, field.format.field_boost))
                     for term in sorted(terms))
        elif name in self._word_lists:
            first_docs, counts = self._word_lists[name].first_docs, self._word_lists[name].counts
            items = ((word.encode("utf-8"), _word_block(first_docs[word], counts[word])) for word in sorted(first_docs))
        else:
            encoded = self._encoded[name]
            items = ((term, (e.ids, e.weights, e.values)) for term, e in sorted(encoded.items()))
        fixed_value_size = field.format.fixed_value_size()
        batch: list[tuple[bytes, tuple[array, array, list[bytes]]]] = []
        started = False
        for item in items:
            if not started:
                writer.start_field(name, field)
                started = True
            batch.append(item)
            if len(batch) == _TERMS_PER_WRITE:
                write_terms(writer, batch, lengths, self.docbase, fixed_value_size)
                batch = []
        if batch:
            write_terms(writer, batch, lengths, self.docbase, fixed_value_size)
        if started:
            writer.finish_field()


def _analyse_text(analyzer: NewsAnalyzer, value: str) -> tuple[list[str], dict[str, Any], int]:
    """The words of ``value``, each analysed term's place(s) and the number of terms."""
    words = WORD_RE.findall(value)
    places, length = _places(analyzer.terms_of(words))
    return words, places, length


def _places(terms: list[str]) -> tuple[dict[str, Any], int]:
    """Each term's position (an int) or positions (a list, never changed once built), and the
    number of terms."""
    places: dict[str, Any] = {}
    for position, term in enumerate(terms):
        found = places.get(term)
        if found is None:
            places[term] = position
        elif found.__class__ is int:
            places[term] = [found, position]
        else:
            found.append(position)
    return places, len(terms)


def _text_block(postings: _TextPostings, encode: Any, boost: float) -> tuple[array, array, list[bytes]]:
    places: list[Any] = postings.places  # an int (one position) or a list of them, per posting
    weights = array("f", [boost if where.__class__ is int else len(where) * boost for where in places])
    if encode is encode_positions:
        single = _SINGLE_POSITION
        values = [(single.get(where) or encode([where])) if where.__class__ is int else encode(where)
                  for where in places]
    else:
        values = [encode([where]) if where.__class__ is int else encode(where) for where in places]
    return postings.ids, weights, values


def _word_block(first_doc: int, count: int) -> tuple[array, array, list[bytes]]:
    return array("I", [first_doc]), array("f", [float(count)]), [encode_frequency([first_doc])]


def write_terms(fieldwriter: Any, terms: list[tuple[bytes, tuple[array, array, list[bytes]]]],
                lengths: array | None, docbase: int, fixed_value_size: int | None) -> None:
    """Write terms of the current field (in order) with their postings, ``(term, (ids, weights,
    values))`` each, exactly as whoosh's ``W3FieldWriter`` would (``start_term``, ``add`` per
    posting, ``finish_term``): posting blocks in one write, term index entries in bulk."""
    postfile = fieldwriter._postfile
    offset = postfile.tell()
    field_prefix = pack_ushort(fieldwriter._fieldid)
    chunks: list[bytes] = []
    keys: list[bytes] = []
    infos: list[bytes] = []
    for term, (ids, weights, values) in terms:
        if len(ids) == 1:
            written, terminfo = _single_posting(ids[0], weights[0], values[0], lengths, docbase, fixed_value_size)
        else:
            written, terminfo = _term_postings(ids, weights, values, lengths, docbase, fixed_value_size)
        chunks.append(written)
        keys.append(field_prefix + term)
        infos.append(terminfo + pack_long(offset) + pack_int(len(written)))
        offset += len(written)
    postfile.write(b"".join(chunks))
    _add_to_term_index(fieldwriter._tindex, keys, infos)


def _single_posting(docnum: int, weight: float, value: bytes, lengths: array | None, docbase: int,
                    fixed_value_size: int | None) -> tuple[bytes, bytes]:
    """``_term_postings`` for a term in one document (most terms of a segment), in fewer steps."""
    length_byte = lengths[docnum - docbase] if lengths is not None else 0
    if fixed_value_size is None or fixed_value_size < 0:
        mini_values: Any = (value,) if value else ()
    elif fixed_value_size == 0:
        mini_values = None
    else:
        mini_values = value
    data = dumps(((docnum,), None if weight == 1.0 else weight, mini_values), BLOCK_PICKLE_PROTOCOL)
    compression = BLOCK_COMPRESSION if COMPRESS_MIN_POSTINGS <= 1 else 0
    if compression:
        data = zlib.compress(data, compression)
    info = dumps((1, docnum, weight, compression, length_byte, length_byte), 2)
    written = b"".join((_POSTINGS_MAGIC, pack_int(-(len(info) + len(data))), info, data))
    return written, _TERMINFO.pack(0, weight, 1, length_byte, length_byte, weight, docnum, docnum)


def _term_postings(ids: array, weights: array, values: list[bytes], lengths: array | None, docbase: int,
                   fixed_value_size: int | None) -> tuple[bytes, bytes]:
    """One term's posting blocks and its term info (without the postings' place), as whoosh's
    ``W3PostingsWriter`` and ``W3TermInfo`` make them."""
    chunks = [_POSTINGS_MAGIC]
    total_weight: float = 0
    min_length: int | None = None
    max_length = 0
    max_weight: float = 0
    count = len(ids)
    for begin in range(0, count, _BLOCK_LIMIT):
        block_ids = ids[begin:begin + _BLOCK_LIMIT]
        block_weights = weights[begin:begin + _BLOCK_LIMIT]
        block_values = [v for v in values[begin:begin + _BLOCK_LIMIT] if v]
        block_max_weight = max(block_weights)
        block_min_length, block_max_length = None, 0
        if lengths is not None:
            found = [b for b in (lengths[d - docbase] for d in block_ids) if b]
            if found:
                block_min_length, block_max_length = _BYTE_TO_LENGTH[min(found)], _BYTE_TO_LENGTH[max(found)]
        # The term info's statistics, as W3TermInfo.add_block keeps them.
        total_weight += sum(block_weights)
        if min_length is None:
            min_length = block_min_length
        elif block_min_length is not None:
            min_length = min(min_length, block_min_length)
        max_length = max(max_length, block_max_length)
        max_weight = max(max_weight, block_max_weight)
        # The block, as W3PostingsWriter._write_block writes it.
        previous = 0
        deltas = []
        for docnum in block_ids:
            deltas.append(docnum - previous)
            previous = docnum
        first_weight = block_weights[0]
        if all(w == 1.0 for w in block_weights):
            mini_weights: Any = None
        elif all(w == first_weight for w in block_weights):
            mini_weights = first_weight
        else:
            mini_weights = tuple(block_weights)
        if fixed_value_size is None or fixed_value_size < 0:
            mini_values: Any = tuple(block_values)
        elif fixed_value_size == 0:
            mini_values = None
        else:
            mini_values = b"".join(block_values)
        data = dumps((tuple(deltas), mini_weights, mini_values), BLOCK_PICKLE_PROTOCOL)
        compression = BLOCK_COMPRESSION if len(block_ids) >= COMPRESS_MIN_POSTINGS else 0
        if compression:
            data = zlib.compress(data, compression)
        info = dumps((len(block_ids), block_ids[-1], block_max_weight, compression,
                      length_to_byte(block_min_length), length_to_byte(block_max_length)), 2)
        size = len(info) + len(data)
        chunks += (pack_int(-size if begin + _BLOCK_LIMIT >= count else size), info, data)
    terminfo = _TERMINFO.pack(0, total_weight, count, 0 if min_length is None else length_to_byte(min_length),
                              length_to_byte(max_length), max_weight, ids[0], ids[-1])
    return b"".join(chunks), terminfo


def _add_to_term_index(table: Any, keys: list[bytes], values: list[bytes]) -> None:
    """``OrderedHashWriter.add(key, value)`` for each pair (keys in increasing order), with one
    write: the same records, hash buckets and key index."""
    if not keys:
        return
    if keys[0] <= table.lastkey:
        raise ValueError(f"Keys must increase: {table.lastkey!r}..{keys[0]!r}")
    dbfile = table.dbfile
    position = dbfile.tell()
    records: list[bytes] = []
    places: list[int] = []
    buckets = table.buckets
    for key, value in zip(keys, values):
        records += (_HASH_RECORD_LENGTHS.pack(len(key), len(value)), key, value)
        places.append(position)
        digest = int.from_bytes(md5(key).digest()[-4:], "big")  # whoosh's md5_hash
        buckets[digest & 255].append((digest, position))
        position += _HASH_RECORD_LENGTHS.size + len(key) + len(value)
    dbfile.write(b"".join(records))
    index = table.index  # GrowableArray: widened to the type its largest entry needs
    try:
        added = array(index.array.typecode, places)
    except OverflowError:
        index._retype(places[-1])
        added = array(index.array.typecode, places)
    index.array.extend(added)
    table.lastkey = keys[-1]


def segment_ids(ix: Any) -> frozenset[str]:
    """Ids of the segments in the index's latest committed state."""
    return frozenset(segment.segment_id() for segment in ix._segments())


def commit_segments(ix: Any, new_segments: list[Any], delete_terms: Iterable[tuple[str, str]] = (),
                    delete_from: frozenset[str] = frozenset(), merge: bool = True,
                    drop: frozenset[str] = frozenset()) -> list[Any]:
    """Atomically publish ``new_segments`` beside the index's segments; return the segments of
    the new table of contents.

    Documents matching any ``(field, text)`` of ``delete_terms`` are deleted, but only from the
    segments whose ids are in ``delete_from`` (those that existed before this run), so a file's
    freshly written paragraphs are never deleted with its old ones. Segments whose ids are in
    ``drop`` (damaged ones, being repaired) leave the index whole. With ``merge``, small
    segments are merged on the way (whoosh's MERGE_SMALL policy); a run merges only at its last
    commit, because a merged segment gets a new id and would escape later deletions.
    """
    writer = SegmentWriter(ix, _lk=False, compound=False)
    try:
        if drop:
            writer.segments = [segment for segment in writer.segments if segment.segment_id() not in drop]
            writer._setup_doc_offsets()
        _delete_old(writer, list(delete_terms), delete_from)
        segments = writer._merge_segments(MERGE_SMALL if merge else NO_MERGE, None, None)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        segments = segments + list(new_segments)
        write_toc(ix.storage.folder, writer.schema, segments, writer.generation)
    except BaseException:
        writer.cancel()
        raise
    writer._finish()
    return segments


def write_toc(folder: str, schema: Any, segments: list[Any], generation: int) -> None:
    """Write table of contents ``generation`` (atomically: whoosh writes a temporary file and
    renames it), then delete the files no longer used, recognised by name (whoosh's own clean-up
    matches any ``MAIN_<letters>.<suffix>``, a user's file included)."""
    storage = FileStorage(folder)
    TOC(schema, segments, generation).write(storage, INDEX_NAME)
    remove_unused_files(Path(folder), generation, [segment.segment_id() for segment in segments])


def _delete_old(writer: Any, terms: list[tuple[str, str]], delete_from: frozenset[str]) -> None:
    if not terms:
        return
    starts = writer._doc_offsets
    old = [(start, start + segment.doc_count_all()) for start, segment in zip(starts, writer.segments)
           if segment.segment_id() in delete_from]
    with writer.searcher() as searcher:
        for field, text in terms:
            for docnum in searcher.docs_for_query(wq.Term(field, text)):
                if any(start <= docnum < end for start, end in old):
                    writer.delete_document(docnum)
