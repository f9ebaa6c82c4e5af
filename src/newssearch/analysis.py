"""Text analysis, engine-neutral: words, lower case, accents folded, optionally Porter-stemmed.

One analysis serves indexing, query parsing and highlighting on every backend, so that they
always agree: the embedded index stores these terms, a search server is given them as they are.
Results are cached per word (news repeats its words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import cast

from newssearch.backends.whoosh.compat import whoosh_imports  # TODO(issue 12): own stemmer and folding

with whoosh_imports():
    from whoosh.lang.porter import stem as porter_stem
    from whoosh.support.charset import accent_map

WORD_RE = re.compile(r"\w+")  # "country’s" -> country, s; "U.S." -> u, s (query and text alike)
_WILDCARD_CHARS = frozenset("*?")
_CACHE_LIMIT = 500_000
_SPACES_RE = re.compile(r"\s+")


class Normalizer:
    """The indexed form of a word: lower-cased, accents folded (``Malí`` = ``mali``), stemmed if asked."""

    def __init__(self, stem: bool = True) -> None:
        self.stem = stem
        self._cache: dict[str, str] = {}

    def normalize(self, word: str) -> str:
        """The indexed form of one word (a word holding ``*`` or ``?`` is not stemmed: a pattern)."""
        cached = self._cache.get(word)
        if cached is None:
            cached = fold(word)
            if self.stem and not _WILDCARD_CHARS.intersection(cached):
                cached = porter_stem(cached)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = cached
        return cached

    def terms_of(self, words: list[str]) -> list[str]:
        """The analysed terms of ``words`` (``WORD_RE`` matches) in order."""
        cached = list(map(self._cache.get, words))  # most words are known: one C-level pass
        if None in cached:
            normalize = self.normalize
            return [term or normalize(word) for term, word in zip(cached, words)]
        return cast(list[str], cached)  # no None in it

    def index_terms(self, text: str) -> list[str]:
        """The analysed terms of ``text`` in order (position = list index)."""
        return self.terms_of(WORD_RE.findall(text))

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        """Each word of ``text`` as ``(term, start, end)``: what highlighting marks."""
        for match in WORD_RE.finditer(text):
            yield self.normalize(match.group()), match.start(), match.end()


STEMMED = Normalizer(stem=True)
NAMES = Normalizer(stem=False)


def fold(text: str) -> str:
    """Lower case, accents folded."""
    return text.lower().translate(accent_map)


def label_key(value: str) -> str:
    """A whole value as one term: case- and accent-folded, spaces as hyphens (``Middle East`` =
    ``middle-east``): how sections and sources are matched and counted."""
    return _SPACES_RE.sub("-", fold(value.strip()))


def __getattr__(name: str) -> object:
    """``newssearch.analysis.NewsAnalyzer``: where indexes written before the engine seam was cut
    find the analyzer their table of contents names (the whoosh wing holds it now)."""
    if name == "NewsAnalyzer":
        from newssearch.backends.whoosh.analysis import NewsAnalyzer  # noqa: PLC0415

        return NewsAnalyzer
    raise AttributeError(f"module 'newssearch.analysis' has no attribute {name!r}")
