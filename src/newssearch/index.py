"""The facade over an index: open or create it (choosing its backend), search it, explore it, and
bring it up to date.

Writing goes through :mod:`newssearch.indexing.run` under the folder's
:class:`~newssearch.indexing.lock.IndexLock`, so one indexer runs at a time while any number of
searches read the last committed state. ``rebuild`` builds a fresh index inside the index folder
and publishes it as one more commit when it is complete.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from newssearch.models import Article, ReadOptions
from newssearch.backends.base import Backend, IndexWriter
from newssearch.errors import IndexNotFoundError, NewssearchError, SchemaMismatchError
from newssearch.indexing.check import reads_index
from newssearch.indexing.folder import STAGING_FOLDER, check_can_hold_index, committed_generation, remove_leftovers
from newssearch.indexing.lock import IndexLock
from newssearch.indexing.manifest import Manifest
from newssearch.models import SearchResults
from newssearch.request import DEFAULT_FACET_LIMIT, DEFAULT_LIMIT, SearchRequest
from newssearch.schema import SCHEMA_VERSION
from newssearch.search.engine import run_search

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
    """A newssearch index. Open one with :meth:`open`; use it as a context manager.

    ``backend`` is the engine holding the paragraphs (:class:`~newssearch.backends.base.Backend`);
    everything here and in :mod:`newssearch.search` goes through it.
    """

    def __init__(self, location: Path, backend: Backend) -> None:
        self.location = location
        self.backend = backend

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, *, create: bool = False,
             follow_commits: bool = True) -> NewsIndex:
        """Open the index at ``location`` (default: :func:`default_index_dir`).

        With ``create=True`` a missing index is created; otherwise it raises
        :class:`IndexNotFoundError`. An index of another schema version raises
        :class:`SchemaMismatchError`, a damaged one :class:`IndexDamagedError`. It reads the
        latest commit at each search; with ``follow_commits=False``, the state it read first
        until :meth:`refresh` (one committed state per web request).
        """
        from newssearch.backends.whoosh.backend import WhooshBackend  # noqa: PLC0415

        path = Path(location if location is not None else default_index_dir())
        if committed_generation(path) < 0:
            if not create:
                raise IndexNotFoundError(f"no index at {path}/ — run `newssearch index` first")
            check_can_hold_index(path)
            path.mkdir(parents=True, exist_ok=True)
            Manifest(schema_version=SCHEMA_VERSION).save(path)  # first: a TOC without a manifest would look foreign
            return cls(path, WhooshBackend.create(path))
        manifest = Manifest.load(path)
        if manifest.schema_version != SCHEMA_VERSION:
            raise SchemaMismatchError(
                f"the index at {path}/ has schema version {manifest.schema_version}, this newssearch needs "
                f"{SCHEMA_VERSION}: run `newssearch index --rebuild`")
        return cls(path, WhooshBackend.open(path, manifest, follow_commits=follow_commits))

    def close(self) -> None:
        """Release the backend's resources (open files, connections)."""
        self.backend.close()

    def __enter__(self) -> NewsIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----------------------------------------------------------------- facts

    @property
    @reads_index
    def paragraph_count(self) -> int:
        """Number of paragraph documents in the committed state read."""
        return self.backend.paragraph_count

    @property
    def indexed_files(self) -> list[str]:
        """Absolute paths of the files the index holds."""
        return sorted(Manifest.load(self.location).files)

    def last_updated(self) -> str | None:
        """When the index was last committed (ISO 8601, UTC), if known."""
        return Manifest.load(self.location).updated

    def size_on_disk(self) -> int:
        """Bytes the index takes."""
        from newssearch.backends.whoosh.backend import size_on_disk  # noqa: PLC0415

        return size_on_disk(self.location)

    @reads_index
    def state(self) -> str:
        """Names the committed state read: equal names, equal contents."""
        return self.backend.state()

    @reads_index
    def refresh(self) -> None:
        """Move to the latest committed state."""
        self.backend.refresh()

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
        return run_search(self.backend, request)

    # ----------------------------------------------------------------- writing

    def writer(self) -> IndexWriter:
        """The backend's writing side (used under the writer lock)."""
        from newssearch.backends.whoosh.writer import WhooshWriter  # noqa: PLC0415

        return WhooshWriter(self.location)

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
            report = IndexRun(self.writer(), Manifest.load(self.location), options, jobs, progress).run(paths)
        report.stale_lock_pid = lock.stale_pid
        return report

    def add_articles(self, articles: Iterable[Article], *, wait: float = 0.0) -> IndexReport:
        """Index articles given as objects, replacing any earlier version with the same id."""
        with IndexLock(self.location, wait):
            from newssearch.indexing.run import add_articles  # noqa: PLC0415
            return add_articles(self.writer(), articles)


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
            from newssearch.backends.whoosh.store import swap_in  # noqa: PLC0415

            swap_in(staging, index_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    report.stale_lock_pid = lock.stale_pid
    return report


