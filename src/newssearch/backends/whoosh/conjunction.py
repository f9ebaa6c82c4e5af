"""Words and phrases that must all occur in a paragraph, scored a block of postings at a time.

Most queries people type are a few words or a quoted phrase, perhaps with ``speaker:``. Whoosh
runs them one posting at a time through a tree of matcher objects, about a microsecond a
posting: tens of milliseconds for a word found in half the paragraphs, and phrase positions
checked for every paragraph holding all the words. Here the same BM25F scores come from
whoosh's posting blocks directly:

- the rarest word's postings give the candidates; another word's blocks are decoded only
  where a candidate falls in them, and phrase positions are read for candidates only;
- a query of one word with no filter takes its count from the block headers and decodes
  blocks best-first, stopping once no remaining block can reach the top (block-max);
- scores are whoosh's formula on the same numbers: identical for one word; a sum over several
  words is added in query order and may differ from whoosh's in the last bit.

:func:`as_conjunction` says whether a parsed query has this shape: words and phrases, joined by
AND, in fields that are ranked by length (``text``, ``title``, ``speaker``, ``heading``, ...).
Anything else (OR, NOT, ranges, wildcards, fuzzy terms, boosts, labels such as ``section:``,
another weighting) is left to whoosh.
"""

from __future__ import annotations

import heapq
import io
import pickle
import struct
import zlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.backends.whoosh.ranking import BYTE_TO_LENGTH, field_length_bytes

with whoosh_imports():
    from whoosh import query as wq
    from whoosh.formats import Positions
    from whoosh.reading import TermNotFound
    from whoosh.scoring import BM25F
    from whoosh.util.numeric import byte_to_length

Ranked = list[tuple[float, int]]  # (score, document number), best first
Word = tuple[str, str]  # (field, indexed word)
_BLOCK_LENGTH = struct.Struct("!i")
_POSTINGS_MAGIC_SIZE = 4  # whoosh's header tag before a term's first block


@dataclass(frozen=True)
class Conjunction:
    """A query of words and phrases that must all occur in a paragraph."""

    words: tuple[Word, ...]  # every scored word in query order, a phrase's words included
    phrases: tuple[tuple[Word, ...], ...] = ()


def as_conjunction(parsed: Any, schema: Any) -> Conjunction | None:
    """``parsed`` as a :class:`Conjunction`, or None when it has another shape."""
    words: list[Word] = []
    phrases: list[tuple[Word, ...]] = []
    if not _collect(parsed, schema, words, phrases) or not words:
        return None
    return Conjunction(tuple(words), tuple(phrases))


def _collect(query: Any, schema: Any, words: list[Word], phrases: list[tuple[Word, ...]]) -> bool:
    if getattr(query, "boost", 1.0) != 1.0:
        return False
    if type(query) is wq.Term:
        if not _ranked_field(schema, query.fieldname) or not isinstance(query.text, str):
            return False
        words.append((query.fieldname, query.text))
        return True
    if type(query) is wq.Phrase:
        field = query.fieldname
        if (not _ranked_field(schema, field) or not isinstance(schema[field].format, Positions)
                or query.slop != 1 or not query.words):
            return False
        phrase = tuple((field, word) for word in query.words)
        words.extend(phrase)
        if len(phrase) > 1:
            phrases.append(phrase)
        return True
    if type(query) is wq.And:
        return all(_collect(child, schema, words, phrases) for child in query.subqueries)
    return False


def _ranked_field(schema: Any, name: str) -> bool:
    """Whether whoosh ranks ``name`` with BM25F (an indexed field with lengths)."""
    return name in schema and schema[name].scorable and schema[name].format is not None


def search_conjunction(searcher: Any, conjunction: Conjunction, limit: int | None,
                       allow: set[int] | None = None) -> tuple[Ranked, int] | None:
    """The best ``limit`` matches (every match with None), best first, and how many matched.

    Ties go to the lower document number, as in whoosh. ``allow`` keeps only those document
    numbers. None when the searcher does not rank with BM25F.
    """
    weighting = searcher.weighting
    if not isinstance(weighting, BM25F):
        return None
    if not all(searcher.doc_frequency(field, word) for field, word in conjunction.words):
        return [], 0  # a word the index lacks (or an empty index): nothing can match
    scorer = WordScorer(searcher, conjunction, weighting)
    ranked: Ranked = []
    total = 0
    for reader, offset in searcher.reader().leaf_readers():
        found, count = segment_matches(reader, offset, conjunction, scorer, limit, allow)
        ranked.extend(found)
        total += count
    return best_first(ranked, limit), total


def best_first(ranked: Ranked, limit: int | None) -> Ranked:
    """The best ``limit`` of ``ranked`` (all with None), by score, ties to the lower document number.

    With ``limit`` None, ``ranked`` must come in document order (it is sorted in place).
    """
    if limit is None:
        ranked.sort(key=itemgetter(0), reverse=True)  # stable: equal scores stay in document order
        return ranked
    return heapq.nsmallest(limit, ranked, key=_best_first)


def _best_first(item: tuple[float, int]) -> tuple[float, int]:
    return (-item[0], item[1])


class WordScorer:
    """Whoosh's BM25F for a query's words: global idf and average lengths, per-segment norms."""

    def __init__(self, searcher: Any, conjunction: Conjunction, weighting: Any) -> None:
        """``conjunction`` names every word to be scored; ``weighting`` is the searcher's BM25F."""
        self.k1 = weighting.K1
        fields = {field for field, _ in conjunction.words}
        self.b = {field: weighting._field_B.get(field, weighting.B) for field in fields}
        self.average_length = {field: searcher.avg_field_length(field) or 1 for field in fields}
        self.idf = {(field, word): searcher.idf(field, word) for field, word in conjunction.words}

    def norms(self, reader: Any, field: str) -> Any:
        """``K1 * ((1 - B) + B * length / average)`` by document, as whoosh's ``bm25`` computes it."""
        cache = reader.__dict__.setdefault("_newssearch_norms", {})
        b, k1, avgfl = self.b[field], self.k1, self.average_length[field]
        key = (field, avgfl, b, k1)
        if key not in cache:
            length_bytes = field_length_bytes(reader, field)
            if length_bytes is None:
                lengths = [reader.doc_field_length(d, field, 1) for d in range(reader.doc_count_all())]
                cache[key] = [k1 * ((1 - b) + b * fl / avgfl) for fl in lengths]
            else:  # a length is one of 256 bytes: 256 norms, shared (a list, not an array, to index fast)
                norm_of_byte = [k1 * ((1 - b) + b * fl / avgfl) for fl in BYTE_TO_LENGTH]
                cache[key] = list(map(norm_of_byte.__getitem__, length_bytes))
        return cache[key]

    def norm(self, word: Word, length: int) -> float:
        """``K1 * ((1 - B) + B * length / average)`` for ``word``'s field."""
        field = word[0]
        return self.k1 * ((1 - self.b[field]) + self.b[field] * length / self.average_length[field])

    def upper_bound(self, word: Word, block: _Block) -> float:
        """The best score any posting in ``block`` can have."""
        norm = self.norm(word, block.min_length)
        tf = block.max_weight
        return self.idf[word] * ((tf * (self.k1 + 1)) / (tf + norm))


@dataclass(frozen=True)
class _Block:
    count: int
    max_id: int
    max_weight: float
    min_length: int
    start: int  # block data, as offsets into the term's postings bytes
    end: int
    compressed: bool


class _Postings:
    """One word's posting blocks in one segment, decoded on demand."""

    def __init__(self, raw: bytes, blocks: list[_Block], inlined: tuple[Any, Any, Any] | None = None) -> None:
        self.raw = raw
        self.blocks = blocks
        self.inlined = inlined
        self.count = sum(block.count for block in blocks)

    @classmethod
    def read(cls, reader: Any, word: Word) -> _Postings | None:
        field, text = word
        terms = reader._terms
        try:
            info = terms.term_info(field, text.encode("utf-8"))
        except (TermNotFound, KeyError):
            return None
        if info.is_inlined():
            ids, weights, values = info.inlined_postings()
            block = _Block(len(ids), ids[-1], max(weights), 0, 0, 0, False)
            return cls(b"", [block], (list(ids), list(weights), list(values)))
        offset, length = info.extent()
        if isinstance(length, tuple):  # whoosh 2.7.4 unpacks the length as a 1-tuple
            length = length[0]
        raw = terms._postfile.get(offset, length)
        return cls(raw, _read_blocks(raw))

    def decode(self, block: _Block) -> tuple[list[int], Any, Any]:
        """Document numbers, weights and encoded values of one block."""
        if self.inlined is not None:
            return self.inlined
        data = self.raw[block.start:block.end]
        if block.compressed:
            data = zlib.decompress(data)
        ids, weights, values = pickle.loads(data)
        ids = list(accumulate(ids))
        if weights is None:
            weights = [1.0] * len(ids)
        elif isinstance(weights, float):
            weights = [weights] * len(ids)
        return ids, weights, values


def _read_blocks(raw: bytes) -> list[_Block]:
    """The headers of whoosh's posting blocks (``W3LeafMatcher._goto``), without their data."""
    blocks = []
    stream = io.BytesIO(raw)
    position = _POSTINGS_MAGIC_SIZE
    while position < len(raw):
        (length,) = _BLOCK_LENGTH.unpack_from(raw, position)
        end = position + _BLOCK_LENGTH.size + abs(length)
        stream.seek(position + _BLOCK_LENGTH.size)
        count, max_id, max_weight, compression, min_length, _max_length = pickle.load(stream)
        blocks.append(_Block(count, max_id, max_weight, byte_to_length(min_length), stream.tell(), end,
                             bool(compression)))
        if length < 0:
            break
        position = end
    return blocks


def segment_matches(reader: Any, offset: int, conjunction: Conjunction, scorer: WordScorer,
                    limit: int | None, allow: set[int] | None) -> tuple[Ranked, int]:
    """One segment's best ``limit`` matches (all with None, in document order), and their count.

    Deleted documents never match; document numbers are global (``offset`` added).
    """
    words = list(dict.fromkeys(conjunction.words))
    postings = {}
    for word in words:
        found = _Postings.read(reader, word)
        if found is None:
            return [], 0
        postings[word] = found
    deleted = frozenset(reader._perdoc.deleted_docs()) if reader.has_deletions() else frozenset()
    norms = {field: scorer.norms(reader, field) for field in {field for field, _ in words}}
    if len(words) == 1 and not conjunction.phrases:
        word, repeats = words[0], conjunction.words.count(words[0])
        if allow is None and not deleted and limit is not None:
            top = _one_word_top(postings[word], scorer, word, repeats, norms[word[0]], limit)
            return [(score, offset + docnum) for score, docnum in top], postings[word].count
        scored = _one_word_all(postings[word], scorer, word, repeats, norms[word[0]], offset, allow, deleted)
        count = len(scored)
        if limit is not None and count > limit:
            scored = heapq.nsmallest(limit, scored, key=_best_first)
        return scored, count
    candidates, weights, values = _intersect(postings, {word for phrase in conjunction.phrases for word in phrase},
                                             offset, allow, deleted)
    for phrase in conjunction.phrases:
        if not candidates:
            break
        if len(phrase) == 2:
            first, second = values[phrase[0]], values[phrase[1]]
            candidates = [d for d in candidates if _has_pair(first[d], second[d])]
        else:
            candidates = [d for d in candidates if _has_phrase([values[word][d] for word in phrase])]
    scored = [(_score(scorer, conjunction.words, weights, norms, docnum), offset + docnum) for docnum in candidates]
    if limit is not None and len(scored) > limit:
        scored = heapq.nsmallest(limit, scored, key=_best_first)
    return scored, len(candidates)


def _one_word_top(postings: _Postings, scorer: WordScorer, word: Word, repeats: int, norms: Any,
                  limit: int) -> Ranked:
    """The best ``limit`` postings of one word: blocks in order of their best possible score."""
    idf, k1p1 = scorer.idf[word], scorer.k1 + 1
    bounds = sorted(((scorer.upper_bound(word, block), number) for number, block in enumerate(postings.blocks)),
                    reverse=True)
    heap: list[tuple[float, int]] = []  # (score, -docnum): the worst of the best at heap[0]
    for bound, number in bounds:
        if len(heap) == limit and heap[0][0] > bound * repeats:
            break
        block = postings.blocks[number]
        ids, weights, _values = postings.decode(block)
        postings_in_block: Any = zip(ids, weights)
        if len(heap) == limit:  # score only the postings that can still enter the top
            smallest_tf = _smallest_winning_tf(heap[0][0], idf * k1p1 * repeats, scorer.norm(word, block.min_length))
            postings_in_block = [(docnum, tf) for docnum, tf in postings_in_block if tf >= smallest_tf]
        scores = [(idf * ((tf * k1p1) / (tf + norms[docnum])), docnum) for docnum, tf in postings_in_block]
        if repeats > 1:
            scores = [(sum([score] * repeats), docnum) for score, docnum in scores]
        for score, docnum in scores:
            item = (score, -docnum)
            if len(heap) < limit:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)
    return [(score, -negated) for score, negated in heap]


def _smallest_winning_tf(worst_kept: float, ceiling: float, smallest_norm: float) -> float:
    """The least term frequency whose score can reach ``worst_kept`` in a block (a little under, to be safe).

    A posting scores ``ceiling * tf / (tf + norm)``, at most ``ceiling * tf / (tf + smallest_norm)``
    in its block; that reaches ``worst_kept`` only when ``tf >= worst_kept * smallest_norm /
    (ceiling - worst_kept)``. Most postings of a common word (tf 1) fall below it and are never scored.
    """
    if worst_kept >= ceiling:
        return float("inf")
    return worst_kept * smallest_norm / (ceiling - worst_kept) * (1 - 1e-9)


def _one_word_all(postings: _Postings, scorer: WordScorer, word: Word, repeats: int, norms: Any, offset: int,
                  allow: set[int] | None, deleted: frozenset[int]) -> Ranked:
    """Every posting of one word that is not deleted (and is allowed), scored, in document order."""
    idf, k1p1 = scorer.idf[word], scorer.k1 + 1
    scored: Ranked = []
    for block in postings.blocks:
        ids, weights, _values = postings.decode(block)
        pairs: Any = zip(ids, weights)
        if deleted or allow is not None:
            pairs = [(docnum, tf) for docnum, tf in pairs
                     if docnum not in deleted and (allow is None or offset + docnum in allow)]
        scores = [(idf * ((tf * k1p1) / (tf + norms[docnum])), offset + docnum) for docnum, tf in pairs]
        if repeats > 1:
            scores = [(sum([score] * repeats), docnum) for score, docnum in scores]
        scored.extend(scores)
    return scored


def _intersect(postings: dict[Word, _Postings], positional: set[Word], offset: int, allow: set[int] | None,
               deleted: frozenset[int]) -> tuple[list[int], dict[Word, dict[int, float]], dict[Word, dict[int, bytes]]]:
    """The documents holding every word, in order, and each word's weights (and encoded positions
    where needed) by document; the dictionaries may also hold documents that lack another word."""
    order = sorted(postings, key=lambda word: postings[word].count)
    rarest = order[0]
    weights: dict[Word, dict[int, float]] = {rarest: {}}
    values: dict[Word, dict[int, bytes]] = {rarest: {}}
    with_values = rarest in positional
    for block in postings[rarest].blocks:
        ids, block_weights, block_values = postings[rarest].decode(block)
        if deleted or allow is not None:
            kept = [index for index, docnum in enumerate(ids)
                    if docnum not in deleted and (allow is None or offset + docnum in allow)]
            ids, block_weights = [ids[i] for i in kept], [block_weights[i] for i in kept]
            block_values = [block_values[i] for i in kept] if with_values else block_values
        weights[rarest].update(zip(ids, block_weights))
        if with_values:
            values[rarest].update(zip(ids, block_values))
    candidates = list(weights[rarest])
    for word in order[1:]:
        if not candidates:
            break
        weights[word], values[word] = _lookup(postings[word], candidates, word in positional)
        candidates = [docnum for docnum in candidates if docnum in weights[word]]
    return candidates, weights, values


def _lookup(postings: _Postings, candidates: list[int], with_values: bool) -> tuple[dict[int, float], dict[int, bytes]]:
    """The weight (and value) of each candidate found in ``postings``, decoding only blocks that hold candidates.

    ``candidates`` are in increasing order.
    """
    weights: dict[int, float] = {}
    values: dict[int, bytes] = {}
    previous_max = -1
    for block in postings.blocks:
        low = bisect_right(candidates, previous_max)
        high = bisect_right(candidates, block.max_id)
        previous_max = block.max_id
        if low == high:
            continue
        ids, block_weights, block_values = postings.decode(block)
        if (high - low) * 8 >= len(ids):  # many candidates here: index the block once
            where = dict(zip(ids, range(len(ids))))
            found = [(docnum, where[docnum]) for docnum in candidates[low:high] if docnum in where]
        else:
            found = []
            start = 0
            for docnum in candidates[low:high]:
                index = bisect_left(ids, docnum, start)
                if index < len(ids) and ids[index] == docnum:
                    found.append((docnum, index))
                start = index
        weights.update((docnum, block_weights[index]) for docnum, index in found)
        if with_values:
            values.update((docnum, block_values[index]) for docnum, index in found)
        if high == len(candidates):
            break
    return weights, values


def _has_pair(first: bytes, second: bytes) -> bool:
    """``_has_phrase`` for two words."""
    return not _positions(first).isdisjoint(_positions_before(second))


def _has_phrase(encoded: list[bytes]) -> bool:
    """Whether the words' positions (whoosh ``Positions`` values, in phrase order) are ever consecutive."""
    first, *rest = [_positions(value) for value in encoded]
    return any(all(start + step in positions for step, positions in enumerate(rest, 1)) for start in first)


_DECODED_POSITIONS: dict[bytes, frozenset[int]] = {}
_DECODED_POSITIONS_MAX = 100_000  # most values are a single small position, shared by many postings


def _positions(value: bytes) -> frozenset[int]:
    positions = _DECODED_POSITIONS.get(value)
    if positions is None:
        if len(_DECODED_POSITIONS) >= _DECODED_POSITIONS_MAX:
            _DECODED_POSITIONS.clear()
        data = value if value.endswith(b".") else value + b"."
        positions = _DECODED_POSITIONS[value] = frozenset(accumulate(pickle.loads(data[4:])))
    return positions


_POSITIONS_BEFORE: dict[bytes, frozenset[int]] = {}


def _positions_before(value: bytes) -> frozenset[int]:
    """Each position of ``value`` minus one: where a word must be to come just before it."""
    before = _POSITIONS_BEFORE.get(value)
    if before is None:
        if len(_POSITIONS_BEFORE) >= _DECODED_POSITIONS_MAX:
            _POSITIONS_BEFORE.clear()
        before = _POSITIONS_BEFORE[value] = frozenset(position - 1 for position in _positions(value))
    return before


def _score(scorer: WordScorer, words: tuple[Word, ...], weights: dict[Word, dict[int, float]],
           norms: dict[str, Any], docnum: int) -> float:
    k1p1 = scorer.k1 + 1
    idf = scorer.idf
    total = 0.0
    for word in words:
        tf = weights[word][docnum]
        total += idf[word] * ((tf * k1p1) / (tf + norms[word[0]][docnum]))
    return total
