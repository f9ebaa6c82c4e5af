"""Paragraphs like a given one, found by its most distinctive words."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from newssearch.analysis import STEMMED
from newssearch.errors import QueryError, UnknownIdError
from newssearch.indexing.check import reads_index
from newssearch.models import SimilarResults
from newssearch.request import DEFAULT_LIMIT
from newssearch.search.hits import make_hit
from newssearch.search.show import check_id

if TYPE_CHECKING:
    from newssearch.index import NewsIndex

DEFAULT_KEY_TERMS = 10
# Function words never worth searching for as a "key term".
STOP_WORDS = frozenset("""
    a about after again all also an and any are as at be been before being between both but by can did do
    does down during each few for from further had has have he her here his how if in into is it its just
    may more most no nor not of off on once only or other our out over own same she so some such tbd than
    that the their them then there they this through to too under up us very was we were what when
    where which who whom why will with would yet you your said says
""".split())


@reads_index
def similar(index: NewsIndex, pid: str, *, limit: int = DEFAULT_LIMIT, other_articles: bool = False,
            key_terms: int = DEFAULT_KEY_TERMS) -> SimilarResults:
    """The ``limit`` paragraphs most like paragraph ``pid``, never ``pid`` itself.

    Its ``key_terms`` most distinctive words (frequent in it, rare in the index: the divergence
    from randomness model Bo1; stop words such as ``the`` or ``with`` left out) are searched
    for, each weighted by how distinctive it is. ``other_articles`` leaves out every paragraph of
    ``pid``'s own article.
    """
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}", parameter="limit")
    if key_terms < 1:
        raise QueryError(f"key_terms must be at least 1, not {key_terms}", parameter="key_terms")
    started = time.perf_counter()
    check_id(index, pid, "no paragraph")
    backend = index.backend
    paragraph = backend.paragraph(pid)
    if paragraph is None:
        raise UnknownIdError(f"no paragraph with id {pid!r} in the index at {index.location}/ "
                             f"(similar needs a paragraph id such as 'article#3')")
    written = surface_words(paragraph.text)
    weighted = [(term, weight) for term, weight in backend.key_terms(paragraph, key_terms * 3)
                if term not in STOP_WORDS and written.get(term, term).lower() not in STOP_WORDS][:key_terms]
    terms = frozenset(term for term, _ in weighted)
    matches = (backend.more_like(weighted, limit, frozenset({pid}), paragraph.article_id if other_articles else None)
               if weighted else [])
    return SimilarResults(pid=pid, title=paragraph.title, key_terms=tuple(written.get(term, term) for term, _ in weighted),
                          hits=tuple(make_hit(rank, match, terms) for rank, match in enumerate(matches, 1)),
                          seconds=time.perf_counter() - started, other_articles=other_articles)


def surface_words(text: str) -> dict[str, str]:
    """Each indexed term of ``text`` as the text first writes it (``cooperation`` for the stem ``cooper``)."""
    written: dict[str, str] = {}
    for term, start, end in STEMMED.spans(text):
        written.setdefault(term, text[start:end])
    return written
