"""Markdown, to paste into a newsroom chat or a wiki: hits as a table, a whole article as headed
paragraphs, a timeline and the index summary as tables. Matches are in bold; everything taken
from documents is escaped so that it shows as written (``|``, ``*``, ``_``, backticks and
brackets get a backslash, ``<``, ``>`` and ``&`` become entities, line breaks become spaces)."""

from __future__ import annotations

import re

from newssearch.models import ArticleView, Hit, IndexStats, SearchResults, SimilarResults, Span, Timeline
from newssearch.output.escape import escape_controls
from newssearch.output.text import ELLIPSIS, render_summary, render_suggestion

_SPECIAL_RE = re.compile(r"([\\`*_\[\]|~])")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_BREAK_RE = re.compile(r"[\r\n\u2028\u2029]+")


def escape_markdown(text: str) -> str:
    """``text`` shown as written in Markdown (and in the HTML a renderer makes of it)."""
    text = escape_controls(_BREAK_RE.sub(" ", text))
    text = "".join(_ENTITIES.get(char, char) for char in text)
    return _SPECIAL_RE.sub(r"\\\1", text)


def code(text: str) -> str:
    """An id as code (copied as it is), or escaped text when it holds what a code span cannot."""
    if "`" in text or "|" in text or _BREAK_RE.search(text) or escape_controls(text) != text:
        return escape_markdown(text)
    return f"`{text}`"


def marked(text: str, matches: tuple[Span, ...] | list[Span], offset: int = 0) -> str:
    """``text`` escaped, each match in bold."""
    pieces: list[str] = []
    position = 0
    for span in sorted(matches, key=lambda s: s.start):
        start, end = span.start - offset, span.end - offset
        if start < position or end > len(text):
            continue
        pieces += [escape_markdown(text[position:start]), f"**{escape_markdown(text[start:end])}**"]
        position = end
    pieces.append(escape_markdown(text[position:]))
    return "".join(pieces)


def _fragments(hit: Hit) -> str:
    parts = []
    for fragment in hit.fragments:
        body = marked(fragment.text, fragment.matches, fragment.start)
        parts.append((ELLIPSIS if fragment.start > 0 else "") + body + (ELLIPSIS if fragment.end < len(hit.text) else ""))
    return " ".join(parts)


def _hits_table(hits: tuple[Hit, ...]) -> list[str]:
    lines = ["| # | Title | Date | Section | Speakers | Paragraph | Id |", "|---:|---|---|---|---|---|---|"]
    for hit in hits:
        cells = [str(hit.rank), escape_markdown(hit.title), hit.date.isoformat() if hit.date else "",
                 escape_markdown(hit.section), escape_markdown(", ".join(hit.speakers)),
                 f"¶{hit.paragraph}: {_fragments(hit)}", code(hit.pid)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def results_markdown(results: SearchResults) -> str:
    head = [f"**{escape_markdown(render_summary(results))}**"]
    suggestion = render_suggestion(results)
    if suggestion:
        head.insert(0, f"*{escape_markdown(suggestion)}*")
    if results.facets is not None:
        for facet in results.facets:
            values = ", ".join(f"{escape_markdown(v.value)} {v.count:,}" for v in facet.values) or "—"
            head.append(f"- {facet.name}: {values}")
    return "\n\n".join(["\n".join(head), "\n".join(_hits_table(results.hits))]) if results.hits else "\n".join(head)


def similar_markdown(results: SimilarResults) -> str:
    terms = ", ".join(escape_markdown(term) for term in results.key_terms)
    head = (f"**{len(results.hits)} paragraphs like {escape_markdown(results.pid)} "
            f"({escape_markdown(results.title)})**, key terms: {terms}")
    return "\n\n".join([head, "\n".join(_hits_table(results.hits))]) if results.hits else head


def article_markdown(view: ArticleView) -> str:
    meta = [view.date.isoformat() if view.date else "no date", *(p for p in (view.section, view.source) if p)]
    lines = [f"# {escape_markdown(view.title)}", "", " · ".join(escape_markdown(part) for part in meta)]
    if view.subtitle:
        lines += ["", f"*{escape_markdown(view.subtitle)}*"]
    heading = ""
    for paragraph in view.paragraphs:
        if paragraph.heading and paragraph.heading != heading:
            lines += ["", f"## {escape_markdown(paragraph.heading)}"]
        heading = paragraph.heading
        mark = "▶ " if paragraph.paragraph == view.marked else ""
        lines += ["", f"{mark}**¶{paragraph.paragraph}** {marked(paragraph.text, paragraph.matches)}"]
    return "\n".join(lines)


def timeline_markdown(result: Timeline) -> str:
    lines = [f"**{result.total:,} {result.unit} match “{escape_markdown(result.query)}”, by {result.by}"
             f"{f', {result.undated:,} undated' if result.undated else ''}**", "",
             "| Period | Count |", "|---|---:|"]
    lines += [f"| {bucket.period} | {bucket.count:,} |" for bucket in result.buckets]
    return "\n".join(lines)


def stats_markdown(stats: IndexStats) -> str:
    dates = (f"{stats.first_date.isoformat()} to {stats.last_date.isoformat()}"
             if stats.first_date and stats.last_date else "none")
    lines = [f"**Index {escape_markdown(stats.location)}**: {stats.articles:,} articles, "
             f"{stats.paragraphs:,} paragraphs, {stats.files:,} files; dates {dates}", "",
             "| Section | Articles | Paragraphs |", "|---|---:|---:|"]
    lines += [f"| {escape_markdown(s.section)} | {s.articles:,} | {s.paragraphs:,} |" for s in stats.sections]
    lines += ["", "| Speaker | Paragraphs |", "|---|---:|"]
    lines += [f"| {escape_markdown(s.value)} | {s.count:,} |" for s in stats.speakers]
    return "\n".join(lines)
