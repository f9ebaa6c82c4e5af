"""The embedded backend: a whoosh index folder, searched through newssearch's fast paths.

It keeps one searcher open across queries and moves it to a new commit when one lands (or, with
``follow_commits=False``, only when :meth:`WhooshBackend.refresh` is called: one committed state
per web request). Whoosh objects stay here; what leaves is newssearch's models.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from newssearch.analysis import STEMMED
from newssearch.backends.base import Deadline, IndexSummary, Match, MatchPage, MatchValues, ParsedQuery
from newssearch.backends.whoosh.columns import Columns, count_facets
from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.backends.whoosh.matching import by_date, matching_docnums, one_per_article, rank_matches
from newssearch.backends.whoosh.parsing import build_filter, parse_query, query_terms
from newssearch.backends.whoosh.schema import build_schema
from newssearch.backends.whoosh.spelling import suggest_query
from newssearch.backends.whoosh.store import open_pinned_searcher, open_whoosh_index
from newssearch.facets import section_facet, speaker_facet
from newssearch.backends.whoosh.integrity import check_sizes
from newssearch.indexing.manifest import Manifest
from newssearch.models import SectionCount, StoredParagraph, Suggestion
from newssearch.request import Filters, SearchRequest
from newssearch.schema import (
    ARTICLE_ID, AUTHORS, DATE, HEADING, PARAGRAPH, PATH, PID, SECTION, SOURCE, SPEAKER, SPEAKER_SEPARATOR,
    SUBTITLE, TEXT_FIELD, TITLE, URL, paragraph_id,
)

with whoosh_imports():
    from whoosh import index as whoosh_index
    from whoosh import query as wq


class WhooshBackend:
    """A whoosh index folder as a :class:`~newssearch.backends.base.Backend`."""

    def __init__(self, location: Path, ix: Any, *, follow_commits: bool = True) -> None:
        self.location = location
        self._ix = ix
        self._searcher: Any = None
        self.follow_commits = follow_commits

    @classmethod
    def open(cls, location: Path, manifest: Manifest, *, follow_commits: bool = True) -> WhooshBackend:
        """The index at ``location``, its table of contents and segment sizes checked."""
        ix = open_whoosh_index(location)
        check_sizes(location, manifest, ix)
        return cls(location, ix, follow_commits=follow_commits)

    @classmethod
    def create(cls, location: Path) -> WhooshBackend:
        """A new, empty index at ``location`` (whose manifest the caller writes first)."""
        with whoosh_imports():
            return cls(location, whoosh_index.create_in(str(location), build_schema()))

    # ----------------------------------------------------------------- the state read

    def searcher(self) -> Any:
        """The whoosh searcher of the state read (inside this package only)."""
        if self._searcher is not None and self.follow_commits and not self._searcher.up_to_date():
            self._searcher.close()  # whoosh's refresh() would leave the old segment files open
            self._searcher = None
        if self._searcher is None:
            self._searcher = open_pinned_searcher(self._ix, self.location)
        return self._searcher

    def refresh(self) -> None:
        if self._searcher is not None and not self._searcher.up_to_date():
            self._searcher.close()
            self._searcher = None
        self.searcher()

    def state(self) -> str:
        return f"{self.location}@{self.searcher().reader().generation()}"

    @property
    def paragraph_count(self) -> int:
        return int(self.searcher().doc_count())

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    # ----------------------------------------------------------------- searching

    def parse(self, text: str) -> ParsedQuery:
        parsed = parse_query(self.searcher().schema, text)
        return ParsedQuery(text, str(parsed), parsed)

    def suggest(self, query: ParsedQuery) -> Suggestion | None:
        return suggest_query(self.searcher(), query.text, query.compiled)

    def highlight_terms(self, query: ParsedQuery) -> frozenset[str]:
        return self._highlight_terms(self.searcher(), query)

    @staticmethod
    def _highlight_terms(searcher: Any, query: ParsedQuery) -> frozenset[str]:
        reader = searcher.reader()
        with whoosh_imports():
            names = query_terms(query.compiled, reader, SPEAKER)
            as_text = {term for name in names for term in STEMMED.index_terms(name)}
            return query_terms(query.compiled, reader, TEXT_FIELD) | as_text

    def search(self, request: SearchRequest, query: ParsedQuery, deadline: Deadline) -> MatchPage:
        searcher = self.searcher()
        restriction = build_filter(searcher.schema, request.filters)
        limit, start = request.limit, request.start
        articles: int | None = None
        other: list[int] | None = None
        facets = None
        with whoosh_imports():
            terms = self._highlight_terms(searcher, query)  # one searcher for the whole request
            deadline.check()
            if not request.needs_every_match:
                ranked, total = rank_matches(searcher, query.compiled, restriction, request.page * limit)
            else:
                ranked, total = rank_matches(searcher, query.compiled, restriction, None)
                deadline.check()
                docnums = [docnum for _, docnum in ranked]
                if request.sort != "relevance":
                    ranked = by_date(searcher, ranked, newest=request.sort == "newest")
                if request.per_article:
                    ranked, other = one_per_article(searcher, ranked)
                    articles = len(ranked)
                if request.facets:
                    deadline.check()
                    facets = count_facets(searcher, docnums, limit=request.facet_limit)
            deadline.check()
            shown = ranked[start:start + limit]
            counts = other[start:start + limit] if other is not None else [None] * len(shown)
            matches = tuple(Match(float(score or 0.0), stored_paragraph(searcher.stored_fields(docnum)), count)
                            for (score, docnum), count in zip(shown, counts))
        return MatchPage(matches, total, articles, facets, terms)

    # ----------------------------------------------------------------- paragraphs and articles

    def paragraph(self, pid: str) -> StoredParagraph | None:
        searcher = self.searcher()
        with whoosh_imports():
            docnum = searcher.document_number(**{PID: pid})
            return None if docnum is None else stored_paragraph(searcher.stored_fields(docnum))

    def article(self, article_id: str) -> list[StoredParagraph]:
        searcher = self.searcher()
        with whoosh_imports():
            docnums = sorted(searcher.document_numbers(**{ARTICLE_ID: article_id}))
            found = [stored_paragraph(searcher.stored_fields(docnum)) for docnum in docnums]
        return sorted(found, key=lambda paragraph: paragraph.paragraph)

    def paragraphs(self, article_id: str, numbers: Sequence[int]) -> list[StoredParagraph]:
        searcher = self.searcher()
        found = []
        with whoosh_imports():
            for number in numbers:
                docnum = searcher.document_number(**{PID: paragraph_id(article_id, number)})
                if docnum is None:
                    break
                found.append(stored_paragraph(searcher.stored_fields(docnum)))
        return found

    # ----------------------------------------------------------------- similar paragraphs

    def key_terms(self, paragraph: StoredParagraph, count: int) -> list[tuple[str, float]]:
        with whoosh_imports():
            return [(str(term), float(weight)) for term, weight in
                    self.searcher().key_terms_from_text(TEXT_FIELD, paragraph.text, numterms=count, normalize=False)]

    def more_like(self, terms: list[tuple[str, float]], limit: int, exclude: frozenset[str],
                  exclude_article: str | None) -> list[Match]:
        searcher = self.searcher()
        with whoosh_imports():
            mask = {docnum for pid in exclude if (docnum := searcher.document_number(**{PID: pid})) is not None}
            if exclude_article is not None:
                mask |= set(searcher.document_numbers(**{ARTICLE_ID: exclude_article}))
            query = wq.Or([wq.Term(TEXT_FIELD, term, boost=weight) for term, weight in terms])
            results = searcher.search(query, limit=limit, mask=mask)
            return [Match(float(score), stored_paragraph(searcher.stored_fields(docnum)))
                    for score, docnum in results.top_n]

    # ----------------------------------------------------------------- counting

    def match_values(self, query: ParsedQuery, filters: Filters) -> MatchValues:
        searcher = self.searcher()
        with whoosh_imports():
            docnums = matching_docnums(searcher, query.compiled, build_filter(searcher.schema, filters))
            columns = Columns(searcher.reader(), docnums)
            return MatchValues(tuple(columns.dates()), tuple(columns.article_ids()), tuple(docnums))

    def summary(self, top_speakers: int) -> IndexSummary:
        reader = self.searcher().reader()
        with whoosh_imports():
            everyone = reader.doc_count_all()
            docnums: Sequence[int] = range(everyone) if not reader.has_deletions() else list(reader.all_doc_ids())
            columns = Columns(reader, docnums)
            article_ids = columns.article_ids()
            sections = columns.texts(SECTION)
            dates = [day for day in columns.dates() if day is not None]
            speakers = speaker_facet(columns.speakers(), limit=top_speakers)
        by_paragraphs = section_facet(sections, limit=None)
        first_of_article = {article_id: section for article_id, section in zip(article_ids, sections)}
        article_counts = {value.value: value.count for value in section_facet(first_of_article.values(), limit=None).values}
        return IndexSummary(
            paragraphs=len(docnums), articles=len(set(article_ids)), first_date=min(dates, default=None),
            last_date=max(dates, default=None), undated_paragraphs=len(docnums) - len(dates),
            sections=tuple(SectionCount(value.value, article_counts.get(value.value, 0), value.count)
                           for value in by_paragraphs.values),
            no_section_paragraphs=by_paragraphs.missing, speakers=speakers.values,
            distinct_speakers=speakers.distinct)


def stored_paragraph(stored: dict[str, Any]) -> StoredParagraph:
    """A paragraph document from whoosh's stored fields."""
    stored_date = stored.get(DATE)
    return StoredParagraph(
        pid=stored.get(PID, ""), article_id=stored.get(ARTICLE_ID, ""), paragraph=int(stored.get(PARAGRAPH, 0)),
        title=stored.get(TITLE, ""), text=stored.get(TEXT_FIELD, ""),
        date=stored_date.date() if isinstance(stored_date, datetime) else None,
        section=stored.get(SECTION, ""), speakers=split_names(stored.get(SPEAKER, "")),
        heading=stored.get(HEADING, ""), subtitle=stored.get(SUBTITLE, ""), source=stored.get(SOURCE, ""),
        url=stored.get(URL, "") or "", authors=split_names(stored.get(AUTHORS, "")), path=stored.get(PATH, ""))


def split_names(value: str) -> tuple[str, ...]:
    return tuple(name for name in value.split(SPEAKER_SEPARATOR) if name)


def size_on_disk(location: Path) -> int:
    """Bytes of the index folder's files (subfolders included, symbolic links not followed)."""
    total = 0
    for folder, _, files in os.walk(location):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total
