"""Run a :class:`~newssearch.request.SearchRequest` on a backend and make the results people read.

The backend ranks, filters, sorts, collapses, counts and pages; this module parses the query
once, proposes or applies a correction, checks the page asked for exists, and turns each match
into a :class:`~newssearch.models.Hit` with its highlighted fragments and, when asked, the
paragraphs around it.
"""

from __future__ import annotations

import math
import time

from newssearch.backends.base import Backend, Deadline
from newssearch.errors import QueryError
from newssearch.models import SearchResults
from newssearch.request import SearchRequest
from newssearch.search.hits import make_hit, with_context


def run_search(backend: Backend, request: SearchRequest) -> SearchResults:
    """The page of hits ``request`` asks for; a page past the last raises :class:`QueryError`."""
    started = time.perf_counter()
    deadline = Deadline(request.time_budget)
    query = request.query
    parsed = backend.parse(query)
    suggestion = corrected_from = None
    if request.suggest or request.correct:
        suggestion = backend.suggest(parsed)
        if request.correct and suggestion is not None:
            corrected_from, query = query, suggestion.query
            parsed = backend.parse(query)
    page = backend.search(request, parsed, deadline)
    units = page.articles if page.articles is not None else page.total
    if request.page > 1 and request.start >= units:
        raise QueryError(_past_the_end(request.page, units, request.limit, request.per_article))
    hits = tuple(make_hit(request.start + number, match, page.terms)
                 for number, match in enumerate(page.matches, 1))
    if request.context:
        hits = tuple(with_context(backend, hit, request.context, page.terms) for hit in hits)
    return SearchResults(query=query, total=page.total, hits=hits, seconds=time.perf_counter() - started,
                         parsed=parsed.described, filters=tuple(request.filters.describe()), page=request.page,
                         page_size=request.limit, sort=request.sort, per_article=request.per_article,
                         articles=page.articles, facets=page.facets, suggestion=suggestion,
                         corrected_from=corrected_from)


def _past_the_end(page: int, units: int, limit: int, per_article: bool) -> str:
    noun = ("article" if per_article else "paragraph") + ("" if units == 1 else "s")
    verb = "matches" if units == 1 else "match"
    pages = max(1, math.ceil(units / limit))
    return (f"page {page} is past the end: {units} {noun} {verb}, "
            f"{pages} page{'' if pages == 1 else 's'} of {limit}")
