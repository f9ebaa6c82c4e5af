"""Plain text articles (``.txt``, or no extension): the seed article's layout — an optional
``date … SECTION`` header, the title, a standfirst, a photo caption with its credit, a dateline,
then paragraphs separated by blank lines (crossheads included)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from newssearch.ingest.dates import article_date, parse_date_text
from newssearch.ingest.formats.base import FileRead, shown
from newssearch.models import Article, ReadProblem

_HEADER_RE = re.compile(r"^\s*date\s+(\S+)(?:\s+(.*?))?\s*$", re.IGNORECASE)
_CAPTION_RE = re.compile(r"^(?P<caption>.*\S)\s+/\s*(?P<credit>[^/]{1,80})$")
_YEAR_RE = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n\s*")


def read(text: str, article_id: str, result: FileRead, first_line: int = 1) -> None:
    try:
        article, warnings = parse_text_article(text, article_id)
    except ValueError as error:
        result.problems.append(ReadProblem(result.path, str(error)))
        return
    result.articles.append(article)
    result.problems.extend(ReadProblem(result.path, w, skipped=False) for w in warnings)


def parse_text_article(text: str, article_id: str) -> tuple[Article, list[str]]:
    """Parse one plain-text article; return it with warnings. Raise ValueError if it has no body.

    Layout (every part optional except title and body)::

         date 2025-08-15 AFRICA      header: "date", ISO date, section
        Title
        Standfirst
        Photo caption / Credit
        August 15, 2025              dateline
        <blank line>
        Body paragraphs separated by blank lines (crossheads included)
    """
    warnings: list[str] = []
    # Every kind of white space is stripped (a vertical tab or U+2028 left before the title made it empty).
    blocks = [b.split("\n") for b in _BLANK_LINE_RE.split(text.strip()) if b.strip()]
    if not blocks:
        raise ValueError("no text")
    header_date: date | None = None
    section = ""
    header = _HEADER_RE.match(blocks[0][0])
    if header:
        header_date, problem = _parse_header_date(header.group(1))
        if problem:
            warnings.append(problem)
        section = (header.group(2) or "").strip()
        blocks[0] = blocks[0][1:]
        if not blocks[0]:
            blocks.pop(0)
    if not blocks:
        raise ValueError("no title")
    front, body_blocks = blocks[0], blocks[1:]
    title = front[0].strip()
    if not title:
        raise ValueError("no title")
    meta_lines = [line.strip() for line in front[1:] if line.strip()]
    if not body_blocks and meta_lines:
        # No blank line after the title: the following lines are the body, one paragraph each.
        body_blocks, meta_lines = [[line] for line in meta_lines], []
    body = tuple(" ".join(part.strip() for part in block if part.strip()) for block in body_blocks)
    if not body:
        raise ValueError("no body: the title is not followed by any paragraph")
    subtitle, caption, credit, dateline_date = _classify_front_matter(meta_lines)
    if dateline_date is not None:
        dateline_date, problem = article_date(dateline_date, "dateline date")
        if problem:
            warnings.append(problem)
    return Article(
        id=article_id,
        title=title,
        body=body,
        subtitle=subtitle,
        date=header_date or dateline_date,
        section=section,
        source=credit,
        caption=caption,
    ), warnings


def _parse_header_date(value: str) -> tuple[date | None, str | None]:
    try:
        parsed: date | None = date.fromisoformat(value)
    except ValueError:
        parsed = parse_date_text(value)
    if parsed is None:
        return None, f"header date {shown(value)} is not a valid date; date left empty"
    return article_date(parsed, f"header date {shown(value)}")


def _classify_front_matter(lines: Sequence[str]) -> tuple[str, str, str, date | None]:
    """Sort the lines between title and body into standfirst, caption + credit, and dateline."""
    standfirst: list[str] = []
    caption = credit = ""
    dateline: date | None = None
    for line in lines:
        caption_match = _CAPTION_RE.match(line)
        if caption_match and not caption:
            caption, credit = caption_match.group("caption"), caption_match.group("credit").strip()
        elif dateline is None and (parsed := _parse_dateline(line)) is not None:
            dateline = parsed
        else:
            standfirst.append(line)
    return " ".join(standfirst), caption, credit, dateline


def _parse_dateline(line: str) -> date | None:
    if len(line) > 60 or not _YEAR_RE.search(line):
        return None
    return parse_date_text(line, fuzzy=len(line) <= 40)
