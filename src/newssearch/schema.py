"""The paragraph document, declared once and engine-neutral: field names, what each holds, and the
schema version. Each backend maps these fields to its engine (``backends/whoosh/schema.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from newssearch.models import Article
from newssearch.ingest.paragraphs import Paragraph

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
