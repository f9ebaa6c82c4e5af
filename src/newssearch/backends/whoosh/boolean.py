"""OR, NOT and nested groups of words and phrases, scored from whoosh's posting blocks.

``Mali OR Niger``, ``Sahel NOT Russia``, ``(Mali OR Niger) AND defence``, ``a ANDNOT b``,
``a ANDMAYBE b``: each group of words and phrases that must all occur is matched by
:mod:`newssearch.backends.whoosh.conjunction`, and the groups are combined the way whoosh's matchers combine
them, with the same scores: OR and AND add the scores of the parts that match, a ``NOT`` inside
an AND adds 1 (whoosh's inverse matcher), ANDNOT keeps the left side's score and ANDMAYBE adds
the right side's where it matches. Sums may differ from whoosh's in the last bit.

Queries holding anything else (wildcards, fuzzy terms, ranges, labels such as ``section:``,
boosts, a NOT on its own) are left to whoosh.
"""

from __future__ import annotations

from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.backends.whoosh.conjunction import (
    Conjunction, Ranked, Word, WordScorer, as_conjunction, best_first, segment_matches,
)

with whoosh_imports():
    from whoosh import query as wq
    from whoosh.scoring import BM25F

_NOT_SCORE = 1.0  # what whoosh's InverseMatcher adds for each NOT in an AND


def is_boolean(parsed: Any, schema: Any) -> bool:
    """Whether :func:`search_boolean` can run ``parsed`` (a combination, not a plain conjunction)."""
    return type(parsed) in (wq.Or, wq.And, wq.AndNot, wq.AndMaybe) and _supported(parsed, schema)


def _supported(node: Any, schema: Any) -> bool:
    if as_conjunction(node, schema) is not None:
        return True
    if getattr(node, "boost", 1.0) != 1.0:
        return False
    kind = type(node)
    if kind is wq.Or:
        return node.scale is None and not node.minmatch and all(_supported(c, schema) for c in node.subqueries)
    if kind is wq.And:
        positive = [c for c in node.subqueries if type(c) is not wq.Not]
        negative = [c.query for c in node.subqueries if type(c) is wq.Not]
        return bool(positive) and all(_supported(c, schema) for c in positive + negative)
    if kind in (wq.AndNot, wq.AndMaybe):
        return _supported(node.a, schema) and _supported(node.b, schema)
    return False


def search_boolean(searcher: Any, parsed: Any, limit: int | None,
                   allow: set[int] | None = None) -> tuple[Ranked, int] | None:
    """The best ``limit`` matches (every match with None), best first, and how many matched.

    ``parsed`` must pass :func:`is_boolean`. None when the searcher does not rank with BM25F.
    """
    weighting = searcher.weighting
    if not isinstance(weighting, BM25F):
        return None
    if not searcher.doc_count_all():
        return [], 0
    scorer = WordScorer(searcher, Conjunction(tuple(_words(parsed, searcher.schema))), weighting)
    ranked: Ranked = []
    for reader, offset in searcher.reader().leaf_readers():
        scores = _Segment(reader, offset, searcher.schema, scorer).evaluate(parsed)
        ranked.extend((scores[docnum], docnum) for docnum in sorted(scores)
                      if allow is None or docnum in allow)
    return best_first(ranked, limit), len(ranked)


def _words(node: Any, schema: Any) -> list[Word]:
    conjunction = as_conjunction(node, schema)
    if conjunction is not None:
        return list(conjunction.words)
    if type(node) is wq.Not:
        return _words(node.query, schema)
    if type(node) in (wq.AndNot, wq.AndMaybe):
        return _words(node.a, schema) + _words(node.b, schema)
    return [word for child in node.subqueries for word in _words(child, schema)]


class _Segment:
    """Scores of one segment's matching documents (global numbers) for each part of the query."""

    def __init__(self, reader: Any, offset: int, schema: Any, scorer: WordScorer) -> None:
        self.reader, self.offset, self.schema, self.scorer = reader, offset, schema, scorer

    def evaluate(self, node: Any) -> dict[int, float]:
        conjunction = as_conjunction(node, self.schema)
        if conjunction is not None:
            found, _count = segment_matches(self.reader, self.offset, conjunction, self.scorer, None, None)
            return {docnum: score for score, docnum in found}
        kind = type(node)
        if kind is wq.Or:
            return self._any(node.subqueries)
        if kind is wq.And:
            return self._all(node.subqueries)
        if kind is wq.AndNot:
            excluded = self.evaluate(node.b)
            return {docnum: score for docnum, score in self.evaluate(node.a).items() if docnum not in excluded}
        if kind is wq.AndMaybe:
            optional = self.evaluate(node.b)
            return {docnum: score + optional.get(docnum, 0.0) for docnum, score in self.evaluate(node.a).items()}
        raise ValueError(f"not a supported query: {node!r}")

    def _any(self, children: list[Any]) -> dict[int, float]:
        scores: dict[int, float] = {}
        for child in children:
            for docnum, score in self.evaluate(child).items():
                scores[docnum] = scores[docnum] + score if docnum in scores else score
        return scores

    def _all(self, children: list[Any]) -> dict[int, float]:
        positive = [self.evaluate(c) for c in children if type(c) is not wq.Not]
        excluded: set[int] = set()
        for child in children:
            if type(child) is wq.Not:
                excluded.update(self.evaluate(child.query))
        smallest = min(positive, key=len)
        common = [docnum for docnum in smallest if docnum not in excluded and all(docnum in p for p in positive)]
        negations = len(children) - len(positive)
        scores = {}
        for docnum in common:
            total = 0.0
            for part in positive:
                total += part[docnum]
            scores[docnum] = total + _NOT_SCORE * negations if negations else total
        return scores
