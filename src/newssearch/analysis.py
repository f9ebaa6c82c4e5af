"""Text analysis for the index: words, lower case, accents folded, optionally Porter-stemmed.

One analyzer serves indexing, query parsing and highlighting, so they always agree. It is a
whoosh ``Analyzer`` (token stream with positions and character offsets, for the query parser
and the highlighter) with a fast path for indexing, :meth:`NewsAnalyzer.index_terms`, that
returns the analysed terms without creating token objects; results are cached per word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports

with whoosh_imports():
    from whoosh.analysis import Analyzer, Token
    from whoosh.lang.porter import stem as porter_stem
    from whoosh.support.charset import accent_map

WORD_RE = re.compile(r"\w+")  # "country’s" -> country, s; "U.S." -> u, s (query and text alike)
_WILDCARD_CHARS = frozenset("*?")
_CACHE_LIMIT = 500_000


class NewsAnalyzer(Analyzer):
    """Split on non-word characters, lower-case, fold accents (``Malí`` = ``mali``), stem if asked."""

    def __init__(self, stem: bool = True) -> None:
        self.stem = stem
        self._cache: dict[str, str] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NewsAnalyzer) and other.stem == self.stem

    def __hash__(self) -> int:
        return hash((NewsAnalyzer, self.stem))

    def __getstate__(self) -> dict[str, Any]:
        return {"stem": self.stem}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(stem=state.get("stem", True))  # type: ignore[misc]

    def normalize(self, word: str) -> str:
        """The indexed form of one word."""
        cached = self._cache.get(word)
        if cached is None:
            cached = word.lower().translate(accent_map)
            if self.stem and not _WILDCARD_CHARS.intersection(cached):
                cached = porter_stem(cached)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = cached
        return cached

    def index_terms(self, text: str) -> list[str]:
        """The analysed terms of ``text`` in order (position = list index)."""
        return self.terms_of(WORD_RE.findall(text))

    def terms_of(self, words: list[str]) -> list[str]:
        """The analysed terms of ``words`` (``WORD_RE`` matches) in order."""
        terms = list(map(self._cache.get, words))  # most words are known: one C-level pass
        if None in terms:
            normalize = self.normalize
            terms = [term or normalize(word) for term, word in zip(terms, words)]
        return terms

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # tokenize=False (wildcard and fuzzy terms) analyses the whole value as one word.
        words = (((value, 0, len(value)),) if not tokenize
                 else ((m.group(), m.start(), m.end()) for m in WORD_RE.finditer(value)))
        for position, (word, start, end) in enumerate(words, start_pos):
            if keeporiginal:
                token.original = word
            token.text = self.normalize(word)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token
