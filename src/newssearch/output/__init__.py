"""Output formats, in one registry: which formats each kind of result offers, and how each is
rendered. Every command and the web server go through :func:`render`.

Adding a format is one module of functions from models to text plus one entry in
:data:`FORMATS` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newssearch.indexing.check import CheckReport
from newssearch.models import ArticleView, IndexStats, SearchResults, SimilarResults, Timeline
from newssearch.output import csv, html, json, markdown, text


@dataclass(frozen=True)
class RenderOptions:
    """How text output looks: colour on a terminal, paths as the reader sees them."""

    color: bool = False
    display_path: Callable[[str], str] = str


Renderer = Callable[[Any, RenderOptions], str]

# Format name -> kind of result -> renderer.
FORMATS: dict[str, dict[type, Renderer]] = {
    "text": {
        SearchResults: lambda r, o: text.render_text(r, color=o.color, display_path=o.display_path),
        SimilarResults: lambda r, o: text.render_similar(r, color=o.color, display_path=o.display_path),
        ArticleView: lambda r, o: text.render_article(r, color=o.color, display_path=o.display_path),
        Timeline: lambda r, o: text.render_timeline(r),
        IndexStats: lambda r, o: text.render_stats(r),
        CheckReport: lambda r, o: text.render_check(r),
    },
    "json": dict.fromkeys((SearchResults, SimilarResults, ArticleView, Timeline, IndexStats, CheckReport),
                          lambda r, o: json.document(r)),
    "jsonl": {
        SearchResults: lambda r, o: json.results_jsonl(r),
        SimilarResults: lambda r, o: json.results_jsonl(r),
        Timeline: lambda r, o: json.timeline_jsonl(r),
    },
    "csv": {
        SearchResults: lambda r, o: csv.results_csv(r),
        SimilarResults: lambda r, o: csv.results_csv(r),
        Timeline: lambda r, o: csv.timeline_csv(r),
    },
    "markdown": {
        SearchResults: lambda r, o: markdown.results_markdown(r),
        SimilarResults: lambda r, o: markdown.similar_markdown(r),
        ArticleView: lambda r, o: markdown.article_markdown(r),
        Timeline: lambda r, o: markdown.timeline_markdown(r),
        IndexStats: lambda r, o: markdown.stats_markdown(r),
    },
    "html": {
        SearchResults: lambda r, o: html.results_html(r),
        SimilarResults: lambda r, o: html.similar_html(r),
        ArticleView: lambda r, o: html.article_html(r),
    },
}
# Formats whose output ends its own lines (CSV rows end with CRLF).
ENDS_ITS_LINES = frozenset({"csv"})


def formats_for(kind: type) -> tuple[str, ...]:
    """The formats a kind of result can be rendered in, ``text`` first."""
    return tuple(name for name, renderers in FORMATS.items() if kind in renderers)


def render(value: object, fmt: str, options: RenderOptions = RenderOptions()) -> str:
    """``value`` in format ``fmt``; ValueError for a format it does not offer."""
    renderer = FORMATS.get(fmt, {}).get(type(value))
    if renderer is None:
        raise ValueError(f"{type(value).__name__} cannot be rendered as {fmt!r} "
                         f"(formats: {', '.join(formats_for(type(value)))})")
    return renderer(value, options)
