"""Paragraph documents on the cluster: write them to their shards, delete, search, count, facet.

Writes go straight to the shards' SphinxQL listeners (Sphinx 2.2 cannot insert through a
distributed index); every paragraph of an article goes to the shard ``shard_for(article_id)``,
so per-article grouping and article counts never span shards. Reads go to the aggregator,
whose distributed index fans them out and merges.

A document is the embedded index's paragraph document in two halves: full-text fields filled
with newssearch's analysed terms (see :mod:`~newssearch.backends.sphinx.schema`), and string
attributes holding what is shown (RT indexes do not store full-text fields). Speakers are
``rt_attr_multi_64`` keys, 63-bit hashes of the names: any writer computes a key without asking
anyone (a counter would need a compare-and-set Sphinx lacks), ``FACET``/``GROUP BY`` count each
speaker of a paragraph separately (a JSON array groups by the whole array) and filters are exact
integer matches; the key -> name map lives in the aggregator's ``newssearch_speakers`` index.

What is built here is the part of the backend that does not depend on newssearch's query tree:
:class:`ParagraphQuery` takes an already compiled ``MATCH()`` expression (see
:func:`match_terms`), filters, order, page, per-article collapse and facets.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newssearch.analysis import Normalizer, label_key
from newssearch.backends.sphinx.client import Connection, QueryResult, SphinxAddress
from newssearch.backends.sphinx.errors import ClusterError
from newssearch.backends.sphinx.manifest import ClusterManifest
from newssearch.backends.sphinx.meta import MetaTable, Topology, read_topology
from newssearch.backends.sphinx.schema import (
    DOCUMENT_COLUMNS, FULLTEXT_FIELDS, INDEX, SPEAKERS_INDEX, date_number,
    document_id, field_text, key63, number_date, shard_for, sphinx_term,
)

DEFAULT_MAX_MATCHES = 1000   # Sphinx's default; paging past it raises max_matches per query
FACET_DEPTH = 1000           # groups a facet first fetches; more (x8 each time) while it is not exact
MAX_FACET_DEPTH = 300_000    # beyond this many groups a facet is returned with exact=False
BATCH_DOCUMENTS = 1000
BATCH_CHARS = 4_000_000      # SQL characters per statement: well under the daemons' max_packet_size (32M)
SEPARATOR = "; "             # how lists (speakers, authors) are joined in string attributes
ORDERS = {
    "relevance": "WEIGHT() DESC, id ASC",
    "newest": "date DESC, WEIGHT() DESC, id ASC",
    "oldest": "date ASC, WEIGHT() DESC, id ASC",
}
FACETS = ("section", "speaker", "month")
_SHOWN = ("pid", "article_id", "path", "paragraph", "date", "section", "source", "url", "stored_title",
          "stored_subtitle", "stored_heading", "stored_authors", "stored_speaker", "stored_text")


@dataclass(frozen=True)
class ParagraphRecord:
    """One paragraph document as newssearch builds it (what the embedded index stores)."""

    pid: str
    article_id: str
    path: str
    paragraph: int
    text: str
    title: str = ""
    subtitle: str = ""
    heading: str = ""
    date: date | None = None
    section: str = ""
    source: str = ""
    url: str = ""
    authors: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()


def paragraph_record(article: Any, paragraph: Any, speakers: Sequence[str], path: str) -> ParagraphRecord:
    """The record of one paragraph of ``article`` (newssearch's Article and Paragraph)."""
    return ParagraphRecord(
        pid=f"{article.id}#{paragraph.number}", article_id=article.id, path=path, paragraph=paragraph.number,
        text=paragraph.text, title=article.title, subtitle=article.subtitle, heading=paragraph.heading,
        date=article.date, section=article.section, source=article.source, url=article.url,
        authors=tuple(article.authors), speakers=tuple(speakers))


def sql_string(text: str) -> str:
    """A SphinxQL string literal of ``text``: backslash and quote escaped, every other character
    as it is (SphinxQL keeps them all), except NUL, which no SphinxQL string can hold: it becomes
    U+FFFD, one character for one, so character offsets stay right."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\ufffd") + "'"


@functools.lru_cache(maxsize=4096)
def section_key(section: str) -> int:
    """The key of a section label, folded as the embedded index folds it (``Middle East`` = ``middle-east``)."""
    folded = label_key(section)
    return key63(folded) if folded else 0


@functools.lru_cache(maxsize=1)
def speaker_key(name: str) -> int:
    """The key of a speaker's full name (as attributed) in the ``speakers`` MVA."""
    return key63(name)


class DocumentEncoder:
    """Turns records into INSERT values, analysing the text with newssearch's own analysers.

    An article's title, subtitle, authors, ids and path repeat in each of its paragraphs, so
    their analysis and hashes are kept for the paragraphs that follow (a small cache).
    """

    def __init__(self) -> None:
        self.english = Normalizer(stem=True)
        self.names = Normalizer(stem=False)
        self._repeated: dict[tuple[str, str], Any] = {}

    def row_sql(self, record: ParagraphRecord) -> str:
        """The record as one SQL row, ``(id, <DOCUMENT_COLUMNS>)``, its strings quoted by :func:`sql_string`.

        Built here rather than by PyMySQL's parameters: twice as fast, and PyMySQL escapes NUL and
        Ctrl-Z as backslash-0 and backslash-Z, which SphinxQL reads back as the letters 0 and Z.
        """
        speakers = tuple(dict.fromkeys(record.speakers))
        speaker_text, authors_text = SEPARATOR.join(speakers), SEPARATOR.join(record.authors)
        english, names, repeat = self.english.index_terms, self.names.index_terms, self._repeat
        fields = [repeat("title", record.title, english), repeat("subtitle", record.subtitle, english),
                  field_text(english(record.heading)), field_text(english(record.text)),
                  field_text(names(speaker_text)), repeat("authors", authors_text, names)]
        strings = [record.pid, record.article_id, record.path, record.title, record.subtitle, record.heading,
                   record.text, speaker_text, authors_text, record.section, record.source, record.url]
        numbers = [document_id(record.pid), repeat("key", record.article_id, None), repeat("key", record.path, None),
                   section_key(record.section), record.paragraph, date_number(record.date), len(speakers)]
        # Field values are keywords (word characters only): nothing to escape.
        quoted = "'" + "','".join(fields) + "'," + ",".join(map(sql_string, strings))
        return (f"({numbers[0]},{quoted},{','.join(map(str, numbers[1:]))},"
                f"({','.join(str(speaker_key(name)) for name in speakers)}))")

    def _repeat(self, kind: str, text: str, analyse: Callable[[str], list[str]] | None) -> Any:
        """``field_text(analyse(text))`` (or ``key63(text)`` without ``analyse``), cached."""
        found = self._repeated.get((kind, text))
        if found is None:
            if len(self._repeated) > 10_000:
                self._repeated.clear()
            found = self._repeated[kind, text] = field_text(analyse(text)) if analyse else key63(text)
        return found


# --------------------------------------------------------------------------- queries


def match_terms(terms: Iterable[str], *, field: str | None = None, mode: str = "all") -> str:
    """A MATCH() expression over analysed terms: ``all`` of them, ``any`` of them, or a ``phrase``.

    A term ending in ``*`` is a prefix (``mode`` all or any). ``field`` limits it to one full-text
    field. Terms hold only keyword characters, so nothing needs escaping.
    """
    if field is not None and field not in FULLTEXT_FIELDS:
        raise ClusterError(f"unknown field {field!r} (fields: {', '.join(FULLTEXT_FIELDS)})")
    words = [sphinx_term(t[:-1]) + "*" if t.endswith("*") else sphinx_term(t) for t in terms]
    if not words:
        raise ClusterError("an empty query matches nothing")
    body = {"all": " ".join(words), "any": " | ".join(words), "phrase": '"' + " ".join(words) + '"'}[mode]
    return f"@{field} ({body})" if field else f"({body})"


@dataclass(frozen=True)
class ParagraphQuery:
    """One search: a compiled MATCH expression (empty: every paragraph), filters, order, page, facets."""

    match: str = ""
    sections: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    order: str = "relevance"
    offset: int = 0
    limit: int = 10
    per_article: bool = False
    facets: tuple[str, ...] = ()
    facet_limit: int = 10        # values returned per facet (the most frequent)
    ranker: str = "proximity_bm25"

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause and its arguments."""
        parts: list[str] = []
        args: list[Any] = []
        if self.match:
            parts.append("MATCH(%s)")
            args.append(self.match)
        for column, keys in (("section_key", [section_key(s) for s in self.sections]),
                             ("speakers", [speaker_key(s) for s in self.speakers]),
                             ("article_key", [key63(a) for a in self.article_ids])):
            if keys:
                parts.append(f"{column} IN ({', '.join(['%s'] * len(keys))})")
                args += keys
        if self.date_from is not None or self.date_to is not None:
            parts.append("date BETWEEN %s AND %s")
            args += [max(1, date_number(self.date_from)), date_number(self.date_to) if self.date_to else 99_991_231]
        return (" WHERE " + " AND ".join(parts) if parts else ""), args

    def sql(self) -> tuple[str, list[Any]]:
        """The SELECT (with FACET clauses) and its arguments.

        ``WEIGHT()`` is never aliased: an aliased ``WEIGHT()`` with FACET is an internal error in
        Sphinx 2.2. ``max_matches`` is raised to reach the page asked for.
        """
        if self.order not in ORDERS:
            raise ClusterError(f"unknown order {self.order!r} (orders: {', '.join(ORDERS)})")
        unknown = sorted(set(self.facets) - set(FACETS))
        if unknown:
            raise ClusterError(f"unknown facet {unknown[0]!r} (facets: {', '.join(FACETS)})")
        if self.offset < 0 or self.limit < 1 or self.facet_limit < 1:
            raise ClusterError("offset must be 0 or more, limit and facet_limit 1 or more")
        where, args = self.where()
        # COUNT(*) only when grouping: without GROUP BY it makes the whole result one group.
        columns = ", ".join(("id", "WEIGHT()", *_SHOWN, *(("COUNT(*) AS matched",) if self.per_article else ())))
        grouping = " GROUP BY article_key WITHIN GROUP ORDER BY WEIGHT() DESC, id ASC" if self.per_article else ""
        max_matches = max(DEFAULT_MAX_MATCHES, self.offset + self.limit, FACET_DEPTH if self.facets else 0)
        sql = (f"SELECT {columns} FROM {INDEX}{where}{grouping} ORDER BY {ORDERS[self.order]} "
               f"LIMIT {self.offset}, {self.limit} OPTION max_matches={max_matches}, ranker={self.ranker}")
        return sql + "".join(facet_sql(name, FACET_DEPTH) for name in self.facets), args

    def facet_only_sql(self, name: str, depth: int) -> tuple[str, list[Any]]:
        """One facet, ``depth`` groups deep, without ranking (to redo a facet that was not exact)."""
        where, args = self.where()
        return (f"SELECT id FROM {INDEX}{where} LIMIT 1 OPTION max_matches={depth}, ranker=none"
                + facet_sql(name, depth)), args


def facet_sql(name: str, depth: int) -> str:
    """The FACET clause(s) of one facet. Every group (up to ``depth``) is fetched and sorted here,
    most frequent first: a FACET's ORDER BY cannot name an expression's alias. A facet is exact
    when fewer than ``depth`` groups come back (= ``max_matches``: no shard's groups were cut)."""
    return {
        "section": f" FACET section LIMIT {depth}",
        "speaker": f" FACET speakers LIMIT {depth} FACET speaker_count ORDER BY speaker_count ASC LIMIT 1",
        "month": f" FACET IDIV(date, 100) AS month LIMIT {depth}",
    }[name]


@dataclass(frozen=True)
class StoredParagraph:
    """A paragraph as the cluster returned it, with its score (``WEIGHT()``, shard-local)."""

    record: ParagraphRecord
    score: int
    matched_in_article: int = 1   # with per_article: how many of the article's paragraphs matched


@dataclass(frozen=True)
class FacetCounts:
    """One facet: the ``facet_limit`` most frequent (value, count), most frequent first (ties by
    value), the number of distinct values, how many matches have no value, and whether the counts
    are exact (false only past MAX_FACET_DEPTH distinct values)."""

    values: list[tuple[str, int]]
    distinct: int
    missing: int
    exact: bool


@dataclass(frozen=True)
class SearchPage:
    """One page of results: hits, the exact total (articles with per_article), facets, partial flag."""

    hits: list[StoredParagraph]
    total: int
    facets: dict[str, FacetCounts] = field(default_factory=dict)
    partial: bool = False
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- the store


class ClusterStore:
    """The paragraph documents of one cluster, found from its address (the aggregator's SphinxQL)."""

    def __init__(self, address: SphinxAddress | str, *, connect_timeout: float = 2.0, timeout: float = 60.0) -> None:
        self.aggregator = Connection(address, connect_timeout=connect_timeout, timeout=timeout)
        self.meta = MetaTable(self.aggregator)
        try:
            self.topology: Topology = read_topology(self.meta)
        except ClusterError:
            self.aggregator.close()
            raise
        self.shards = [Connection(a, connect_timeout=connect_timeout, timeout=timeout) for a in self.topology.shards]
        self.manifest = ClusterManifest(self.meta)
        self.encoder = DocumentEncoder()
        self._known_speakers: set[str] = set()

    def __enter__(self) -> ClusterStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for connection in (self.aggregator, *self.shards):
            connection.close()

    # ----------------------------------------------------------------- writing

    def add(self, records: Iterable[ParagraphRecord]) -> int:
        """Write records to their shards (REPLACE: writing a pid again replaces it); return how many.

        Batches are sent from one thread per shard while the next ones are encoded here, so the
        analysis in Python and the daemons' indexing overlap; each shard has at most one batch in
        flight, so a pid written twice ends as its last version.
        """
        batches: dict[int, list[str]] = defaultdict(list)
        sizes: dict[int, int] = defaultdict(int)
        in_flight: dict[int, Future[int]] = {}
        written = 0
        names: set[str] = set()
        with ThreadPoolExecutor(max_workers=len(self.shards), thread_name_prefix="shard-writer") as senders:
            try:
                for record in records:
                    shard = shard_for(record.article_id, len(self.shards))
                    row = self.encoder.row_sql(record)
                    batches[shard].append(row)
                    sizes[shard] += len(row)
                    names.update(record.speakers)
                    if len(batches[shard]) >= BATCH_DOCUMENTS or sizes[shard] >= BATCH_CHARS:
                        if shard in in_flight:
                            written += in_flight.pop(shard).result()
                        in_flight[shard] = senders.submit(self._replace, shard, batches.pop(shard))
                        sizes[shard] = 0
            finally:
                written += sum(future.result() for future in in_flight.values())
        for shard, rows in batches.items():
            written += self._replace(shard, rows)
        self._register_speakers(names)
        return written

    def _replace(self, shard: int, rows: list[str]) -> int:
        sql = f"REPLACE INTO {INDEX} (id, {', '.join(DOCUMENT_COLUMNS)}) VALUES {', '.join(rows)}"
        self.shards[shard].execute(sql)
        return len(rows)

    def _register_speakers(self, names: set[str]) -> None:
        new = sorted(names - self._known_speakers)
        for start in range(0, len(new), BATCH_DOCUMENTS):
            batch = new[start:start + BATCH_DOCUMENTS]
            args: list[Any] = []
            for name in batch:
                args += [speaker_key(name), " ".join(self.encoder.names.index_terms(name)), name]
            self.aggregator.execute(f"REPLACE INTO {SPEAKERS_INDEX} (id, name_text, name) VALUES "
                                    + ", ".join(["(%s, %s, %s)"] * len(batch)), args)
        self._known_speakers.update(new)

    def delete_paths(self, paths: Iterable[str]) -> int:
        """Delete every paragraph read from ``paths`` (on every shard); return how many."""
        return self._delete("path_key", [key63(p) for p in paths], range(len(self.shards)))

    def delete_articles(self, article_ids: Iterable[str]) -> int:
        """Delete every paragraph of ``article_ids`` (each on its own shard); return how many."""
        by_shard: dict[int, list[int]] = defaultdict(list)
        for article_id in article_ids:
            by_shard[shard_for(article_id, len(self.shards))].append(key63(article_id))
        return sum(self._delete("article_key", keys, [shard]) for shard, keys in by_shard.items())

    def _delete(self, column: str, keys: list[int], shards: Iterable[int]) -> int:
        deleted = 0
        for shard in shards:
            for start in range(0, len(keys), BATCH_DOCUMENTS):
                batch = keys[start:start + BATCH_DOCUMENTS]
                deleted += self.shards[shard].execute(
                    f"DELETE FROM {INDEX} WHERE {column} IN ({', '.join(['%s'] * len(batch))})", batch)
        return deleted

    def replace_files(self, files: dict[str, tuple[dict[str, Any], list[ParagraphRecord]]]) -> int:
        """Index a batch of files ``{path: (state, records)}`` so that a crash at any point leaves
        the manifest accounting for every document: pending, delete, write, commit."""
        self.manifest.begin({path: state for path, (state, _) in files.items()})
        self.delete_paths(files)
        written = self.add(record for _, records in files.values() for record in records)
        self.manifest.commit({path: state for path, (state, _) in files.items()})
        return written

    def recover(self) -> list[str]:
        """Delete the documents of files a dead run left pending and forget them; return their paths."""
        pending = self.manifest.pending()
        if pending:
            self.delete_paths(pending)
            self.manifest.forget(pending)
        return pending

    # ----------------------------------------------------------------- reading

    def search(self, query: ParagraphQuery, *, allow_partial: bool = False) -> SearchPage:
        """Run ``query`` through the aggregator; PartialResultsError when a shard did not answer
        (unless ``allow_partial``: then the page says ``partial``)."""
        sql, args = query.sql()
        result = self.aggregator.select(sql, args, allow_partial=allow_partial)
        hits = [self._hit(row) for row in result.dicts()]
        facets = self._facets(query, result, allow_partial)
        total = result.total_found
        if query.per_article:  # a grouped total_found is approximate once groups outnumber max_matches
            total = self.count(query, allow_partial=allow_partial)
        return SearchPage(hits, total, facets, result.partial, result.warnings)

    def count(self, query: ParagraphQuery, *, allow_partial: bool = False) -> int:
        """How many paragraphs (articles with ``per_article``) match: exact. Articles are counted
        with COUNT(DISTINCT), exact because an article never spans shards."""
        where, args = query.where()
        column = "COUNT(DISTINCT article_key)" if query.per_article else "COUNT(*)"
        result = self.aggregator.select(f"SELECT {column} FROM {INDEX}{where}", args, allow_partial=allow_partial)
        return int(result.rows[0][0]) if result.rows else 0

    def speaker_names(self, keys: Iterable[int]) -> dict[int, str]:
        """Names of speaker keys (from the cluster's map)."""
        wanted = sorted(set(keys))
        names: dict[int, str] = {}
        for start in range(0, len(wanted), BATCH_DOCUMENTS):
            batch = wanted[start:start + BATCH_DOCUMENTS]
            result = self.aggregator.select(f"SELECT id, name FROM {SPEAKERS_INDEX} WHERE id IN "
                                            f"({', '.join(['%s'] * len(batch))}) LIMIT {len(batch)}", batch)
            names.update({int(key): str(name) for key, name in result.rows})
        return names

    def keywords(self, text: str) -> list[str]:
        """The keywords Sphinx makes of ``text`` (CALL KEYWORDS on a shard): to check that a field
        value of analysed terms comes out as exactly those terms."""
        return [str(row[2]) for row in self.shards[0].rows(f"CALL KEYWORDS(%s, '{INDEX}')", (text,))]

    def documents(self) -> int:
        """How many paragraph documents the cluster holds."""
        return self.count(ParagraphQuery())

    def _hit(self, row: dict[str, Any]) -> StoredParagraph:
        record = ParagraphRecord(
            pid=row["pid"], article_id=row["article_id"], path=row["path"], paragraph=int(row["paragraph"]),
            text=row["stored_text"], title=row["stored_title"], subtitle=row["stored_subtitle"],
            heading=row["stored_heading"], date=number_date(int(row["date"])), section=row["section"],
            source=row["source"], url=row["url"], authors=_split(row["stored_authors"]),
            speakers=_split(row["stored_speaker"]))
        return StoredParagraph(record, int(row["weight()"]), int(row.get("matched", 1)))

    def _facets(self, query: ParagraphQuery, result: QueryResult, allow_partial: bool) -> dict[str, FacetCounts]:
        """The facets of the main query's FACET result sets, each fetched deeper until exact."""
        sets = iter(result.facets)
        facets: dict[str, FacetCounts] = {}
        for name in query.facets:
            facet_sets = [next(sets).rows for _ in range(2 if name == "speaker" else 1)]
            depth = FACET_DEPTH
            while len(facet_sets[0]) >= depth and depth < MAX_FACET_DEPTH:
                depth = min(depth * 8, MAX_FACET_DEPTH)
                sql, args = query.facet_only_sql(name, depth)
                facet_sets = [f.rows for f in self.aggregator.select(sql, args, allow_partial=allow_partial).facets]
            facets[name] = self._facet(name, facet_sets, query.facet_limit, exact=len(facet_sets[0]) < depth)
        return facets

    def _facet(self, name: str, facet_sets: list[list[tuple[Any, ...]]], limit: int, exact: bool) -> FacetCounts:
        rows = [(value, int(count)) for value, count in facet_sets[0]]
        if name == "speaker":
            without = facet_sets[1]
            missing = int(without[0][1]) if without and int(without[0][0]) == 0 else 0
            rows.sort(key=lambda item: -item[1])
            cutoff = rows[limit - 1][1] if len(rows) >= limit else 0
            named = self.speaker_names(int(key) for key, count in rows if count >= cutoff)  # ties at the cut too
            values = [(named.get(int(key), str(key)), count) for key, count in rows if count >= cutoff]
            distinct = len(rows)
        else:
            empty: Any = "" if name == "section" else 0
            missing = sum(count for value, count in rows if value == empty)
            values = [(_month(value) if name == "month" else str(value), count)
                      for value, count in rows if value != empty]
            distinct = len(values)
        values.sort(key=lambda item: (-item[1], item[0]))
        return FacetCounts(values[:limit], distinct, missing, exact)


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(SEPARATOR)) if joined else ()


def _month(value: Any) -> str:
    number = int(value)
    return f"{number // 100:04d}-{number % 100:02d}"
