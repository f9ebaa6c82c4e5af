"""newssearch's analysis (:mod:`newssearch.analysis`) as a whoosh ``Analyzer``: a token stream
with positions and character offsets for whoosh's query parser and matchers, and the fast path
the segment writer uses (:meth:`NewsAnalyzer.terms_of`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newssearch.analysis import NAMES, STEMMED, WORD_RE
from newssearch.backends.whoosh.compat import whoosh_imports

with whoosh_imports():
    from whoosh.analysis import Analyzer, Token


class NewsAnalyzer(Analyzer):
    """Split on non-word characters, lower-case, fold accents (``Malí`` = ``mali``), stem if asked."""

    def __init__(self, stem: bool = True) -> None:
        self.stem = stem
        self._normalizer = STEMMED if stem else NAMES

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
        return self._normalizer.normalize(word)

    def index_terms(self, text: str) -> list[str]:
        """The analysed terms of ``text`` in order (position = list index)."""
        return self._normalizer.index_terms(text)

    def terms_of(self, words: list[str]) -> list[str]:
        """The analysed terms of ``words`` (``WORD_RE`` matches) in order."""
        return self._normalizer.terms_of(words)

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
