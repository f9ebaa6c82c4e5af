"""Render search results, articles and timelines as HTML pages: functions from models to text.

Everything from the index (titles, text, names, sections, URLs) and everything from the
request (the query) is escaped: the templates run with autoescaping on, and the few pieces built
here in Python (:func:`marked`, :func:`timeline_svg`) escape each piece before adding markup.
No inline script or style is emitted, so the Content-Security-Policy can forbid both.

This module depends only on the library's result models and the page state; it is meant to
become the ``html`` renderer of issue 12's output registry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from newssearch.models import ArticleView, IndexStats, Timeline, TimelineBucket
from newssearch.facets import Facet, FacetCount, Facets
from newssearch.models import Span
from newssearch.models import ArticleParagraph, Hit, SearchResults
from newssearch.web.params import EXPORT_ROWS, SearchState, path_quote

ELLIPSIS = "…"
CHART_HEIGHT = 80
BAR_STEP = 10   # SVG units per bar; the chart scales to the page width
MIN_BARS = 24   # the chart is at least this many bars wide


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescaping always on, undefined names an error."""
    env = Environment(loader=PackageLoader("newssearch.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(marked=marked, fragments=fragments, path_quote=path_quote, safe_link=safe_link,
                       timeline_svg=timeline_svg, article_url=article_url, speaker_url=speaker_url,
                       plural=plural, EXPORT_ROWS=EXPORT_ROWS)
    env.filters["number"] = lambda value: f"{value:,}"
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


# --------------------------------------------------------------------------- pieces


def marked(text: str, matches: Sequence[Span], offset: int = 0) -> Markup:
    """``text`` (starting at ``offset`` of its paragraph), escaped, each match wrapped in ``<mark>``."""
    pieces: list[str] = []
    position = 0
    for span in sorted(matches, key=lambda s: s.start):
        start, end = span.start - offset, span.end - offset
        if start < position or end > len(text) or start < 0:
            continue
        pieces.append(str(escape(text[position:start])))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))


def fragments(hit: Hit) -> Markup:
    """The hit's best fragments, joined by ellipses, matches marked."""
    parts = []
    for fragment in hit.fragments:
        body = marked(fragment.text, fragment.matches, fragment.start)
        if fragment.start > 0:
            body = Markup(ELLIPSIS) + body
        if fragment.end < len(hit.text):
            body = body + Markup(ELLIPSIS)
        parts.append(body)
    return Markup(" ").join(parts)


def safe_link(url: str) -> str | None:
    """``url`` if it is an http(s) address (a ``javascript:`` URL in the data never becomes a link)."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def article_url(pid: str, query: str | None = None, paragraph: int | None = None) -> str:
    """``/article/<id>``, the query to mark, and the paragraph to scroll to."""
    url = "/article/" + path_quote(pid)
    if query:
        url += "?q=" + path_quote(query)
    return url + (f"#p{paragraph}" if paragraph else "")


def speaker_url(name: str) -> str:
    return "/speaker/" + path_quote(name)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


def timeline_svg(found: Timeline, link: Callable[[TimelineBucket], str] | None = None) -> Markup:
    """A bar chart of ``found`` as inline SVG: one bar per period, its count in a tooltip.

    Drawn here rather than by a script, so it shows without JavaScript and offline; bars link to
    the search limited to their period when ``link`` is given.
    """
    buckets = found.buckets
    if not buckets:
        return Markup("")
    peak = max(bucket.count for bucket in buckets) or 1
    width = max(len(buckets), MIN_BARS) * BAR_STEP  # a few periods stay narrow bars, not one wide block
    label = (f"{plural(found.total, found.unit[:-1])} by {found.by}, "
             f"{buckets[0].period} to {buckets[-1].period}; busiest {max(buckets, key=lambda b: b.count).period}")
    bars = []
    for number, bucket in enumerate(buckets):
        height = 0 if not bucket.count else max(1.0, bucket.count / peak * CHART_HEIGHT)
        title = f"<title>{escape(bucket.period)}: {bucket.count:,}</title>"
        bar = (f'<rect class="bar" x="{number * BAR_STEP + 1}" y="{CHART_HEIGHT - height:.1f}" '
               f'width="{BAR_STEP - 2}" height="{height:.1f}"/>'
               f'<rect class="hover" x="{number * BAR_STEP}" y="0" width="{BAR_STEP}" height="{CHART_HEIGHT}">'
               f'{title}</rect>')
        if link is not None and bucket.count:
            bar = f'<a href="{escape(link(bucket))}">{bar}</a>'
        bars.append(bar)
    return Markup(f'<svg class="timeline" viewBox="0 0 {width} {CHART_HEIGHT}" preserveAspectRatio="none" '
                  f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(bars)}</svg>')


# --------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class FacetLink:
    """One facet value as the page shows it: count, the URL that applies (or removes) it."""

    value: str
    count: int
    url: str
    active: bool


def facet_links(facets: Facets, state: SearchState, path: str = "/") -> list[tuple[str, list[FacetLink]]]:
    """Each facet's values with the URL that filters by it, or removes the filter when active."""
    out = []
    for facet in facets:
        links = [_facet_link(facet, value.value, value.count, state, path) for value in facet.values]
        out.append((facet.name, links))
    return out


def _facet_link(facet: Facet, value: str, count: int, state: SearchState, path: str) -> FacetLink:
    if facet.name == "month":
        active = state.since == value and state.until == value
        change: dict[str, str | None] = {"since": None, "until": None} if active else {"since": value, "until": value}
    else:
        current = getattr(state, facet.name)
        active = current is not None and current.casefold() == value.casefold()
        change = {facet.name: None if active else value}
    return FacetLink(value, count, state.url(path, **change), active)


def active_filters(state: SearchState, path: str = "/") -> list[tuple[str, str]]:
    """(label, URL without it) for each filter in force."""
    chips = []
    for name, label in (("section", "section"), ("speaker", "speaker"), ("since", "from"), ("until", "to")):
        value = getattr(state, name)
        if value:
            chips.append((f"{label}: {value}", state.url(path, **{name: None})))
    if state.per_article:
        chips.append(("one hit per article", state.url(path, per_article=False)))
    return chips


def pages(results: SearchResults, state: SearchState, path: str = "/") -> list[tuple[str, str | None]]:
    """Pagination: (label, URL) with None for the current page and gaps, around the current page."""
    last = results.pages
    if last <= 1:
        return []
    shown = sorted({1, last, *range(max(1, results.page - 2), min(last, results.page + 2) + 1)})
    links: list[tuple[str, str | None]] = []
    if results.page > 1:
        links.append(("‹ previous", state.url(path, page=results.page - 1)))
    previous = 0
    for number in shown:
        if number - previous > 1:
            links.append(("…", None))
        links.append((str(number), None if number == results.page else state.url(path, page=number)))
        previous = number
    if results.page < last:
        links.append(("next ›", state.url(path, page=results.page + 1)))
    return links


def month_link(state: SearchState, path: str = "/") -> Callable[[TimelineBucket], str]:
    """A timeline bar's link: the same search limited to the bar's period."""
    return lambda bucket: state.url(path, since=bucket.start.isoformat(), until=bucket.end.isoformat())


def render_search(state: SearchState, results: SearchResults | None = None, *, facets: Facets | None = None,
                  timeline: Timeline | None = None, skipped: str | None = None, error: str | None = None,
                  stats: IndexStats | None = None) -> str:
    """The search page: the form, then results with facets and timeline, or the index's summary."""
    return render("search.html", state=state, results=results, facets=facet_links(facets, state) if facets else None,
                  timeline=timeline, skipped=skipped, error=error, stats=stats, chips=active_filters(state),
                  pages=pages(results, state) if results else [], bar_link=month_link(state),
                  full_url=state.url(full=True, page=state.page), suggestion_url=_suggestion_url(results, state))


def _suggestion_url(results: SearchResults | None, state: SearchState) -> str | None:
    if results is None:
        return None
    if results.corrected_from is not None:
        return state.url(q=results.corrected_from, correct=False, suggest=False)
    if results.suggestion is not None:
        return state.url(q=results.suggestion.query)
    return None


def render_article(view: ArticleView, query: str | None) -> str:
    """A whole article, every paragraph numbered and anchored (``#p3``), the asked-for one marked."""
    return render("article.html", view=view, query=query, url=safe_link(view.url) if view.url else None,
                  headings=_heading_starts(view.paragraphs))


def _heading_starts(paragraphs: Sequence[ArticleParagraph]) -> set[int]:
    """Numbers of the paragraphs where a new crosshead begins."""
    starts, heading = set(), ""
    for paragraph in paragraphs:
        if paragraph.heading and paragraph.heading != heading:
            starts.add(paragraph.paragraph)
        heading = paragraph.heading
    return starts


def render_speaker(name: str, results: SearchResults, timeline: Timeline, state: SearchState, *, quoted: int,
                   others: Sequence[FacetCount] = ()) -> str:
    """A speaker's page: how often they are quoted over time, their quoted paragraphs, a search box.

    ``quoted`` counts the paragraphs quoting exactly ``name``; ``others`` are longer names that
    the name's phrase also matched, listed so the reader knows they are included.
    """
    path = speaker_url(name)
    return render("speaker.html", name=name, results=results, timeline=timeline, state=state, quoted=quoted,
                  others=others, pages=pages(results, state, path), path=path)


def render_error(status: int, message: str, state: SearchState | None = None) -> str:
    return render("error.html", status=status, message=message, state=state or SearchState())


def date_range(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "no dates"
    return f"{first.isoformat()} to {last.isoformat()}"
