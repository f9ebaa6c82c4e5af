"""Text for reading, on a terminal (bold, dim, yellow matches) or in a pipe (matches in ``**``).

Every piece of document text goes through :func:`~newssearch.output.escape.escape_controls`
before highlighting is added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from typing import Any

from newssearch.indexing.check import CheckReport
from newssearch.models import (
    ArticleParagraph, ArticleView, Facet, Facets, Hit, IndexStats, SearchResults, SimilarResults, Span, Timeline,
)
from newssearch.output.escape import escape_controls, quoted

ELLIPSIS = "…"

BOLD = "\x1b[1m"
DIM = "\x1b[2m"
MATCH = "\x1b[1;33m"  # bold yellow
RESET = "\x1b[0m"
PLAIN_MATCH_OPEN, PLAIN_MATCH_CLOSE = "**", "**"


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
    """A hit as four lines: rank, title and score; metadata; the fragments; source file and id.

    Paragraphs of context (``context=N``) surround the fragments, numbered, the hit's marked
    ``▶``; with ``per_article``, a line counts the article's other matching paragraphs.
    """
    header = f"{hit.rank}. {style.bold(escape_controls(hit.title))}  {style.dim(f'score {hit.score:.2f}')}"
    lines = [header, "   " + hit_metadata(hit)]
    if hit.context_before or hit.context_after:
        lines.extend(_context_line(paragraph, style) for paragraph in hit.context_before)
        lines.append(f" ▶ ¶{hit.paragraph} " + render_fragments(hit, style))
        lines.extend(_context_line(paragraph, style) for paragraph in hit.context_after)
    else:
        lines.append("   " + render_fragments(hit, style))
    if hit.other_matches:
        more = f"+ {hit.other_matches} more matching paragraph{'' if hit.other_matches == 1 else 's'} in this article"
        lines.append("   " + style.dim(more))
    lines.append("   " + style.dim(escape_controls(f"{display_path} · id {hit.pid}")))
    return "\n".join(lines)


def _context_line(paragraph: ArticleParagraph, style: Style) -> str:
    body = mark_matches(paragraph.text, paragraph.matches, 0, style.match)
    return f"   {style.dim(f'¶{paragraph.paragraph}')} {body}"


def render_summary(results: SearchResults) -> str:
    """``4 paragraphs match "Belousov" (showing 1–4, 0.003 s)``; pages, order and articles when they apply."""
    if results.per_article and results.articles is not None:
        noun = "article" if results.articles == 1 else "articles"
        paragraphs = "paragraph" if results.total == 1 else "paragraphs"
        verb = "matches" if results.articles == 1 else "match"
        counted = f"{results.articles} {noun} ({results.total} {paragraphs}) {verb}"
    else:
        counted = f"{results.total} {'paragraph matches' if results.total == 1 else 'paragraphs match'}"
    shown = f"showing {results.first}–{results.last}" if results.hits else "none shown"
    if results.pages > 1:
        shown += f", page {results.page} of {results.pages}"
    if results.sort != "relevance":
        shown += f", {results.sort} first"
    filters = f" where {' and '.join(results.filters)}" if results.filters else ""
    return f"{counted} {quoted(results.query)}{filters} ({shown}, {results.seconds:.3f} s)"


def render_suggestion(results: SearchResults) -> str | None:
    """``Did you mean "Belousov"? (--correct runs it)``, or the note that a corrected query ran."""
    if results.corrected_from is not None:
        return f"Showing results for {quoted(results.query)} (corrected from {quoted(results.corrected_from)})"
    if results.suggestion is not None:
        return f"Did you mean {quoted(results.suggestion.query)}? (--correct runs it)"
    return None


def render_facets(facets: Facets) -> str:
    """One line per facet: ``section: africa 3 · business 2 · no section 1``."""
    return "\n".join(_facet_line(facet) for facet in facets)


def _facet_line(facet: Facet) -> str:
    parts = [f"{escape_controls(value.value)} {value.count:,}" for value in facet.values]
    hidden = facet.distinct - len(facet.values)
    if hidden > 0:
        parts.append(f"{hidden:,} more")
    if facet.missing:
        parts.append(f"no {facet.name} {facet.missing:,}")
    return f"{facet.name}: " + (" · ".join(parts) if parts else "—")


def render_no_matches(results: SearchResults) -> str:
    """``no paragraph matches "Belosov"`` plus the filters that were active and any suggested correction."""
    filters = f" where {' and '.join(results.filters)}" if results.filters else ""
    message = f"no paragraph matches {quoted(results.query)}{filters}"
    if results.corrected_from is not None:
        return f"{message} (corrected from {quoted(results.corrected_from)})"
    if results.suggestion is not None:
        return f"{message}; did you mean {quoted(results.suggestion.query)}? (--correct runs it)"
    return message


def render_text(results: SearchResults, *, color: bool, display_path: Callable[[str], str] = str) -> str:
    """Results for reading: a summary line, then each hit separated by a blank line."""
    style = Style(color)
    suggestion = render_suggestion(results)
    blocks = [f"{suggestion}\n{render_summary(results)}" if suggestion else render_summary(results)]
    if results.facets is not None:
        blocks.append(render_facets(results.facets))
    blocks.extend(render_hit(hit, style, display_path(hit.path)) for hit in results.hits)
    return "\n\n".join(blocks)


def render_article(view: ArticleView, *, color: bool, display_path: Callable[[str], str] = str) -> str:
    """A whole article: title, metadata, then every paragraph numbered, crossheads shown, the asked-for one marked."""
    style = Style(color)
    meta = [view.date.isoformat() if view.date else "no date"]
    meta.extend(part for part in (view.section, view.source) if part)
    meta.append(f"{len(view.paragraphs)} paragraph{'' if len(view.paragraphs) == 1 else 's'}")
    lines = [style.bold(escape_controls(view.title)), " · ".join(escape_controls(part) for part in meta)]
    if view.subtitle:
        lines.append(escape_controls(view.subtitle))
    lines.append(style.dim(escape_controls(f"{display_path(view.path)} · article {view.article_id}")))
    width = len(str(view.paragraphs[-1].paragraph)) if view.paragraphs else 1
    heading = ""
    for paragraph in view.paragraphs:
        if paragraph.heading and paragraph.heading != heading:
            lines.extend(["", f"   {style.bold(escape_controls(f'‘{paragraph.heading}’'))}"])
        heading = paragraph.heading
        gutter = "▶" if paragraph.paragraph == view.marked else " "
        number = f"¶{paragraph.paragraph:<{width}}"
        body = mark_matches(paragraph.text, paragraph.matches, 0, style.match)
        lines.extend(["", f"{gutter} {style.bold(number) if gutter != ' ' else style.dim(number)}  {body}"])
    return "\n".join(lines)


def render_similar(results: SimilarResults, *, color: bool, display_path: Callable[[str], str] = str) -> str:
    """The paragraphs like a given one, as query hits are shown, after a line naming its key terms."""
    style = Style(color)
    scope = " in other articles" if results.other_articles else ""
    count = f"{len(results.hits)} paragraph{'' if len(results.hits) == 1 else 's'}"
    terms = ", ".join(escape_controls(term) for term in results.key_terms)
    header = (f"{count}{scope} like {escape_controls(results.pid)} {quoted(results.title)} "
              f"(key terms: {terms}; {results.seconds:.3f} s)")
    return "\n\n".join([header, *(render_hit(hit, style, display_path(hit.path)) for hit in results.hits)])


BAR_WIDTH = 40
_EIGHTHS = " ▏▎▍▌▋▊▉"


def render_timeline(result: Timeline, *, width: int = BAR_WIDTH) -> str:
    """A bar chart, one period a line: label, count and a bar scaled to the busiest period."""
    filters = f" where {' and '.join(result.filters)}" if result.filters else ""
    undated = f", {result.undated} undated" if result.undated else ""
    lines = [f"{result.total} {result.unit} match {quoted(result.query)}{filters}, by {result.by}{undated}"]
    peak = max((bucket.count for bucket in result.buckets), default=0)
    label_width = max((len(bucket.period) for bucket in result.buckets), default=0)
    count_width = len(f"{peak:,}")
    for bucket in result.buckets:
        lines.append(f"{bucket.period:<{label_width}}  {bucket.count:>{count_width},}  {bar(bucket.count, peak, width)}".rstrip())
    if not result.buckets and result.total:
        lines.append("(no dated matches to chart)")
    return "\n".join(lines)


def bar(count: int, peak: int, width: int) -> str:
    """A horizontal bar of ``count / peak * width`` cells, in eighths; a non-zero count shows at least ``▏``."""
    if count <= 0 or peak <= 0:
        return ""
    eighths = max(1, round(count / peak * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def render_stats(stats: IndexStats) -> str:
    """The index summary: counts, date range, sections with counts, top speakers, size and last update."""
    lines = [
        f"Index {escape_controls(stats.location)}/ (schema {stats.schema_version}, {_size(stats.size_bytes)}, "
        f"last indexed {stats.last_updated or 'unknown'})",
        f"  {stats.articles:,} article{'' if stats.articles == 1 else 's'}, "
        f"{stats.paragraphs:,} paragraph{'' if stats.paragraphs == 1 else 's'}, "
        f"from {stats.files:,} file{'' if stats.files == 1 else 's'}",
    ]
    if stats.first_date and stats.last_date:
        dates = f"  dates: {stats.first_date.isoformat()} to {stats.last_date.isoformat()}"
    else:
        dates = "  dates: none"
    if stats.undated_paragraphs:
        dates += f" ({stats.undated_paragraphs:,} paragraphs undated)"
    lines.append(dates)
    lines.append("Sections (articles, paragraphs):")
    name_width = max((len(s.section) for s in stats.sections), default=0)
    for section in stats.sections:
        lines.append(f"  {escape_controls(section.section):<{name_width}}  {section.articles:>7,}  {section.paragraphs:>8,}")
    if stats.no_section_paragraphs:
        lines.append(f"  {'(none)':<{name_width}}  {'':>7}  {stats.no_section_paragraphs:>8,}")
    lines.append(f"Top speakers (paragraphs; {stats.distinct_speakers:,} different):")
    name_width = max((len(s.value) for s in stats.speakers), default=0)
    for speaker in stats.speakers:
        lines.append(f"  {escape_controls(speaker.value):<{name_width}}  {speaker.count:>7,}")
    return "\n".join(lines)


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def render_check(report: CheckReport) -> str:
    """What ``check`` found, for reading."""
    summary = ", ".join([_count(report.segments, "segment"), _count(report.paragraphs, "paragraph"),
                         _count(report.files, "file")])
    if report.ok:
        lines = [f"Index {escape_controls(report.location)}/ is sound ({summary})."]
    else:
        lines = [f"Index {escape_controls(report.location)}/ is damaged ({summary}):"]
        lines += [f"  {escape_controls(problem)}" for problem in report.problems]
        if report.affected_files:
            lines.append(f"{_count(len(report.affected_files), 'source file')} to read again: "
                         f"`newssearch check --repair` does it.")
    lines += [f"Note: {escape_controls(note)}" for note in report.notes]
    return "\n".join(lines)


def render_repair(repaired: Any, after: CheckReport) -> str:
    if repaired.check.ok:
        return render_check(after)
    lines = [render_check(repaired.check), f"Repair: {repaired.action}."]
    if repaired.reindexed:
        lines.append(f"  read again: {_count(len(repaired.reindexed), 'file')}, "
                     f"{_count(repaired.paragraphs, 'paragraph')}")
    for path in repaired.missing:
        lines.append(f"  missing source, its paragraphs are gone from the index: {escape_controls(path)}")
    for problem in repaired.problems:
        lines.append(f"  {escape_controls(str(problem))}")
    lines.append(render_check(after))
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
