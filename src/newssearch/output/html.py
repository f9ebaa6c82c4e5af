"""HTML, a page on its own (search results, similar paragraphs, a whole article) with the matches
in ``<mark>``: to save or mail a result. Everything from documents is escaped; no script, no
style from outside. (The web server's pages are richer and have their own templates.)"""

from __future__ import annotations

from html import escape

from newssearch.models import ArticleView, Hit, SearchResults, SimilarResults, Span
from newssearch.output.text import ELLIPSIS, render_summary

_PAGE = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
         '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>\n'
         '<body>\n{body}\n</body></html>')


def marked(text: str, matches: tuple[Span, ...] | list[Span], offset: int = 0) -> str:
    """``text`` escaped, each match in ``<mark>``."""
    pieces: list[str] = []
    position = 0
    for span in sorted(matches, key=lambda s: s.start):
        start, end = span.start - offset, span.end - offset
        if start < position or end > len(text):
            continue
        pieces += [escape(text[position:start]), f"<mark>{escape(text[start:end])}</mark>"]
        position = end
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def _hit(hit: Hit) -> str:
    body = " ".join((ELLIPSIS if f.start > 0 else "") + marked(f.text, f.matches, f.start)
                    + (ELLIPSIS if f.end < len(hit.text) else "") for f in hit.fragments)
    meta = " · ".join(escape(part) for part in [hit.date.isoformat() if hit.date else "no date", hit.section,
                                                 f"¶{hit.paragraph}", ", ".join(hit.speakers)] if part)
    return (f'<article><h2>{hit.rank}. {escape(hit.title)}</h2><p class="meta">{meta}</p>'
            f'<p>{body}</p><p class="id">{escape(hit.pid)}</p></article>')


def results_html(results: SearchResults) -> str:
    body = f"<p>{escape(render_summary(results))}</p>\n" + "\n".join(_hit(hit) for hit in results.hits)
    return _PAGE.format(title=escape(f"newssearch: {results.query}"), body=body)


def similar_html(results: SimilarResults) -> str:
    body = (f"<p>Paragraphs like {escape(results.pid)} (key terms: {escape(', '.join(results.key_terms))})</p>\n"
            + "\n".join(_hit(hit) for hit in results.hits))
    return _PAGE.format(title=escape(f"newssearch: like {results.pid}"), body=body)


def article_html(view: ArticleView) -> str:
    parts = [f"<h1>{escape(view.title)}</h1>",
             f"<p>{escape(' · '.join(p for p in [view.date.isoformat() if view.date else 'no date', view.section, view.source] if p))}</p>"]
    heading = ""
    for paragraph in view.paragraphs:
        if paragraph.heading and paragraph.heading != heading:
            parts.append(f"<h2>{escape(paragraph.heading)}</h2>")
        heading = paragraph.heading
        current = ' aria-current="true"' if paragraph.paragraph == view.marked else ""
        parts.append(f'<p id="p{paragraph.paragraph}"{current}><b>¶{paragraph.paragraph}</b> '
                     f"{marked(paragraph.text, paragraph.matches)}</p>")
    return _PAGE.format(title=escape(view.title), body="\n".join(parts))
