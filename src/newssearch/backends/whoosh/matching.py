"""Which paragraphs match, scored and ordered: newssearch's block scoring where the query allows
(:mod:`~newssearch.backends.whoosh.conjunction`, :mod:`~newssearch.backends.whoosh.boolean`),
whoosh's matchers otherwise; then date order and one paragraph per article from the columns."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newssearch.backends.whoosh.boolean import is_boolean, search_boolean
from newssearch.backends.whoosh.columns import Columns
from newssearch.backends.whoosh.conjunction import as_conjunction, search_conjunction
from newssearch.schema import ARTICLE_ID


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
    results = ranked_and_counted(searcher, parsed, limit, restriction)
    return list(results.top_n), total_matches(results, limit)


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


def by_date(searcher: Any, ranked: list[tuple[float, int]], *, newest: bool) -> list[tuple[float, int]]:
    """``ranked`` ordered by date (undated last), ties kept in relevance order."""
    dates = Columns(searcher.reader(), [docnum for _, docnum in ranked]).dates()
    dated = [(day, item) for day, item in zip(dates, ranked) if day is not None]
    undated = [item for day, item in zip(dates, ranked) if day is None]
    dated.sort(key=lambda pair: pair[0], reverse=newest)  # stable: ties keep relevance order
    return [item for _, item in dated] + undated


def one_per_article(searcher: Any, ranked: list[tuple[float, int]]) -> tuple[list[tuple[float, int]], list[int]]:
    """Each article's first paragraph in ``ranked`` and how many more of its paragraphs matched."""
    raw_ids = Columns(searcher.reader(), [docnum for _, docnum in ranked]).raw(ARTICLE_ID)
    keys = [article_id or docnum for article_id, (_, docnum) in zip(raw_ids, ranked)]  # no id: on its own
    counts = Counter(keys)
    first: dict[Any, int] = {}
    for position, key in enumerate(keys):
        first.setdefault(key, position)
    return [ranked[position] for position in first.values()], [counts[key] - 1 for key in first]


def ranked_and_counted(searcher: Any, parsed: Any, limit: int, restriction: Any) -> Any:
    """The top ``limit`` matches, every match counted in the same pass.

    Whoosh's default skips blocks and prunes sub-queries once the top N is full, then counts
    the matches again in a second pass. Here all matches are scored once (no block skipping,
    no pruning, which would also undercount), and the count comes with them.
    """
    collector = searcher.collector(limit=limit, optimize=False, filter=restriction)
    getattr(collector, "child", collector).replace = 0
    searcher.search_with_collector(parsed, collector)
    return collector.results()


def total_matches(results: Any, limit: int) -> int:
    """How many paragraphs matched in all.

    When fewer than ``limit`` were scored, that is the total. Otherwise whoosh counts them;
    this order also avoids a whoosh 2.7.4 bug that ignores a filter matching nothing.
    """
    scored = results.scored_length()
    return scored if scored < limit else len(results)
