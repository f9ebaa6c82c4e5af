"""Turn search results into text for a terminal or a pipe, or into JSON.

Document text is never trusted: control characters (terminal escape sequences among them) are
shown as visible ``\\x1b``-style escapes before any highlighting is added.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from newssearch.highlight import Fragment, Span
from newssearch.search import Hit, SearchResults

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ELLIPSIS = "…"

BOLD = "\x1b[1m"
DIM = "\x1b[2m"
MATCH = "\x1b[1;33m"  # bold yellow
RESET = "\x1b[0m"
PLAIN_MATCH_OPEN, PLAIN_MATCH_CLOSE = "**", "**"


def escape_controls(text: str) -> str:
    """Make control characters visible (``\\x1b``) so they cannot act on the terminal."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def quoted(query: str) -> str:
    """The query in double quotes, or single quotes when it contains double quotes itself."""
    mark = "'" if '"' in query else '"'
    return f"{mark}{escape_controls(query)}{mark}"


class Style:
    """How to mark up matches and labels: ANSI colour on a terminal, plain markers otherwise."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def match(self, text: str) -> str:
        if self.color:
            return f"{MATCH}{text}{RESET}"
        return f"{PLAIN_MATCH_OPEN}{text}{PLAIN_MATCH_CLOSE}"

    def bold(self, text: str) -> str:
        return f"{BOLD}{text}{RESET}" if self.color else text

    def dim(self, text: str) -> str:
        return f"{DIM}{text}{RESET}" if self.color else text


def mark_matches(text: str, matches: Sequence[Span], offset: int, mark: Callable[[str], str]) -> str:
    """``text`` (which starts at ``offset`` in the paragraph) with each match wrapped by ``mark``."""
    pieces: list[str] = []
    position = 0
    for span in sorted(matches, key=lambda s: s.start):
        start, end = span.start - offset, span.end - offset
        if start < position or end > len(text):
            continue
        pieces.append(escape_controls(text[position:start]))
        pieces.append(mark(escape_controls(text[start:end])))
        position = end
    pieces.append(escape_controls(text[position:]))
    return "".join(pieces)


def render_fragments(hit: Hit, style: Style) -> str:
    """The hit's fragments joined by ellipses, with matches marked."""
    parts = []
    for fragment in hit.fragments:
        body = mark_matches(fragment.text, fragment.matches, fragment.start, style.match)
        if fragment.start > 0:
            body = ELLIPSIS + body
        if fragment.end < len(hit.text):
            body = body + ELLIPSIS
        parts.append(body)
    return " ".join(parts)


def hit_metadata(hit: Hit) -> str:
    """One line: date · section · paragraph number · speakers."""
    parts = [hit.date.isoformat() if hit.date else "no date"]
    if hit.section:
        parts.append(hit.section)
    parts.append(f"¶{hit.paragraph}")
    if hit.heading:
        parts.append(f"under ‘{hit.heading}’")
    parts.append("speaker: " + (", ".join(hit.speakers) if hit.speakers else "none"))
    return " · ".join(escape_controls(p) for p in parts)


def render_hit(hit: Hit, style: Style, display_path: str) -> str:
    """A hit as four lines: rank, title and score; metadata; the fragments; source file and id."""
    header = f"{hit.rank}. {style.bold(escape_controls(hit.title))}  {style.dim(f'score {hit.score:.2f}')}"
    lines = [
        header,
        "   " + hit_metadata(hit),
        "   " + render_fragments(hit, style),
        "   " + style.dim(escape_controls(f"{display_path} · id {hit.pid}")),
    ]
    return "\n".join(lines)


def render_summary(results: SearchResults) -> str:
    """``4 paragraphs match "Belousov" (showing 1–4, 0.003 s)``."""
    noun = "paragraph matches" if results.total == 1 else "paragraphs match"
    shown = f"showing 1–{len(results.hits)}" if results.hits else "none shown"
    filters = f" where {' and '.join(results.filters)}" if results.filters else ""
    return f"{results.total} {noun} {quoted(results.query)}{filters} ({shown}, {results.seconds:.3f} s)"


def render_no_matches(results: SearchResults) -> str:
    """``no paragraph matches "Belosov"`` plus the filters that were active."""
    filters = f" where {' and '.join(results.filters)}" if results.filters else ""
    return f"no paragraph matches {quoted(results.query)}{filters}"


def render_text(results: SearchResults, *, color: bool, display_path: Callable[[str], str] = str) -> str:
    """Results for reading: a summary line, then each hit separated by a blank line."""
    style = Style(color)
    blocks = [render_summary(results)]
    blocks.extend(render_hit(hit, style, display_path(hit.path)) for hit in results.hits)
    return "\n\n".join(blocks)


def render_json(results: SearchResults) -> str:
    """Results as one JSON document (every field, the score and highlight offsets)."""
    return json.dumps(results.to_dict(), ensure_ascii=False, indent=2)


__all__ = ["Fragment", "Style", "escape_controls", "render_json", "render_text"]
