"""The index schema, declared once: field names, analyzers and the schema version.

This module and ``index``, ``search`` and ``highlight`` are the only ones that import whoosh.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.analysis import NewsAnalyzer
from newssearch.articles import Article
from newssearch.paragraphs import Paragraph

with whoosh_imports():
    from whoosh.analysis import Analyzer, CharsetFilter, IDTokenizer, LowercaseFilter, SubstitutionFilter
    from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
    from whoosh.support.charset import accent_map

# Bump when fields or analyzers change: an index of another version must be rebuilt.
# 2: columns for article_id, section and speaker (facets, per-article, stats); the vocabulary field.
# 3: NewsAnalyzer (one tokenizer for indexing, queries and highlights; fast indexing path).
# 4: date and paragraph indexed as one term each, not eight precision tiers.
SCHEMA_VERSION = 4

# Field names. Everything outside this module refers to fields through these constants.
PID = "pid"                # "<article id>#<paragraph number>", unique
ARTICLE_ID = "article_id"
PATH = "path"              # absolute path of the source file
TITLE = "title"
SUBTITLE = "subtitle"
DATE = "date"
SECTION = "section"
SOURCE = "source"          # publisher or photo credit
URL = "url"
AUTHORS = "authors"
HEADING = "heading"        # the crosshead in force
PARAGRAPH = "paragraph"    # 1-based paragraph number in the article
SPEAKER = "speaker"        # who is quoted or reported, full names joined by SPEAKER_SEPARATOR
TEXT_FIELD = "text"
VOCABULARY = "vocabulary"  # unstemmed words of the text and the speaker names, for did-you-mean
# Fields written as word lists: one posting per word per segment, weighted by the number of
# paragraphs with the word (read with ``reader.frequency``), to keep indexing fast.
WORD_LIST_FIELDS = frozenset({VOCABULARY})

SPEAKER_SEPARATOR = "; "
DEFAULT_SEARCH_FIELD = TEXT_FIELD


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


def paragraph_document(article: Article, paragraph: Paragraph, speakers: Sequence[str],
                       path: str) -> dict[str, object]:
    """The field values of one paragraph document, ready for ``writer.add_document``."""
    document: dict[str, object] = {
        PID: paragraph_id(article.id, paragraph.number),
        ARTICLE_ID: article.id,
        PATH: path,
        TITLE: article.title,
        SUBTITLE: article.subtitle,
        SECTION: article.section,
        SOURCE: article.source,
        URL: article.url,
        AUTHORS: SPEAKER_SEPARATOR.join(article.authors),
        HEADING: paragraph.heading,
        PARAGRAPH: paragraph.number,
        SPEAKER: SPEAKER_SEPARATOR.join(speakers),
        TEXT_FIELD: paragraph.text,
        VOCABULARY: " ".join([paragraph.text, *speakers]),
    }
    if article.date is not None:
        document[DATE] = datetime(article.date.year, article.date.month, article.date.day)
    return document


def paragraph_id(article_id: str, number: int) -> str:
    """The stable id of a paragraph document."""
    return f"{article_id}#{number}"
