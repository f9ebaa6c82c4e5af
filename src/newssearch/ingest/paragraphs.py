"""Split an article body into numbered paragraphs, each under the crosshead in force."""

from __future__ import annotations

from newssearch.models import Paragraph  # noqa: F401  (defined there; imported from here too)

import re
from collections.abc import Sequence

# A crosshead is a short line wholly in quotes that is not itself a quoted sentence:
# ‘Strengthening cooperation’ is one; “We will win.” is a paragraph.
_CROSSHEAD_RE = re.compile(r"^[‘'“\"](?P<heading>[^‘’“”\"]{1,80}?)[’'”\"]$")
_MAX_CROSSHEAD_WORDS = 10
# Longer paragraphs (a file with no paragraph breaks) are cut into several at spaces, so that
# each stays quick to analyse, attribute and highlight; nothing is dropped.
MAX_PARAGRAPH_CHARS = 5_000


def crosshead_text(block: str) -> str | None:
    """The heading if ``block`` is a crosshead, else None."""
    match = _CROSSHEAD_RE.match(block.strip())
    if match is None:
        return None
    heading = match.group("heading").strip()
    if not heading or heading[-1] in ".!?,;:" or len(heading.split()) > _MAX_CROSSHEAD_WORDS:
        return None
    return heading


def split_paragraphs(body: Sequence[str]) -> list[Paragraph]:
    """Number the body's paragraphs, dropping crossheads and attaching each to what follows it."""
    paragraphs: list[Paragraph] = []
    heading = ""
    for block in body:
        text = block.strip()
        if not text:
            continue
        crosshead = crosshead_text(text)
        if crosshead is not None:
            heading = crosshead
            continue
        for piece in _cut(text, MAX_PARAGRAPH_CHARS):
            paragraphs.append(Paragraph(len(paragraphs) + 1, piece, heading))
    return paragraphs


def _cut(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at a space where there is one."""
    pieces = []
    start, end = 0, len(text)
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        if cut == -1:
            cut = start + limit
        pieces.append(text[start:cut].rstrip())
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append(text[start:])
    return pieces
