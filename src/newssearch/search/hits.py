"""Hits as people read them: a stored paragraph with its score, its rank, the fragments with the
query's matches marked, and, when asked, the paragraphs of its article around it."""

from __future__ import annotations

from dataclasses import replace

from newssearch.backends.base import Backend, Match
from newssearch.models import ArticleParagraph, Hit, StoredParagraph
from newssearch.search.highlight import best_fragments, match_spans


def make_hit(rank: int, match: Match, terms: frozenset[str]) -> Hit:
    """``match`` at ``rank``, the words ``terms`` marked in its best fragments."""
    stored = match.paragraph
    return Hit(
        rank=rank, score=match.score, pid=stored.pid, article_id=stored.article_id, paragraph=stored.paragraph,
        title=stored.title, text=stored.text, date=stored.date, section=stored.section, speakers=stored.speakers,
        heading=stored.heading, subtitle=stored.subtitle, source=stored.source, url=stored.url,
        authors=stored.authors, path=stored.path,
        fragments=tuple(best_fragments(stored.text, match_spans(stored.text, terms))),
        other_matches=match.other_matches)


def article_paragraph(stored: StoredParagraph, terms: frozenset[str]) -> ArticleParagraph:
    """A paragraph of an article (context, or a whole article), the words ``terms`` marked."""
    return ArticleParagraph(pid=stored.pid, paragraph=stored.paragraph, text=stored.text, heading=stored.heading,
                            speakers=stored.speakers, matches=tuple(match_spans(stored.text, terms)))


def with_context(backend: Backend, hit: Hit, paragraphs: int, terms: frozenset[str]) -> Hit:
    """``hit`` with up to ``paragraphs`` paragraphs of its article before and after it."""
    before = range(max(1, hit.paragraph - paragraphs), hit.paragraph)
    after = range(hit.paragraph + 1, hit.paragraph + paragraphs + 1)
    return replace(hit,
                   context_before=tuple(article_paragraph(p, terms) for p in backend.paragraphs(hit.article_id, before)),
                   context_after=tuple(article_paragraph(p, terms) for p in backend.paragraphs(hit.article_id, after)))
