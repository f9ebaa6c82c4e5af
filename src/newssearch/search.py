"""Run a query against an open index and return plain hit objects with scores and highlights.

Ranking is whoosh's BM25F. Hits are copied into frozen dataclasses while the searcher is open,
so they outlive it.
"""

from __future__ import annotations

from newssearch.models import DEFAULT_LIMIT, ArticleParagraph, Hit, SearchResults  # noqa: F401  (defined there; imported from here too)

import math
import time
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.backends.whoosh.boolean import is_boolean, search_boolean
from newssearch.backends.whoosh.conjunction import as_conjunction, search_conjunction
from newssearch.errors import QueryError
from newssearch.facets import DEFAULT_FACET_LIMIT, Columns, count_facets
from newssearch.highlight import best_fragments, match_spans
from newssearch.query import build_filter, make_filters, parse_query, query_terms
from newssearch.schema import (
    ARTICLE_ID, AUTHORS, DATE, HEADING, PARAGRAPH, PATH, PID, SECTION, SOURCE, SPEAKER,
    SPEAKER_SEPARATOR, SUBTITLE, TEXT_FIELD, TITLE, URL, paragraph_id,
)
from newssearch.spelling import suggest_query

SORTS = ("relevance", "newest", "oldest")
MAX_CONTEXT = 100  # paragraphs either side of a hit: more is a whole article (use `show`)


def run_search(searcher: Any, query: str, *, limit: int = DEFAULT_LIMIT, section: str | None = None,
               speaker: str | None = None, since: str | date | None = None, until: str | date | None = None,
               page: int = 1, sort: str = "relevance", per_article: bool = False, facets: bool = False,
               facet_limit: int = DEFAULT_FACET_LIMIT, suggest: bool = False, correct: bool = False,
               context: int = 0) -> SearchResults:
    """Search with whoosh ``searcher``: BM25F ranking, filters, highlighted fragments.

    ``limit`` hits per page; ``page`` (1-based) must not be past the last page. ``sort`` is
    ``relevance`` (best first), ``newest`` or ``oldest`` (undated paragraphs last, ties best first).
    ``per_article`` keeps each article's best paragraph and counts its other matches.
    ``facets`` counts all matches by section, speaker and month (``facet_limit`` values each).
    ``suggest`` proposes a corrected query when a word is not in the index; ``correct`` runs it.
    ``context`` adds that many paragraphs before and after each hit.
    """
    _check_options(limit, page, sort, context, facet_limit)
    started = time.perf_counter()
    schema = searcher.schema
    parsed = parse_query(schema, query)
    suggestion = corrected_from = None
    if suggest or correct:
        suggestion = suggest_query(searcher, query, parsed)
        if correct and suggestion is not None:
            corrected_from, query = query, suggestion.query
            parsed = parse_query(schema, query)
    filters = make_filters(section, speaker, since, until)
    restriction = build_filter(schema, filters)
    with whoosh_imports():
        analyzer = schema[TEXT_FIELD].analyzer
        terms = highlight_terms(parsed, searcher.reader(), analyzer)
        articles: int | None = None
        other: list[int] | None = None
        docnums: list[int] | None = None
        if sort == "relevance" and not per_article and not facets:
            ranked, total = rank_matches(searcher, parsed, restriction, page * limit)
        else:
            ranked, total = rank_matches(searcher, parsed, restriction, None)
            docnums = [docnum for _, docnum in ranked]
            if sort != "relevance":
                ranked = _by_date(searcher, ranked, newest=sort == "newest")
            if per_article:
                ranked, other = _one_per_article(searcher, ranked)
                articles = len(ranked)
        start = (page - 1) * limit
        units = articles if articles is not None else total
        if page > 1 and start >= units:
            raise QueryError(_past_the_end(page, units, limit, per_article))
        shown = ranked[start:start + limit]
        hits = tuple(_hit(start + number, score, searcher.stored_fields(docnum), terms, analyzer)
                     for number, (score, docnum) in enumerate(shown, 1))
        if other is not None:
            hits = tuple(replace(hit, other_matches=count) for hit, count in zip(hits, other[start:start + limit]))
        if context:
            hits = tuple(with_context(searcher, hit, context, terms, analyzer) for hit in hits)
        counted = count_facets(searcher, docnums, limit=facet_limit) if facets and docnums is not None else None
    return SearchResults(query=query, total=total, hits=hits, seconds=time.perf_counter() - started,
                         parsed=str(parsed), filters=tuple(filters.describe()), page=page, page_size=limit,
                         sort=sort, per_article=per_article, articles=articles, facets=counted,
                         suggestion=suggestion, corrected_from=corrected_from)


def _check_options(limit: int, page: int, sort: str, context: int, facet_limit: int) -> None:
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}")
    if page < 1:
        raise QueryError(f"--page must be at least 1, not {page}")
    if sort not in SORTS:
        raise QueryError(f"--sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if not 0 <= context <= MAX_CONTEXT:
        raise QueryError(f"--context must be 0 to {MAX_CONTEXT} paragraphs, not {context} "
                         f"(newssearch show ID prints a whole article)")
    if facet_limit < 1:
        raise QueryError(f"--facet-limit must be at least 1, not {facet_limit}")


def _past_the_end(page: int, units: int, limit: int, per_article: bool) -> str:
    noun = ("article" if per_article else "paragraph") + ("" if units == 1 else "s")
    verb = "matches" if units == 1 else "match"
    pages = max(1, math.ceil(units / limit))
    return (f"page {page} is past the end: {units} {noun} {verb}, "
            f"{pages} page{'' if pages == 1 else 's'} of {limit}")


def allowed_docnums(searcher: Any, restriction: Any | None) -> set[int] | None:
    """The paragraphs a filter lets through (None: no filter)."""
    if restriction is None:
        return None
    return set(searcher.docs_for_query(restriction))


def rank_matches(searcher: Any, parsed: Any, restriction: Any | None,
                 limit: int | None) -> tuple[list[tuple[float, int]], int]:
    """The best ``limit`` matches (every match with None) as (score, docnum), best first, and their count.

    Words and phrases, and AND/OR/NOT combinations of them, are scored from the posting blocks
    (:func:`block_scan`); anything else by whoosh. Both give whoosh's BM25F scores and order
    (ties: lower docnum first).
    """
    found = block_scan(searcher, parsed, restriction, limit)
    if found is not None:
        return found
    if limit is None:
        ranked = all_matches(searcher, parsed, restriction)
        return ranked, len(ranked)
    results = _ranked_and_counted(searcher, parsed, limit, restriction)
    return list(results.top_n), _total_matches(results, limit)


def block_scan(searcher: Any, parsed: Any, restriction: Any | None,
               limit: int | None) -> tuple[list[tuple[float, int]], int] | None:
    """Matches scored by newssearch's own reading of the posting blocks, or None when whoosh must
    run the query (:mod:`newssearch.backends.whoosh.conjunction`, :mod:`newssearch.backends.whoosh.boolean`)."""
    conjunction = as_conjunction(parsed, searcher.schema)
    if conjunction is None and not is_boolean(parsed, searcher.schema):
        return None
    allow = allowed_docnums(searcher, restriction)
    if conjunction is not None:
        return search_conjunction(searcher, conjunction, limit, allow)
    return search_boolean(searcher, parsed, limit, allow)


def all_matches(searcher: Any, parsed: Any, restriction: Any | None) -> list[tuple[float, int]]:
    """Every match as (score, docnum), best first, scored by whoosh.

    The filter is applied here rather than by whoosh, whose 2.7.4 collectors let everything
    through a filter that matches nothing.
    """
    allow = allowed_docnums(searcher, restriction)
    if allow is not None and not allow:
        return []
    return list(searcher.search(parsed, limit=None, filter=allow).top_n)


def matching_docnums(searcher: Any, parsed: Any, restriction: Any | None) -> list[int]:
    """The document numbers of every match."""
    found = block_scan(searcher, parsed, restriction, None)
    if found is not None:
        return sorted(docnum for _, docnum in found[0])
    allow = allowed_docnums(searcher, restriction)
    return [docnum for docnum in searcher.docs_for_query(parsed) if allow is None or docnum in allow]


def _by_date(searcher: Any, ranked: list[tuple[float, int]], *, newest: bool) -> list[tuple[float, int]]:
    """``ranked`` ordered by date (undated last), ties kept in relevance order."""
    dates = Columns(searcher.reader(), [docnum for _, docnum in ranked]).dates()
    dated = [(day, item) for day, item in zip(dates, ranked) if day is not None]
    undated = [item for day, item in zip(dates, ranked) if day is None]
    dated.sort(key=lambda pair: pair[0], reverse=newest)  # stable: ties keep relevance order
    return [item for _, item in dated] + undated


def _one_per_article(searcher: Any, ranked: list[tuple[float, int]]) -> tuple[list[tuple[float, int]], list[int]]:
    """Each article's first paragraph in ``ranked`` and how many more of its paragraphs matched."""
    raw_ids = Columns(searcher.reader(), [docnum for _, docnum in ranked]).raw(ARTICLE_ID)
    keys = [article_id or docnum for article_id, (_, docnum) in zip(raw_ids, ranked)]  # no id: on its own
    counts = Counter(keys)
    first: dict[Any, int] = {}
    for position, key in enumerate(keys):
        first.setdefault(key, position)
    return [ranked[position] for position in first.values()], [counts[key] - 1 for key in first]


def with_context(searcher: Any, hit: Hit, paragraphs: int, terms: frozenset[str], analyzer: Any) -> Hit:
    """``hit`` with up to ``paragraphs`` paragraphs of its article before and after it."""
    before = range(max(1, hit.paragraph - paragraphs), hit.paragraph)
    after = range(hit.paragraph + 1, hit.paragraph + paragraphs + 1)
    return replace(hit,
                   context_before=tuple(_paragraphs(searcher, hit.article_id, before, terms, analyzer)),
                   context_after=tuple(_paragraphs(searcher, hit.article_id, after, terms, analyzer)))


def _paragraphs(searcher: Any, article_id: str, numbers: Any, terms: frozenset[str],
                analyzer: Any) -> list[ArticleParagraph]:
    found = []
    for number in numbers:
        docnum = searcher.document_number(**{PID: paragraph_id(article_id, number)})
        if docnum is None:
            break
        found.append(article_paragraph(searcher.stored_fields(docnum), terms, analyzer))
    return found


def article_paragraph(stored: dict[str, Any], terms: frozenset[str], analyzer: Any) -> ArticleParagraph:
    """A paragraph from its stored fields, with the spans of ``terms`` marked."""
    text = stored.get(TEXT_FIELD, "")
    return ArticleParagraph(pid=stored.get(PID, ""), paragraph=int(stored.get(PARAGRAPH, 0)), text=text,
                            heading=stored.get(HEADING, ""), speakers=_split_names(stored.get(SPEAKER, "")),
                            matches=tuple(match_spans(text, terms, analyzer)))


def highlight_terms(parsed: Any, reader: Any, analyzer: Any) -> frozenset[str]:
    """Text terms to highlight: the query's own, plus the names it asks of the speaker field."""
    names = query_terms(parsed, reader, SPEAKER)
    as_text = {token.text for name in names for token in analyzer(name)}
    return query_terms(parsed, reader, TEXT_FIELD) | as_text


def _ranked_and_counted(searcher: Any, parsed: Any, limit: int, restriction: Any) -> Any:
    """The top ``limit`` matches, every match counted in the same pass.

    Whoosh's default skips blocks and prunes sub-queries once the top N is full, then counts
    the matches again in a second pass. Here all matches are scored once (no block skipping,
    no pruning, which would also undercount), and the count comes with them.
    """
    collector = searcher.collector(limit=limit, optimize=False, filter=restriction)
    getattr(collector, "child", collector).replace = 0
    searcher.search_with_collector(parsed, collector)
    return collector.results()


def _total_matches(results: Any, limit: int) -> int:
    """How many paragraphs matched in all.

    When fewer than ``limit`` were scored, that is the total. Otherwise whoosh counts them;
    this order also avoids a whoosh 2.7.4 bug that ignores a filter matching nothing.
    """
    scored = results.scored_length()
    return scored if scored < limit else len(results)


def _hit(rank: int, score: float, stored: dict[str, Any], terms: frozenset[str], analyzer: Any) -> Hit:
    text = stored.get(TEXT_FIELD, "")
    fragments = best_fragments(text, match_spans(text, terms, analyzer))
    stored_date = stored.get(DATE)
    return Hit(
        rank=rank,
        score=float(score or 0.0),
        pid=stored.get(PID, ""),
        article_id=stored.get(ARTICLE_ID, ""),
        paragraph=int(stored.get(PARAGRAPH, 0)),
        title=stored.get(TITLE, ""),
        text=text,
        date=stored_date.date() if isinstance(stored_date, datetime) else None,
        section=stored.get(SECTION, ""),
        speakers=_split_names(stored.get(SPEAKER, "")),
        heading=stored.get(HEADING, ""),
        subtitle=stored.get(SUBTITLE, ""),
        source=stored.get(SOURCE, ""),
        url=stored.get(URL, "") or "",
        authors=_split_names(stored.get(AUTHORS, "")),
        path=stored.get(PATH, ""),
        fragments=tuple(fragments),
    )


def _split_names(value: str) -> tuple[str, ...]:
    return tuple(name for name in value.split(SPEAKER_SEPARATOR) if name)
