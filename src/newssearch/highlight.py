"""Find where a query matched in a paragraph and cut the best fragments around the matches.

Matching reuses the index's own analyzer, so highlighting always agrees with what matched
(``emphasised`` is highlighted for a query ``emphasise``; ``Malí`` for ``Mali``). A fragment
is data — its span in the paragraph and the spans of the matches — and rendering is elsewhere.
"""

from __future__ import annotations

from newssearch.models import Fragment, Span  # noqa: F401  (defined there; imported from here too)

from collections.abc import Collection
from typing import Any

DEFAULT_FRAGMENT_CHARS = 320
DEFAULT_MAX_FRAGMENTS = 3
WHOLE_PARAGRAPH_CHARS = 800  # paragraphs up to this long are shown whole


def match_spans(text: str, terms: Collection[str], analyzer: Any) -> list[Span]:
    """Character spans of the words in ``text`` whose analysed form is one of ``terms``."""
    if not terms:
        return []
    return [Span(token.startchar, token.endchar)
            for token in analyzer(text, chars=True, mode="query")
            if token.text in terms]


def best_fragments(text: str, matches: list[Span], *, fragment_chars: int = DEFAULT_FRAGMENT_CHARS,
                   max_fragments: int = DEFAULT_MAX_FRAGMENTS) -> list[Fragment]:
    """The whole paragraph if it is short, else up to ``max_fragments`` windows richest in matches.

    With no matches, the opening of the paragraph.
    """
    if len(text) <= WHOLE_PARAGRAPH_CHARS:
        return [Fragment(0, len(text), text, tuple(matches))]
    if not matches:
        end = _word_boundary_before(text, fragment_chars)
        return [Fragment(0, end, text[:end], ())]
    windows = _windows_around(text, matches, fragment_chars)
    chosen = sorted(windows, key=lambda w: (-len({text[m.start:m.end].lower() for m in w[2]}), -len(w[2]), w[0]))
    picked: list[tuple[int, int, list[Span]]] = []
    for window in chosen:
        if len(picked) == max_fragments:
            break
        if all(window[1] <= other[0] or window[0] >= other[1] for other in picked):
            picked.append(window)
    return [Fragment(start, end, text[start:end], tuple(spans)) for start, end, spans in sorted(picked)]


def _windows_around(text: str, matches: list[Span], size: int) -> list[tuple[int, int, list[Span]]]:
    """One window of about ``size`` characters starting a little before each match."""
    windows = []
    for match in matches:
        start = _word_boundary_after(text, max(0, match.start - size // 4))
        end = _word_boundary_before(text, min(len(text), start + size))
        end = max(end, match.end)
        inside = [m for m in matches if m.start >= start and m.end <= end]
        windows.append((start, end, inside))
    return windows


def _word_boundary_after(text: str, position: int) -> int:
    """``position`` moved forward to the start of a word (0 stays 0)."""
    if position <= 0:
        return 0
    space = text.find(" ", position - 1)
    return position if space == -1 else space + 1


def _word_boundary_before(text: str, position: int) -> int:
    """``position`` moved back to the end of a word (the end of the text stays)."""
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", 0, position + 1)
    return position if space <= 0 else space
