"""The paragraph document (:mod:`newssearch.schema`) as a whoosh schema: which fields are stemmed
text, names, whole labels, dates and numbers, which are stored and which are columns."""

from __future__ import annotations

from newssearch.backends.whoosh.analysis import NewsAnalyzer
from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.schema import (
    ARTICLE_ID, AUTHORS, DATE, HEADING, PARAGRAPH, PATH, PID, SECTION, SOURCE, SPEAKER, SUBTITLE, TEXT_FIELD, TITLE,
    URL, VOCABULARY,
)

with whoosh_imports():
    from whoosh.analysis import Analyzer, CharsetFilter, IDTokenizer, LowercaseFilter, SubstitutionFilter
    from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
    from whoosh.support.charset import accent_map


def english_analyzer() -> Analyzer:
    """Words, lower-cased, accents folded (``Malí`` = ``Mali``), Porter-stemmed."""
    return NewsAnalyzer(stem=True)


def name_analyzer() -> Analyzer:
    """Words of a name, lower-cased and accent-folded, not stemmed."""
    return NewsAnalyzer(stem=False)


def label_analyzer() -> Analyzer:
    """A whole value as one term, case- and accent-folded, spaces as hyphens ("Middle East" = middle-east)."""
    return IDTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | SubstitutionFilter(r"\s+", "-")


def _single_term(field: DATETIME) -> DATETIME:
    """Index a number as one term instead of whoosh's eight precision tiers for fast ranges.

    The tiers were a quarter of all postings; a range over the few thousand distinct dates of a
    news archive is quick without them.
    """
    field.shift_step = 0
    return field


def build_schema() -> Schema:
    """The whoosh schema of a paragraph document."""
    english = english_analyzer()
    names = name_analyzer()
    labels = label_analyzer()
    return Schema(
        **{
            PID: ID(stored=True, unique=True),
            ARTICLE_ID: ID(stored=True, sortable=True),
            PATH: ID(stored=True),
            TITLE: TEXT(stored=True, analyzer=english),
            SUBTITLE: TEXT(stored=True, analyzer=english),
            DATE: _single_term(DATETIME(stored=True, sortable=True)),
            SECTION: ID(stored=True, analyzer=labels, sortable=True),
            SOURCE: ID(stored=True, analyzer=labels),
            URL: STORED(),
            AUTHORS: TEXT(stored=True, analyzer=names),
            HEADING: TEXT(stored=True, analyzer=english),
            PARAGRAPH: NUMERIC(stored=True, numtype=int, shift_step=0),
            SPEAKER: TEXT(stored=True, analyzer=names, sortable=True),
            TEXT_FIELD: TEXT(stored=True, analyzer=english),
            VOCABULARY: TEXT(analyzer=names, phrase=False),
        }
    )
