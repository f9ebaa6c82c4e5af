"""The index folder: create and open it, search it, and bring it up to date.

Writing goes through :mod:`newssearch.indexing.run` under the folder's :class:`~newssearch.indexing.lock.IndexLock`,
so one indexer runs at a time while any number of searches read the last committed state.
``rebuild`` builds a fresh index beside the old one and swaps it in when it is complete.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.articles import Article, ReadOptions
from newssearch.errors import IndexDamagedError, IndexNotFoundError, NewssearchError, SchemaMismatchError
from newssearch.indexing.folder import (
    INDEX_NAME, STAGING_FOLDER, check_can_hold_index, committed_generation, move_segment_files, remove_leftovers,
)
from newssearch.indexing.check import check_sizes, reads_index
from newssearch.indexing.lock import IndexLock
from newssearch.indexing.manifest import Manifest, PendingCommit
from newssearch.backends.whoosh.ranking import CachedLengthBM25F
from newssearch.backends.whoosh.schema import build_schema
from newssearch.schema import SCHEMA_VERSION
from newssearch.request import DEFAULT_FACET_LIMIT, DEFAULT_LIMIT, SearchRequest
from newssearch.search import SearchResults, run_search

with whoosh_imports():
    from whoosh import index as whoosh_index
    from whoosh.filedb.filestore import FileStorage

if TYPE_CHECKING:  # the indexer (speaker attribution, worker processes) loads only when indexing
    from newssearch.indexing.run import IndexReport, ProgressCallback

__all__ = ["NewsIndex", "index_paths"]

DEFAULT_INDEX_DIR = "index"
DEFAULT_DOCUMENTS_DIR = "documents"
INDEX_ENV = "NEWSSEARCH_INDEX"
DOCUMENTS_ENV = "NEWSSEARCH_DOCUMENTS"


def default_index_dir() -> str:
    """The index location: ``$NEWSSEARCH_INDEX`` or ``index/``."""
    return os.environ.get(INDEX_ENV) or DEFAULT_INDEX_DIR


def default_documents_dir() -> str:
    """The documents to index by default: ``$NEWSSEARCH_DOCUMENTS`` or ``documents/``."""
    return os.environ.get(DOCUMENTS_ENV) or DEFAULT_DOCUMENTS_DIR


class NewsIndex:
    """A newssearch index folder. Open one with :meth:`open`; use it as a context manager."""

    def __init__(self, location: Path, whoosh_ix: Any) -> None:
        self.location = location
        self._ix = whoosh_ix
        self._searcher: Any = None

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, *, create: bool = False) -> NewsIndex:
        """Open the index at ``location`` (default: :func:`default_index_dir`).

        With ``create=True`` a missing index is created; otherwise it raises
        :class:`IndexNotFoundError`. An index of another schema version raises
        :class:`SchemaMismatchError`.
        """
        path = Path(location if location is not None else default_index_dir())
        if committed_generation(path) < 0:
            if not create:
                raise IndexNotFoundError(f"no index at {path}/ — run `newssearch index` first")
            return cls._create(path)
        manifest = Manifest.load(path)
        version = manifest.schema_version
        if version != SCHEMA_VERSION:
            raise SchemaMismatchError(
                f"the index at {path}/ has schema version {version}, this newssearch needs "
                f"{SCHEMA_VERSION}: run `newssearch index --rebuild`")
        ix = open_whoosh_index(path)
        check_sizes(path, manifest, ix)
        return cls(path, ix)

    @classmethod
    def _create(cls, path: Path) -> NewsIndex:
        check_can_hold_index(path)
        path.mkdir(parents=True, exist_ok=True)
        Manifest(schema_version=SCHEMA_VERSION).save(path)  # first: a TOC without a manifest would look foreign
        with whoosh_imports():
            ix = whoosh_index.create_in(str(path), build_schema())
        return cls(path, ix)

    def close(self) -> None:
        """Release the searcher and the index's files."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def __enter__(self) -> NewsIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----------------------------------------------------------------- facts

    @property
    def paragraph_count(self) -> int:
        """Number of paragraph documents in the last committed state."""
        return int(self.searcher().doc_count())

    @property
    def indexed_files(self) -> list[str]:
        """Absolute paths of the files the index holds."""
        return sorted(Manifest.load(self.location).files)

    def last_updated(self) -> str | None:
        """When the index was last committed (ISO 8601, UTC), if known."""
        return Manifest.load(self.location).updated

    def searcher(self) -> Any:
        """A whoosh searcher on the latest committed state, kept open across queries."""
        if self._searcher is not None and not self._searcher.up_to_date():
            self._searcher.close()  # whoosh's refresh() would leave the old segment files open
            self._searcher = None
        if self._searcher is None:
            self._searcher = open_pinned_searcher(self._ix, self.location)
        return self._searcher

    @reads_index
    def search(self, query: str | SearchRequest, *, limit: int = DEFAULT_LIMIT, page: int = 1,
               sort: str = "relevance", per_article: bool = False, facets: bool = False,
               facet_limit: int = DEFAULT_FACET_LIMIT, suggest: bool = False, correct: bool = False,
               context: int = 0, section: str | None = None, speaker: str | None = None,
               since: str | date | None = None, until: str | date | None = None,
               time_budget: float | None = None) -> SearchResults:
        """Rank paragraphs matching ``query`` with BM25F.

        ``query`` is a :class:`~newssearch.request.SearchRequest`, or the query text with the
        request's parameters as keywords (see :meth:`SearchRequest.build`).
        """
        request = query if isinstance(query, SearchRequest) else SearchRequest.build(
            query, limit=limit, page=page, sort=sort, per_article=per_article, facets=facets,
            facet_limit=facet_limit, suggest=suggest, correct=correct, context=context, section=section,
            speaker=speaker, since=since, until=until, time_budget=time_budget)
        return run_search(self.searcher(), request)

    # ----------------------------------------------------------------- writing

    def index_paths(self, paths: Iterable[str | os.PathLike[str]], *, options: ReadOptions = ReadOptions(),
                    jobs: int | None = None, wait: float = 0.0,
                    progress: ProgressCallback | None = None) -> IndexReport:
        """Bring the index up to date with the article files under ``paths``.

        New and changed files are (re)indexed by ``jobs`` worker processes (default: one per
        CPU), unchanged ones skipped, and files the index holds that no longer exist are
        removed. ``wait`` is how long to wait for another indexer to finish.
        """
        with IndexLock(self.location, wait) as lock:
            from newssearch.indexing.run import IndexRun  # noqa: PLC0415
            report = IndexRun(self.location, Manifest.load(self.location), options, jobs, progress).run(paths)
        report.stale_lock_pid = lock.stale_pid
        return report

    def add_articles(self, articles: Iterable[Article], *, wait: float = 0.0) -> IndexReport:
        """Index articles given as objects, replacing any earlier version with the same id."""
        with IndexLock(self.location, wait):
            from newssearch.indexing.run import add_articles  # noqa: PLC0415
            return add_articles(self.location, articles)


# --------------------------------------------------------------------------- convenience


def index_paths(paths: Sequence[str | os.PathLike[str]] | None = None,
                location: str | os.PathLike[str] | None = None, *, rebuild: bool = False,
                options: ReadOptions = ReadOptions(), jobs: int | None = None, wait: float = 0.0,
                progress: ProgressCallback | None = None) -> IndexReport:
    """Index ``paths`` (default: the documents folder) into ``location`` (default: ``index/``).

    With ``rebuild=True`` the index is built from scratch in a temporary folder and swapped in
    when complete, so searches see the old index until then.
    """
    targets = list(paths) if paths else [default_documents_dir()]
    for target in targets:
        if not os.path.exists(target):
            raise NewssearchError(f"no such file or folder: {target}")
    index_dir = Path(location if location is not None else default_index_dir())
    if not rebuild:
        with NewsIndex.open(index_dir, create=True) as index:
            return index.index_paths(targets, options=options, jobs=jobs, wait=wait, progress=progress)
    if committed_generation(index_dir) < 0:
        check_can_hold_index(index_dir)
    with IndexLock(index_dir, wait) as lock:
        remove_leftovers(index_dir)
        staging = index_dir / STAGING_FOLDER
        try:
            with NewsIndex.open(staging, create=True) as index:
                report = index.index_paths(targets, options=options, jobs=jobs, progress=progress)
            swap_in(staging, index_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    report.stale_lock_pid = lock.stale_pid
    return report


def open_whoosh_index(path: Path) -> Any:
    """Whoosh's index object for ``path``, its table of contents read; a TOC that cannot be read
    raises :class:`IndexDamagedError`."""
    storage = _ClosingStorage(str(path))
    try:
        with whoosh_imports():
            ix = storage.open_index(INDEX_NAME)
            ix._segments()
    except Exception as error:  # noqa: BLE001  (a damaged TOC fails in many ways: pickle, struct, EOF, ...)
        storage.close_opened()
        raise IndexDamagedError(f"the index at {path}/ is damaged: its table of contents cannot be read "
                                f"({type(error).__name__}); run `newssearch check`") from None
    storage.opened = None
    return ix


class _ClosingStorage(FileStorage):  # type: ignore[misc]
    """Whoosh's file storage, closing the files it opened when reading a damaged table of
    contents fails (whoosh leaves them to the garbage collector)."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.opened: list[Any] | None = []

    def open_file(self, name: str, **kwargs: Any) -> Any:
        handle = super().open_file(name, **kwargs)
        if self.opened is not None:
            self.opened.append(handle)
        return handle

    def close_opened(self) -> None:
        for handle in self.opened or ():
            try:
                handle.close()
            except OSError:
                pass
        self.opened = None


def open_pinned_searcher(ix: Any, location: Path) -> Any:
    """A searcher on the latest commit with every file of its segments open.

    Whoosh opens a segment's column files (stored fields, field lengths, sortable values) only
    when first used, and takes a column file that is missing by then for a column the segment
    never had. A commit that replaces segments (a merge, a rebuild) deletes their files, so a
    searcher that opened its table of contents just before could later answer without field
    lengths or fail to read stored fields. Open files outlive their deletion, so every column
    file is opened here; if one has gone already, a newer commit exists and is opened instead.
    """
    for _attempt in range(_OPEN_RETRIES):
        with whoosh_imports():
            searcher = ix.searcher(weighting=CachedLengthBM25F())
        try:
            pin_column_files(searcher.reader(), location)
            return searcher
        except (OSError, _VanishedSegment):
            searcher.close()
            time.sleep(0.02)
    raise IndexDamagedError(f"the index at {location}/ lacks files of its segments; run `newssearch check`")


_OPEN_RETRIES = 20


class _VanishedSegment(Exception):
    """A segment's files were deleted between reading the table of contents and opening them."""


def pin_column_files(reader: Any, location: Path) -> None:
    """Open every column file of every segment of ``reader`` and make its readers answer
    ``has_column`` from what was opened (not from what is on disk later)."""
    names = os.listdir(location)
    for segment_reader, _offset in reader.leaf_readers():
        perdoc = getattr(segment_reader, "_perdoc", None)
        if perdoc is None:  # an empty index
            continue
        prefix = segment_reader._segment.segment_id() + "."
        columns = [name[len(prefix):-4] for name in names if name.startswith(prefix) and name.endswith(".col")]
        if "_stored" not in columns:
            raise _VanishedSegment(prefix)
        for column in columns:
            if column not in perdoc._colfiles:
                perdoc._colfiles[column] = perdoc._get_column_file(column)
        perdoc.has_column = frozenset(perdoc._colfiles).__contains__


def swap_in(staging: Path, index_dir: Path) -> None:
    """Publish the index built in ``staging`` as the next commit of ``index_dir`` (under its lock).

    Its segment files move in beside the old ones, the manifest records the change as pending,
    and a new table of contents naming only the new segments is written atomically; the old
    segment files are deleted after that. Readers see the old index or the new one, and a run
    killed at any point leaves one of them, with a manifest that matches it.
    """
    with whoosh_imports():
        staged = whoosh_index.TOC.read(FileStorage(str(staging)), INDEX_NAME)
    built = Manifest.load(staging)
    generation = max(committed_generation(index_dir), staged.generation) + 1
    try:
        before = Manifest.load(index_dir)
    except IndexDamagedError:  # the rebuild replaces it anyway
        before = Manifest()
    move_segment_files(staging, index_dir)
    before.save(index_dir, PendingCommit(generation, built.files, [], replace_all=True,
                                         schema_version=built.schema_version))
    from newssearch.backends.whoosh.segments import write_toc  # noqa: PLC0415

    write_toc(str(index_dir), staged.schema, staged.segments, generation)
    built.save(index_dir)
