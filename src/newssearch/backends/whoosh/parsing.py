"""Build a whoosh query from what the user typed, plus filters; nothing here runs a search.

Query syntax is whoosh's: words (all must match), ``"phrases"``, ``AND``/``OR``/``NOT``,
``field:value`` (``speaker:Camara``, ``section:africa``, ``title:Mali``), ranges
(``date:[2025-08-01 to 2025-08-31]``, ``date:>2025-08``), ``word~`` (fuzzy) and ``wor*``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.ingest.dates import parse_date_bound
from newssearch.errors import QueryError
from newssearch.request import Filters
from newssearch.backends.whoosh.query_syntax import QueryChecks, SafeGtLtPlugin, check_query_size
from newssearch.schema import DATE, DEFAULT_SEARCH_FIELD, SECTION, SPEAKER, WORD_LIST_FIELDS

with whoosh_imports():
    from whoosh import query as wq
    from whoosh.qparser import FuzzyTermPlugin, QueryParser
    from whoosh.qparser.common import QueryParserError


def make_parser(schema: Any) -> Any:
    """The query parser: whoosh's default syntax plus ``>``/``<`` ranges, ``~`` fuzzy terms,
    ``-word`` for ``NOT word``, ``date:`` read like ``--since``, and errors for what whoosh
    cannot parse (:mod:`newssearch.backends.whoosh.query_syntax`)."""
    parser = QueryParser(DEFAULT_SEARCH_FIELD, schema)
    parser.add_plugin(SafeGtLtPlugin())
    parser.add_plugin(FuzzyTermPlugin())
    no_phrases = frozenset(name for name in schema.names() if getattr(schema[name], "scorable", False)
                           and not schema[name].format.supports("positions"))
    parser.add_plugin(QueryChecks(DATE, date_range_query, no_phrases))
    return parser


def date_range_query(start: str | None, end: str | None, start_excluded: bool, end_excluded: bool) -> Any:
    """The query for ``date:`` values: a month or year is the whole period, ``>2025-08`` starts
    after August, ``<2025-08`` ends before it; ``now`` and ``today`` are today."""
    first = _query_date(start, end=start_excluded) if start else None
    last = _query_date(end, end=not end_excluded) if end else None
    try:
        first = first + timedelta(days=1) if first and start_excluded else first
        last = last - timedelta(days=1) if last and end_excluded else last
    except OverflowError:
        raise QueryError(f"no date is {'after' if start_excluded else 'before'} "
                         f"{(first or last or date.min).isoformat()}") from None
    if first and last and first > last:
        raise QueryError(f"the date range {start} to {end} ends before it starts")
    if first is None and last is None:
        return wq.Every(DATE)
    return wq.DateRange(DATE, datetime.combine(first, datetime.min.time()) if first else None,
                        datetime.combine(last, datetime.max.time()) if last else None)


def _query_date(text: str, *, end: bool) -> date:
    if text.strip().lower() in ("now", "today"):
        return date.today()
    return parse_date_bound(text, end=end)


def parse_query(schema: Any, text: str) -> Any:
    """Parse ``text`` into a whoosh query; raise :class:`QueryError` with a one-line reason."""
    if not text.strip():
        raise QueryError("the query is empty")
    check_query_size(text)
    _check_field_names(schema, text)
    try:
        with whoosh_imports():
            parsed = make_parser(schema).parse(text)
    except (QueryParserError, ValueError, TypeError, IndexError) as error:  # IndexError: whoosh on `<a>" b="x`
        raise QueryError(f"cannot parse query {text!r}: {error}") from None
    problem = _first_error(parsed)
    if problem:
        raise QueryError(f"cannot parse query {text!r}: {problem}")
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
        raise QueryError(f"query {text!r} has no words to search for")
    return parsed.accept(_every_paragraph)


def _every_paragraph(node: Any) -> Any:
    """``*`` means every paragraph: whoosh's ``Every("text")`` unions the postings of every word
    in the field (seconds on a large index), while a field-less ``Every()`` lists the documents."""
    if isinstance(node, wq.Every) and node.fieldname == DEFAULT_SEARCH_FIELD:
        return wq.Every(boost=node.boost)
    return node


_FIELD_PREFIX_RE = re.compile(r'"[^"]*"|(?<![\w:])([A-Za-z_]\w*):(?=[^\s:])')


def _check_field_names(schema: Any, text: str) -> None:
    """Reject ``name:value`` where ``name`` is not a field, rather than searching for the words.

    Word-list fields (``vocabulary``) are not fields to search: they hold one posting per word
    and segment, so they would match one paragraph where many hold the word.
    """
    searchable = {name for name in schema.names() if schema[name].indexed} - WORD_LIST_FIELDS
    for match in _FIELD_PREFIX_RE.finditer(text):
        name = match.group(1)
        if name in WORD_LIST_FIELDS:
            raise QueryError(f"{name!r} is the did-you-mean word list, not a field to search "
                             f"(fields: {', '.join(sorted(searchable))})")
        if name and name not in searchable:
            raise QueryError(f"unknown field {name!r} in query (fields: {', '.join(sorted(searchable))})")


def _first_error(node: Any) -> str | None:
    error = getattr(node, "error", None)
    if error:
        return str(error)
    for child in node.children() if hasattr(node, "children") else ():
        found = _first_error(child)
        if found:
            return found
    return None


def build_filter(schema: Any, filters: Filters) -> Any | None:
    """A whoosh query that restricts results to ``filters``, or None when there are none."""
    parts: list[Any] = []
    if filters.section:
        parts.append(wq.Term(SECTION, _single_term(schema, SECTION, filters.section)))
    if filters.speaker:
        parts.append(_speaker_filter(schema, filters.speaker))
    if filters.since or filters.until:
        start = datetime.combine(filters.since, datetime.min.time()) if filters.since else None
        end = datetime.combine(filters.until, datetime.max.time()) if filters.until else None
        parts.append(wq.DateRange(DATE, start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _single_term(schema: Any, fieldname: str, value: str) -> str:
    tokens = [token.text for token in schema[fieldname].analyzer(value.strip())]
    return tokens[0] if tokens else ""


def _speaker_filter(schema: Any, speaker: str) -> Any:
    words = [token.text for token in schema[SPEAKER].analyzer(speaker)]
    if not words:
        raise QueryError(f"speaker {speaker!r} has no name words")
    if len(words) == 1:
        return wq.Term(SPEAKER, words[0])
    return wq.Phrase(SPEAKER, words)


def query_terms(query: Any, reader: Any, fieldname: str = DEFAULT_SEARCH_FIELD) -> frozenset[str]:
    """The indexed terms of ``fieldname`` that ``query`` looks for, wildcards and fuzzy terms expanded.

    Terms under ``NOT`` are left out: they never match a hit.
    """
    terms: set[str] = set()
    for leaf in positive_leaves(query):
        if getattr(leaf, "fieldname", fieldname) != fieldname:
            continue  # expanding another field's wildcards or fuzzy terms would be wasted work
        if isinstance(leaf, wq.FuzzyTerm):
            terms.update(_fuzzy_terms(leaf, reader))
            continue
        for field, text in leaf.existing_terms(reader, expand=True):
            if field == fieldname:
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
    return frozenset(terms)


def _fuzzy_terms(leaf: Any, reader: Any) -> set[str]:
    """The indexed words within a fuzzy term's edit distance."""
    return terms_within(reader, leaf.fieldname, leaf.text, leaf.maxdist, prefix=leaf.prefixlength)


def terms_within(reader: Any, fieldname: str, text: str, maxdist: int, *, prefix: int = 0) -> set[str]:
    """The words of ``fieldname`` within ``maxdist`` edits of ``text`` (sharing its first ``prefix`` letters).

    Asked of each segment: a segment reader walks its word list with a Levenshtein automaton,
    while whoosh's multi-segment reader compares every word of the field in Python (seconds on
    a large index).
    """
    words: set[str] = set()
    with whoosh_imports():
        for segment_reader, _ in reader.leaf_readers():
            for word in segment_reader.terms_within(fieldname, text, maxdist, prefix=prefix):
                words.add(word.decode("utf-8") if isinstance(word, bytes) else str(word))
    return words


def positive_leaves(node: Any) -> list[Any]:
    """The leaf queries of ``node`` that a hit must (or may) match: everything not under ``NOT``."""
    if isinstance(node, wq.Not):
        return []
    if isinstance(node, wq.AndNot):
        return positive_leaves(node.a)
    children = list(node.children()) if hasattr(node, "children") else []
    if not children:
        return [node]
    return [leaf for child in children for leaf in positive_leaves(child)]
