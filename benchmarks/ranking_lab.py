#!/usr/bin/env python3
"""Ranking experiments for issue 13: a prototype paragraph scorer measured on CISI and Cranfield.

Run from the repository root (numpy comes with the ``bench`` extra):

    python benchmarks/ranking_lab.py                 # every experiment, markdown tables on stdout
    python benchmarks/ranking_lab.py --only k1b      # one experiment (see --help)

The scorer indexes each collection document as an article of paragraphs, with newssearch's own
analysis (``Normalizer(stem=True)``: ``\\w+`` words, lower case, accents folded, Porter), field
lengths stored the way whoosh stores them (one byte, ``length_to_byte``), and ranks articles by
their best paragraph, as ``newssearch query --per-article`` does. It is the reference that the
recommended configuration in ``docs/ranking.md`` is defined by: :func:`paragraph_scores` and
:func:`rank_articles` are that configuration's formulas, written out.

Queries are split in fixed halves (``ir_collections.split_queries``): settings are chosen on the
tuning half of both collections together and checked on the held-out half.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

try:
    import numpy as np
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit("ranking_lab: numpy is needed (pip install -e '.[bench]')")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ir_collections as irc  # noqa: E402

from newssearch.backends.whoosh.compat import whoosh_imports  # noqa: E402
from newssearch.analysis import WORD_RE, Normalizer  # noqa: E402
from newssearch.ingest.paragraphs import MAX_PARAGRAPH_CHARS, _cut  # noqa: E402

with whoosh_imports():
    from whoosh.support.charset import accent_map
    from whoosh.util.numeric import byte_to_length, length_to_byte

# Stopword lists, written for newssearch. SHORT is the 33 function words that Lucene's English
# analyzer also drops. LONG adds the rest of English's closed classes (pronouns, auxiliaries and
# modals, prepositions, conjunctions, determiners, question words) and nothing else: no content
# word of any domain, so that it carries to news as it is.
SHORT_STOPWORDS = frozenset("""
a an and are as at be but by for if in into is it no not of on or such that the their then there
these they this to was will with
""".split())
LONG_STOPWORDS = SHORT_STOPWORDS | frozenset("""
about above after again against all am any because been before being below between both can
cannot could did do does doing down during each few from further had has have having he her here
hers herself him himself his how i its itself just me more most must my myself nor now off once
only other ought our ours ourselves out over own same shall she should so some than those
through too under until up upon very we were what when where whether which while who whom whose
why would you your yours yourself yourselves also may might within without among across per via
""".split())
STOPWORDS = {"none": frozenset(), "short": SHORT_STOPWORDS, "long": LONG_STOPWORDS}
BIG = 1e6  # tier offset: any score is far below it


@dataclass(frozen=True)
class Config:
    """One ranking configuration. The defaults are today's newssearch (text field only)."""

    split: str = "joined"      # joined | lines | words:N (windows of N words) | chars:N
    stopwords: str = "none"    # none | short | long: words a typed query does not have to match
    stop_mode: str = "drop"    # drop: not scored either | optional: scored, not required
    idf: str = "whoosh"        # whoosh: log(N/(df+1)) + 1 | lucene: log(1 + (N - df + 0.5)/(df + 0.5))
    k1: float = 1.2
    b: float = 0.75
    fields: str = "text"       # text | separate (BM25 per field, summed) | bm25f (tf combined per term)
    title_weight: float = 1.0
    title_b: float = 0.75
    df: str = "max"            # bm25f document frequency: max of the fields' | union | text
    tiers: str = "all"         # none | all (paragraphs with every required word first) | count
    coord: float = 0.0         # partial matches' score times (matched / required) ** coord
    msm: float = 0.0           # partial matches need ceil(msm * required) words (0: one is enough)
    combine: str = "max"       # max | maxsum:EPS (best + EPS x the rest) | sum
    qtf: bool = True           # a repeated query word counts again
    form: str = "typed"        # typed | or (every word, stopwords too, summed, no tiers) | and
    proximity: float = 0.0     # weight of the bonus for consecutive query words found close together
    window: int = 1            # ... at most this many positions apart, in query order (1: adjacent)
    pair_idf: str = "pair"     # pair: idf of the pair's own df | mean: mean of the two words' idf
    delta: float = 0.0         # BM25+: added to a present term's saturated tf
    truncate: int = 0          # probe for short queries: keep only the first N non-stopwords (0: all)
    feedback: int = 0          # pseudo-relevance feedback: add this many terms of the top articles
    feedback_docs: int = 10    # ... taken from the best paragraph of this many top articles
    feedback_weight: float = 0.2  # ... their scores summed with this weight (of the query's length)

    def describe(self, base: Config | None = None) -> str:
        """The settings that differ from ``base``."""
        base = base or Config()
        diffs = [f"{name}={getattr(self, name)}" for name in self.__dataclass_fields__
                 if getattr(self, name) != getattr(base, name)]
        return ", ".join(diffs) or "(base)"


# --------------------------------------------------------------------------- index


class LabIndex:
    """One collection as paragraphs: postings per term, byte-quantised lengths, article of each."""

    def __init__(self, collection: irc.Collection, split: str, analyzer: Normalizer) -> None:
        self.article_ids: list[str] = []
        para_article: list[int] = []
        text_lengths: list[int] = []
        title_lengths: list[int] = []
        text_postings: dict[str, tuple[list[int], list[int]]] = {}
        title_postings: dict[str, tuple[list[int], list[int]]] = {}
        starts: list[int] = []
        self.positions: dict[str, dict[int, list[int]]] = {}  # term -> paragraph -> word positions
        for doc in collection.documents:
            paragraphs = split_text(doc, split)
            if not doc.title or not paragraphs:
                continue  # newssearch rejects a record without title or text
            article = len(self.article_ids)
            self.article_ids.append(doc.id)
            starts.append(len(para_article))
            title_terms = analyzer.index_terms(doc.title)
            title_lengths.append(len(title_terms))
            _add_postings(title_postings, article, title_terms)
            for paragraph in paragraphs:
                terms = analyzer.index_terms(paragraph)
                _add_postings(text_postings, len(para_article), terms)
                for position, term in enumerate(terms):
                    self.positions.setdefault(term, {}).setdefault(len(para_article), []).append(position)
                para_article.append(article)
                text_lengths.append(len(terms))
        self.para_article = np.array(para_article)
        self.starts = np.array(starts)
        self.paragraphs = len(para_article)
        self.paragraphs_per_article = np.diff(np.append(self.starts, self.paragraphs))
        self.text_length = _quantised(text_lengths)
        self.text_avg = sum(text_lengths) / self.paragraphs
        # Every paragraph carries its article's title: lengths and df count paragraphs.
        self.title_length = _quantised(title_lengths)
        self.title_avg = float(np.dot(title_lengths, self.paragraphs_per_article)) / self.paragraphs
        self.text = {t: (np.array(i), np.array(f, dtype=float)) for t, (i, f) in text_postings.items()}
        self.title = {t: (np.array(i), np.array(f, dtype=float)) for t, (i, f) in title_postings.items()}

    def forward(self, paragraph: int) -> dict[str, int]:
        """The terms of one paragraph and their counts (built on first use)."""
        if not hasattr(self, "_forward"):
            forward: list[dict[str, int]] = [{} for _ in range(self.paragraphs)]
            for term, (numbers, counts) in self.text.items():
                for number, count in zip(numbers.tolist(), counts.tolist()):
                    forward[number][term] = int(count)
            self._forward = forward
        return self._forward[paragraph]

    def df_text(self, term: str) -> int:
        return len(self.text[term][0]) if term in self.text else 0

    def df_title(self, term: str) -> int:
        """Paragraphs whose article title holds ``term``."""
        return int(self.paragraphs_per_article[self.title[term][0]].sum()) if term in self.title else 0

    def df_union(self, term: str) -> int:
        present = np.zeros(self.paragraphs, dtype=bool)
        if term in self.text:
            present[self.text[term][0]] = True
        if term in self.title:
            present |= np.isin(self.para_article, self.title[term][0])
        return int(present.sum())


def _add_postings(postings: dict[str, tuple[list[int], list[int]]], number: int, terms: list[str]) -> None:
    for term, count in Counter(terms).items():
        numbers, counts = postings.setdefault(term, ([], []))
        numbers.append(number)
        counts.append(count)


def _quantised(lengths: Sequence[int]) -> np.ndarray:
    """Lengths as whoosh reads them back from its one-byte store (0 reads as 1, as in newssearch)."""
    return np.array([byte_to_length(length_to_byte(n)) if n else 1 for n in lengths], dtype=float)


def split_text(doc: irc.Document, split: str) -> list[str]:
    """The document's paragraphs under splitting rule ``split``."""
    if split == "lines":  # what newssearch does today with single-line-break JSON text
        return [" ".join(line.split()) for line in doc.lines if line.strip()]
    text = doc.text
    if not text:
        return []
    if split == "joined":  # what the check gives newssearch: one long line, cut at 5,000 chars
        return _cut(text, MAX_PARAGRAPH_CHARS)
    kind, _, size = split.partition(":")
    if kind == "chars":
        return _cut(text, int(size))
    if kind == "words":
        words = text.split()
        return [" ".join(words[i:i + int(size)]) for i in range(0, len(words), int(size))]
    raise ValueError(f"unknown split {split!r}")


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class QueryTerms:
    """A query's analysed terms: what is scored (with repeats) and what a full match needs."""

    scored: tuple[str, ...]
    required: frozenset[str]
    pairs: tuple[tuple[str, str], ...] = ()


def query_terms(text: str, config: Config, analyzer: Normalizer) -> QueryTerms:
    """Words of ``text`` per ``config.form`` and stopword rule; all-stopword queries keep every word."""
    words = WORD_RE.findall(text)
    if config.truncate:
        words = [w for w in words if w.lower() not in LONG_STOPWORDS][:config.truncate]
    stop = STOPWORDS[config.stopwords] if config.form == "typed" else frozenset()
    content = [w for w in words if w.lower().translate(accent_map) not in stop] or words
    required = frozenset(analyzer.normalize(w) for w in content)
    kept = words if config.stop_mode == "optional" or config.form != "typed" else content
    scored = [analyzer.normalize(w) for w in kept]
    if not config.qtf:
        scored = list(dict.fromkeys(scored))
    content_terms = [analyzer.normalize(w) for w in content]
    pairs = tuple(dict.fromkeys(zip(content_terms, content_terms[1:])))
    return QueryTerms(tuple(scored), required, pairs)


# --------------------------------------------------------------------------- scoring


def idf(config: Config, paragraphs: int, df: int) -> float:
    if config.idf == "lucene":
        return math.log(1 + (paragraphs - df + 0.5) / (df + 0.5))
    if config.idf == "classic":  # Robertson-Sparck Jones, floored just above 0 as SQLite FTS5 does
        return max(math.log((paragraphs - df + 0.5) / (df + 0.5)), 1e-6)
    return math.log(paragraphs / (df + 1)) + 1


def term_frequencies(index: LabIndex, config: Config, term: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per paragraph: the length-normalised text tf, title tf (title weight applied) and the raw text tf.

    ``tf / (1 - b + b * length / average length)`` for each field, as in BM25F.
    """
    text_tf = np.zeros(index.paragraphs)
    raw = np.zeros(index.paragraphs)
    if term in index.text:
        numbers, counts = index.text[term]
        raw[numbers] = counts
        norm = 1 - config.b + config.b * index.text_length[numbers] / index.text_avg
        text_tf[numbers] = counts / norm
    title_tf = np.zeros(index.paragraphs)
    if config.fields != "text" and term in index.title:
        articles, counts = index.title[term]
        per_article = np.zeros(len(index.article_ids))
        norm = 1 - config.title_b + config.title_b * index.title_length[articles] / index.title_avg
        weight = config.title_weight if config.fields == "bm25f" else 1.0  # separate: weighs the score
        per_article[articles] = weight * counts / norm
        title_tf = per_article[index.para_article]
    return text_tf, title_tf, raw


def saturate(tf: np.ndarray, k1: float, delta: float = 0.0) -> np.ndarray:
    """BM25's ``tf (k1 + 1) / (k1 + tf)``, plus ``delta`` where tf > 0 (BM25+)."""
    saturated = tf * (k1 + 1) / (k1 + tf)
    return saturated + delta * (tf > 0) if delta else saturated


def term_score(index: LabIndex, config: Config, term: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per paragraph: the term's score, whether it is present (text or title), and in the text."""
    text_tf, title_tf, raw = term_frequencies(index, config, term)
    if config.fields == "bm25f":
        df = {"max": lambda: max(index.df_text(term), index.df_title(term)),
              "union": lambda: index.df_union(term), "text": lambda: index.df_text(term)}[config.df]()
        score = idf(config, index.paragraphs, df) * saturate(text_tf + title_tf, config.k1, config.delta)
    else:
        score = idf(config, index.paragraphs, index.df_text(term)) * saturate(text_tf, config.k1, config.delta)
        if config.fields == "separate":
            title_idf = idf(config, index.paragraphs, index.df_title(term))
            score += config.title_weight * title_idf * saturate(title_tf, config.k1)
    return score, (text_tf + title_tf) > 0, raw > 0


def paragraph_scores(index: LabIndex, config: Config, query: QueryTerms) -> tuple[np.ndarray, np.ndarray]:
    """Per paragraph: the BM25 sum over the scored terms, and how many required terms it holds."""
    score = np.zeros(index.paragraphs)
    matched = np.zeros(index.paragraphs)
    in_text = np.zeros(index.paragraphs, dtype=bool)
    for term, repeats in Counter(query.scored).items():
        term_part, present, text_present = term_score(index, config, term)
        score += repeats * term_part
        in_text |= text_present
        if term in query.required:
            matched += present
    if config.proximity:
        score += proximity_scores(index, config, query)
    for term in query.required.difference(query.scored):  # optional-stopword mode scores all; else none
        matched += term_score(index, config, term)[1]
    article_has_text = np.maximum.reduceat(in_text.astype(float), index.starts)[index.para_article] > 0
    # A paragraph is a hit when a word is in its own text; an article matched by its title alone
    # shows once (every such paragraph has the same score, so the article's best is that score).
    hit = in_text | (~article_has_text & (matched > 0))
    return np.where(hit, score, 0.0), np.where(hit, matched, 0.0)


def proximity_scores(index: LabIndex, config: Config, query: QueryTerms) -> np.ndarray:
    """Per paragraph: for each pair of consecutive query words, ``proximity x idf x saturated tf``
    of the pair, tf = how often the second follows the first within ``window`` positions."""
    bonus = np.zeros(index.paragraphs)
    for first, second in query.pairs:
        near = index.positions.get(first, {})
        after = index.positions.get(second, {})
        numbers, counts = [], []
        for number in near.keys() & after.keys():
            later = after[number]
            count = sum(1 for p in near[number] for q in later if 0 < q - p <= config.window)
            if count:
                numbers.append(number)
                counts.append(count)
        if not numbers:
            continue
        where = np.array(numbers)
        norm = 1 - config.b + config.b * index.text_length[where] / index.text_avg
        if config.pair_idf == "pair":
            weight = idf(config, index.paragraphs, len(numbers))
        else:
            weight = (idf(config, index.paragraphs, index.df_text(first))
                      + idf(config, index.paragraphs, index.df_text(second))) / 2
        bonus[where] += config.proximity * weight * saturate(np.array(counts) / norm, config.k1)
    return bonus


def paragraph_keys(config: Config, score: np.ndarray, matched: np.ndarray, required: int) -> np.ndarray:
    """Sort keys: tier (all words first, or words matched) times BIG plus the coordinated score."""
    if config.form == "or" or config.tiers == "none":
        return score
    if config.form == "and":
        return np.where(matched >= required, score, 0.0)
    needed = max(1, math.ceil(config.msm * required))
    partial = score * (matched / required) ** config.coord if config.coord else score
    full = matched >= required
    key = np.where(full, score, partial)
    if config.tiers == "all":
        key = key + full * BIG
    elif config.tiers == "count":
        key = key + matched * BIG
    return np.where(full | (matched >= needed), key, 0.0)


def rank_articles(index: LabIndex, config: Config, query: QueryTerms) -> list[str]:
    """Article ids, best first, at most ``irc.DEPTH``: each article ranked by its paragraphs' keys."""
    score, matched = paragraph_scores(index, config, query)
    key = paragraph_keys(config, score, matched, len(query.required))
    if config.feedback:
        key = with_feedback(index, config, query, score, matched, key)
    best = np.maximum.reduceat(key, index.starts)
    if config.combine != "max":
        epsilon = 1.0 if config.combine == "sum" else float(config.combine.split(":")[1])
        rest = np.add.reduceat(key % BIG, index.starts) - best % BIG
        best = best + epsilon * rest
    order = np.argsort(-best, kind="stable")
    return [index.article_ids[a] for a in order[:irc.DEPTH] if best[a] > 0]


def with_feedback(index: LabIndex, config: Config, query: QueryTerms, score: np.ndarray, matched: np.ndarray,
                  key: np.ndarray) -> np.ndarray:
    """Keys after pseudo-relevance feedback: the ``feedback`` terms with the highest
    ``sum(tf / length) x idf`` over the best paragraph of the top ``feedback_docs`` articles are
    scored too, their BM25 scores weighted by ``feedback_weight x query length x share of weight``.
    Tiers stay those of the typed words."""
    order = np.argsort(-key, kind="stable")
    top: list[int] = []
    seen: set[int] = set()
    for paragraph in order:
        if key[paragraph] <= 0 or len(top) == config.feedback_docs:
            break
        if index.para_article[paragraph] not in seen:
            seen.add(int(index.para_article[paragraph]))
            top.append(int(paragraph))
    weights: Counter[str] = Counter()
    for paragraph in top:
        for term, count in index.forward(paragraph).items():
            if term not in query.required:
                weights[term] += count / index.text_length[paragraph] * idf(config, index.paragraphs, index.df_text(term))
    chosen = weights.most_common(config.feedback)
    total = sum(weight for _, weight in chosen) or 1.0
    extra = np.zeros(index.paragraphs)
    for term, weight in chosen:
        extra += weight / total * len(query.scored) * term_score(index, config, term)[0]
    expanded = score + config.feedback_weight * extra
    return paragraph_keys(config, expanded, matched, len(query.required)) if matched.any() else expanded


# --------------------------------------------------------------------------- experiments


@dataclass
class Lab:
    """Collections, their indexes per split, and the tuning / held-out query halves."""

    collections: dict[str, irc.Collection]
    analyzer: Normalizer
    indexes: dict[tuple[str, str], LabIndex]

    def index(self, name: str, split: str) -> LabIndex:
        key = (name, split)
        if key not in self.indexes:
            self.indexes[key] = LabIndex(self.collections[name], split, self.analyzer)
        return self.indexes[key]

    def scores(self, config: Config, half: str = "tune") -> dict[str, irc.Scores]:
        """Scores per collection on ``half`` (tune, held-out or all) of its queries."""
        out = {}
        for name, collection in self.collections.items():
            index = self.index(name, config.split)
            tune, held_out = irc.split_queries(collection)
            ids = set({"tune": tune, "held-out": held_out, "all": tune + held_out}[half])
            rankings = {q.id: rank_articles(index, config, query_terms(q.text, config, self.analyzer))
                        for q in collection.queries if q.id in ids}
            out[name] = irc.evaluate(rankings, collection.relevant, [q.id for q in collection.queries if q.id in ids])
        return out


def mean_map(scores: dict[str, irc.Scores]) -> float:
    """The objective: MAP averaged over the collections (each counts the same)."""
    return sum(s.map for s in scores.values()) / len(scores)


def table(lab: Lab, rows: Iterable[tuple[str, Config]], half: str = "tune") -> str:
    """A markdown table of MAP and nDCG@10 per collection, and the objective, one row per config."""
    names = list(lab.collections)
    lines = ["| change | " + " | ".join(f"{n} MAP | {n} nDCG@10" for n in names) + " | mean MAP |",
             "|---|" + "---:|" * (2 * len(names) + 1)]
    for label, config in rows:
        scores = lab.scores(config, half)
        cells = [f"{scores[n].map:.4f} | {scores[n].ndcg10:.4f}" for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {mean_map(scores):.4f} |")
    return "\n".join(lines)


TODAY = Config(qtf=False)  # whoosh drops a repeated word from a query: today's newssearch
RECOMMENDED = Config(stopwords="long", qtf=True, idf="lucene", fields="bm25f", title_weight=4.0,
                     title_b=0.75, df="max", k1=2.0, b=0.75, tiers="all", coord=0.0, combine="max")


def steps() -> list[tuple[str, Config]]:
    """From today's newssearch to the recommendation, one change at a time, each kept."""
    relaxed = replace(TODAY, tiers="all")
    stop = replace(relaxed, stopwords="long")
    qtf = replace(stop, qtf=True)
    lucene = replace(qtf, idf="lucene")
    title = replace(lucene, fields="bm25f", title_weight=4.0)
    return [("today, OR of the words (reproduces `newssearch query` to 1e-4 AP per query)", replace(TODAY, form="or")),
            ("today, typed (every word in one paragraph)", replace(TODAY, form="and")),
            ("(e) typed, relaxed: all-words paragraphs first, then partial ones", relaxed),
            ("(a) + stopwords (long list) need not match and are not scored", stop),
            ("+ a repeated query word counts again (whoosh drops repeats today)", qtf),
            ("(b) + Lucene idf", lucene),
            ("(d) + title in BM25F, weight 4", title),
            ("(c) + k1 2.0 (b stays 0.75) = recommended", replace(title, k1=2.0)),
            ("recommended scoring, OR of every word (stopwords too, no tiers)", replace(RECOMMENDED, form="or"))]


def around(label: str, changes: Sequence[Mapping[str, object]], base: Config = RECOMMENDED) -> list[tuple[str, Config]]:
    """The recommendation with one setting changed at a time."""
    return [(f"{label}: " + (", ".join(f"{k}={v}" for k, v in change.items()) or "recommended"),
             replace(base, **change)) for change in changes]  # type: ignore[arg-type]


EXPERIMENTS: dict[str, Callable[[], list[tuple[str, Config]]]] = {
    "steps": steps,
    "stopwords": lambda: around("(a)", [{}, {"stopwords": "none"}, {"stopwords": "short"},
                                        {"stop_mode": "optional"}, {"stopwords": "short", "stop_mode": "optional"},
                                        {"qtf": False}]),
    "idf": lambda: around("(b)", [{}, {"idf": "whoosh"}, {"idf": "classic"}]),
    "fields": lambda: around("(d)", [{}, {"fields": "text"}, *({"fields": "separate", "title_weight": w}
                                                                for w in (0.25, 0.5, 1.0)),
                                     *({"title_weight": w} for w in (1.0, 2.0, 3.0, 6.0, 8.0, 12.0)),
                                     {"title_b": 0.0}, {"title_b": 0.5}, {"title_b": 1.0},
                                     {"df": "union"}, {"df": "text"}]),
    "relaxation": lambda: around("(e)", [{}, {"tiers": "none"}, {"tiers": "count"}, *({"coord": p} for p in (0.5, 1.0, 2.0)),
                                         *({"msm": m} for m in (0.25, 0.5))]),
    "short": lambda: [row for n in (3, 4, 6) for row in around(
        f"(e) first {n} words", [{"truncate": n}, {"truncate": n, "tiers": "none"}, {"truncate": n, "coord": 0.5},
                                 {"truncate": n, "coord": 1.0}, {"truncate": n, "tiers": "count"}])],
    "split": lambda: around("(f)", [{}, *({"split": s} for s in ("lines", "chars:500", "chars:1000", "chars:2000",
                                                                 "words:50", "words:100", "words:200"))]),
    "combine": lambda: [row for split in ("lines", "chars:1000", "words:100") for row in around(
        "(g)", [{"split": split, "combine": c} for c in ("max", "maxsum:0.1", "maxsum:0.3", "sum")])],
    "dropped": lambda: around("dropped", [{}, {"proximity": 0.25}, {"proximity": 0.25, "window": 4},
                                          {"proximity": 0.5, "pair_idf": "mean"}, {"delta": 0.25}, {"delta": 0.5}]),
    "feedback": lambda: around("feedback", [{}, *({"feedback": t, "feedback_docs": d, "feedback_weight": w}
                                                  for t, d, w in ((10, 10, 0.2), (10, 10, 0.3), (10, 5, 0.2),
                                                                  (20, 10, 0.2), (10, 10, 0.5)))]),
}


def k1_b_grid(lab: Lab, half: str) -> str:
    """Mean MAP over the collections for k1 x b around the recommendation (title b follows b)."""
    k1s, bs = (0.9, 1.2, 1.5, 2.0, 2.5, 3.0), (0.3, 0.5, 0.6, 0.75, 0.9, 1.0)
    lines = ["| k1 \\ b | " + " | ".join(str(b) for b in bs) + " |", "|---|" + "---:|" * len(bs)]
    for k1 in k1s:
        cells = [f"{mean_map(lab.scores(replace(RECOMMENDED, k1=k1, b=b, title_b=b), half)):.4f}" for b in bs]
        lines.append(f"| {k1} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def held_out(lab: Lab) -> str:
    """Today's and the recommended ranking on both halves and on every query."""
    rows = [("today, OR of the words", replace(TODAY, form="or")), ("today, typed", replace(TODAY, form="and")),
            ("recommended, typed", RECOMMENDED), ("recommended scoring, OR of every word", replace(RECOMMENDED, form="or"))]
    return "\n\n".join(f"**{half} queries**\n\n" + table(lab, rows, half) for half in ("tune", "held-out", "all"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="folder holding cisi/ and cranfield/ (default ../shared/data)")
    parser.add_argument("--only", choices=[*EXPERIMENTS, "k1b", "held-out"], action="append",
                        help="run only these experiments (repeatable)")
    parser.add_argument("--half", choices=("tune", "held-out", "all"), default="tune",
                        help="queries the experiment tables are measured on (default: tune)")
    args = parser.parse_args(argv)
    data = irc.data_dir(args.data)
    names = irc.available(data)
    if len(names) < len(irc.COLLECTIONS):
        print(f"ranking_lab: CISI and Cranfield are needed under {data}; nothing run")
        return 0
    lab = Lab({name: irc.load(name, data) for name in names}, Normalizer(stem=True), {})
    for name in args.only or [*EXPERIMENTS, "k1b", "held-out"]:
        print(f"## {name} ({args.half} queries)\n" if name != "held-out" else "## held-out check\n")
        if name == "k1b":
            print(k1_b_grid(lab, args.half))
        elif name == "held-out":
            print(held_out(lab))
        else:
            print(table(lab, EXPERIMENTS[name](), args.half))
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
