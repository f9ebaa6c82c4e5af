"""The ingest pipeline: an article read -> its paragraphs -> each paragraph's speakers -> the
paragraph documents an index stores. The indexer and ``newssearch speakers`` both go through it."""

from __future__ import annotations


from newssearch.ingest.paragraphs import split_paragraphs
from newssearch.models import Article, Paragraph
from newssearch.schema import paragraph_document
from newssearch.speakers import attribute_speakers

ATTRIBUTION_WINDOW_CHARS = 200_000  # far beyond any real article


def prepare_paragraphs(article: Article) -> list[tuple[Paragraph, list[str]]]:
    """Split an article into paragraphs and attribute each its speakers.

    Speakers are attributed over the whole article (names resolve to their fullest form, quotes
    carry over paragraphs), but a giant article is attributed in windows of about
    ATTRIBUTION_WINDOW_CHARS so that its cost stays linear.
    """
    paragraphs = split_paragraphs(article.body)
    speakers: list[list[str]] = []
    for window in _windows(paragraphs, ATTRIBUTION_WINDOW_CHARS):
        speakers.extend(attribute_speakers([p.text for p in window], title=article.title))
    return list(zip(paragraphs, speakers))


def _windows(paragraphs: list[Paragraph], limit: int) -> list[list[Paragraph]]:
    windows: list[list[Paragraph]] = []
    size = limit
    for paragraph in paragraphs:
        if size + len(paragraph.text) > limit and (not windows or windows[-1]):
            windows.append([])
            size = 0
        windows[-1].append(paragraph)
        size += len(paragraph.text)
    return windows


def paragraph_documents(article: Article, path: str) -> list[dict[str, object]]:
    """The paragraph documents of ``article`` (read from file ``path``), ready for an index."""
    return [paragraph_document(article, paragraph, speakers, path) for paragraph, speakers in prepare_paragraphs(article)]
