"""A whole article from the index, a paragraph marked, the words of a query highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newssearch.errors import UnknownIdError
from newssearch.indexing.check import reads_index
from newssearch.models import ArticleView
from newssearch.search.hits import article_paragraph

if TYPE_CHECKING:
    from newssearch.index import NewsIndex


@reads_index
def show_article(index: NewsIndex, id: str, *, query: str | None = None) -> ArticleView:
    """The article holding paragraph ``id`` (``article#3``), that paragraph marked; or article ``id``.

    With ``query``, the words it matches are marked in every paragraph. An id the index does
    not hold raises :class:`UnknownIdError`.
    """
    check_id(index, id, "no paragraph or article")
    backend = index.backend
    paragraph = backend.paragraph(id)
    article_id, marked = (paragraph.article_id, paragraph.paragraph) if paragraph is not None else (id, None)
    paragraphs = backend.article(article_id)
    if not paragraphs:
        raise UnknownIdError(f"no paragraph or article with id {id!r} in the index at {index.location}/")
    terms = backend.highlight_terms(backend.parse(query)) if query else frozenset()
    first = paragraphs[0]
    return ArticleView(
        article_id=article_id, title=first.title, marked=marked, query=query or None,
        paragraphs=tuple(article_paragraph(stored, terms) for stored in paragraphs),
        date=first.date, section=first.section, subtitle=first.subtitle, source=first.source, url=first.url,
        authors=first.authors, path=first.path)


def check_id(index: NewsIndex, id: str, what: str) -> None:
    """Raise :class:`UnknownIdError` for an id no index can hold: bytes that are not UTF-8 (a
    command-line argument decoded with surrogate escapes) cannot be looked up."""
    try:
        id.encode("utf-8")
    except UnicodeEncodeError:
        raise UnknownIdError(f"{what} with id {id!r} in the index at {index.location}/ "
                             f"(the id holds bytes that are not UTF-8)") from None
