"""The index folder: create and open it, search it, and bring it up to date.

Writing goes through :mod:`newssearch.indexer` under the folder's :class:`~newssearch.lock.IndexLock`,
so one indexer runs at a time while any number of searches read the last committed state.
``rebuild`` builds a fresh index beside the old one and swaps it in when it is complete.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newssearch._whoosh import whoosh_imports
from newssearch.articles import Article, ReadOptions
from newssearch.errors import IndexNotFoundError, NewssearchError, SchemaMismatchError
from newssearch.lock import IndexLock
from newssearch.manifest import MANIFEST_FILE, Manifest
from newssearch.ranking import CachedLengthBM25F
from newssearch.schema import SCHEMA_VERSION, build_schema
from newssearch.search import DEFAULT_LIMIT, SearchResults, run_search

with whoosh_imports():
    from whoosh import index as whoosh_index

if TYPE_CHECKING:  # the indexer (speaker attribution, worker processes) loads only when indexing
    from newssearch.indexer import IndexReport, ProgressCallback

__all__ = ["META_FILE", "NewsIndex", "index_paths"]

DEFAULT_INDEX_DIR = "index"
DEFAULT_DOCUMENTS_DIR = "documents"
INDEX_ENV = "NEWSSEARCH_INDEX"
DOCUMENTS_ENV = "NEWSSEARCH_DOCUMENTS"
META_FILE = MANIFEST_FILE


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
        if not whoosh_index.exists_in(str(path)):
            if not create:
                raise IndexNotFoundError(f"no index at {path}/ — run `newssearch index` first (or pass --index)")
            return cls._create(path)
        version = Manifest.load(path).schema_version
        if version != SCHEMA_VERSION:
            raise SchemaMismatchError(
                f"the index at {path}/ has schema version {version}, this newssearch needs "
                f"{SCHEMA_VERSION}: run `newssearch index --rebuild`")
        with whoosh_imports():
            return cls(path, whoosh_index.open_dir(str(path)))

    @classmethod
    def _create(cls, path: Path) -> NewsIndex:
        path.mkdir(parents=True, exist_ok=True)
        with whoosh_imports():
            ix = whoosh_index.create_in(str(path), build_schema())
        Manifest(schema_version=SCHEMA_VERSION).save(path)
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
            self._searcher = self._ix.searcher(weighting=CachedLengthBM25F())
        return self._searcher

    def search(self, query: str, *, limit: int = DEFAULT_LIMIT, section: str | None = None,
               speaker: str | None = None, since: str | date | None = None,
               until: str | date | None = None, **options: Any) -> SearchResults:
        """Rank paragraphs matching ``query`` with BM25F; see :func:`newssearch.search.run_search`."""
        return run_search(self.searcher(), query, limit=limit, section=section, speaker=speaker,
                          since=since, until=until, **options)

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
            from newssearch.indexer import IndexRun  # noqa: PLC0415
            report = IndexRun(self.location, Manifest.load(self.location), options, jobs, progress).run(paths)
        report.stale_lock_pid = lock.stale_pid
        return report

    def add_articles(self, articles: Iterable[Article], *, wait: float = 0.0) -> IndexReport:
        """Index articles given as objects, replacing any earlier version with the same id."""
        with IndexLock(self.location, wait):
            from newssearch.indexer import add_articles  # noqa: PLC0415
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
    with IndexLock(index_dir, wait) as lock:
        staging = index_dir.with_name(f".{index_dir.name}.rebuild-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            with NewsIndex.open(staging, create=True) as index:
                report = index.index_paths(targets, options=options, jobs=jobs, progress=progress)
            _swap_in(staging, index_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    report.stale_lock_pid = lock.stale_pid
    return report


def _swap_in(staging: Path, index_dir: Path) -> None:
    """Replace ``index_dir``'s index files with ``staging``'s, keeping dot-files (.gitignore, the lock)."""
    old = index_dir.with_name(f".{index_dir.name}.old-{os.getpid()}")
    old.mkdir(exist_ok=True)
    for entry in index_dir.iterdir():
        if not entry.name.startswith("."):
            entry.rename(old / entry.name)
    for entry in staging.iterdir():
        if not entry.name.startswith("."):
            entry.rename(index_dir / entry.name)
    shutil.rmtree(old, ignore_errors=True)
