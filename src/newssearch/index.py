"""The on-disk index: create, open, and bring it up to date with files or articles.

Re-indexing is incremental. A manifest (``newssearch.json`` in the index folder) records each
indexed file's size, mtime and SHA-256; unchanged files are not read again, a changed file's
paragraphs are replaced, and a deleted file's paragraphs are removed. Work is committed in
batches and the manifest is written after each commit, so an interrupted run leaves the last
committed state and the next run finishes the job. ``rebuild`` builds a fresh index beside the
old one and swaps it in, so readers never see a half-built index.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from newssearch._whoosh import whoosh_imports
from newssearch.articles import Article, ReadOptions, ReadProblem, find_article_files, read_file
from newssearch.errors import IndexLockedError, IndexNotFoundError, NewssearchError, SchemaMismatchError
from newssearch.lock import IndexLock
from newssearch.paragraphs import Paragraph, split_paragraphs
from newssearch.search import DEFAULT_LIMIT, SearchResults, run_search
from newssearch.schema import ARTICLE_ID, PATH, SCHEMA_VERSION, build_schema, paragraph_document
from newssearch.speakers import attribute_speakers

with whoosh_imports():
    from whoosh import index as whoosh_index
    from whoosh import scoring
    from whoosh.index import LockError
    from whoosh.writing import IndexWriter

DEFAULT_INDEX_DIR = "index"
DEFAULT_DOCUMENTS_DIR = "documents"
INDEX_ENV = "NEWSSEARCH_INDEX"
DOCUMENTS_ENV = "NEWSSEARCH_DOCUMENTS"
META_FILE = "newssearch.json"
COMMIT_EVERY_PARAGRAPHS = 20_000
WRITER_LIMIT_MB = 256


def default_index_dir() -> str:
    """The index location: ``$NEWSSEARCH_INDEX`` or ``index/``."""
    return os.environ.get(INDEX_ENV) or DEFAULT_INDEX_DIR


def default_documents_dir() -> str:
    """The documents to index by default: ``$NEWSSEARCH_DOCUMENTS`` or ``documents/``."""
    return os.environ.get(DOCUMENTS_ENV) or DEFAULT_DOCUMENTS_DIR


@dataclass
class IndexReport:
    """What one indexing run did."""

    files_indexed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    articles: int = 0
    paragraphs: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def skipped(self) -> list[ReadProblem]:
        """Problems that lost content (a file or a record not indexed)."""
        return [p for p in self.problems if p.skipped]

    @property
    def warnings(self) -> list[ReadProblem]:
        """Problems that did not stop the content from being indexed."""
        return [p for p in self.problems if not p.skipped]


@dataclass(frozen=True)
class IndexProgress:
    """Passed to a progress callback after each file."""

    files_done: int
    files_total: int
    paragraphs: int
    path: str


ProgressCallback = Callable[[IndexProgress], None]
ParagraphDocumentInput = tuple[Paragraph, Sequence[str]]


@dataclass
class _FileState:
    size: int
    mtime_ns: int
    sha256: str
    articles: int
    paragraphs: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _FileState:
        return cls(int(data["size"]), int(data["mtime_ns"]), str(data["sha256"]),
                   int(data.get("articles", 0)), int(data.get("paragraphs", 0)))


class NewsIndex:
    """A newssearch index folder. Open one with :meth:`open`; use it as a context manager."""

    def __init__(self, location: Path, whoosh_ix: whoosh_index.Index, manifest: dict[str, _FileState]) -> None:
        self.location = location
        self._ix = whoosh_ix
        self._manifest = manifest
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
                raise IndexNotFoundError(
                    f"no index at {path}/ — run `newssearch index` first (or pass --index)")
            return cls._create(path)
        meta = _read_meta(path)
        version = meta.get("schema_version")
        if version != SCHEMA_VERSION:
            raise SchemaMismatchError(
                f"the index at {path}/ has schema version {version}, this newssearch needs "
                f"{SCHEMA_VERSION}: run `newssearch index --rebuild`")
        manifest = {p: _FileState.from_json(s) for p, s in meta.get("files", {}).items()}
        with whoosh_imports():
            ix = whoosh_index.open_dir(str(path))
        return cls(path, ix, manifest)

    @classmethod
    def _create(cls, path: Path) -> NewsIndex:
        path.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(path), build_schema())
        index = cls(path, ix, {})
        index._write_meta()
        return index

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
        """Absolute paths of the files the manifest records."""
        return sorted(self._manifest)

    def searcher(self) -> Any:
        """A whoosh searcher on the latest committed state, kept open across queries."""
        if self._searcher is None:
            self._searcher = self._ix.searcher(weighting=scoring.BM25F())
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, query: str, *, limit: int = DEFAULT_LIMIT, section: str | None = None,
               speaker: str | None = None, since: str | date | None = None,
               until: str | date | None = None, **options: Any) -> SearchResults:
        """Rank paragraphs matching ``query`` with BM25F; see :func:`newssearch.search.run_search`."""
        return run_search(self.searcher(), query, limit=limit, section=section, speaker=speaker,
                          since=since, until=until, **options)

    # ----------------------------------------------------------------- indexing

    def index_paths(self, paths: Iterable[str | os.PathLike[str]], *, options: ReadOptions = ReadOptions(),
                    progress: ProgressCallback | None = None) -> IndexReport:
        """Bring the index up to date with the article files under ``paths``.

        New and changed files are (re)indexed, unchanged ones skipped, and files recorded in
        the manifest that no longer exist are removed from the index.
        """
        started = time.perf_counter()
        report = IndexReport()
        files = list(find_article_files(paths))
        seen: set[str] = set()
        with self._writing() as batch:
            for path in sorted(p for p in self._manifest if not os.path.exists(p)):
                batch.remove_file(path)
                report.files_removed += 1
            for number, (file, root) in enumerate(files, 1):
                key = os.path.abspath(file)
                if key in seen:
                    continue
                seen.add(key)
                self._index_file(batch, file, root, key, options, report)
                if progress is not None:
                    progress(IndexProgress(number, len(files), report.paragraphs, str(file)))
        report.seconds = time.perf_counter() - started
        return report

    def add_articles(self, articles: Iterable[Article]) -> IndexReport:
        """Index articles given as objects, replacing any earlier version with the same id."""
        started = time.perf_counter()
        report = IndexReport()
        with self._writing() as batch:
            for article in articles:
                paragraphs = prepare_paragraphs(article)
                if not paragraphs:
                    report.problems.append(ReadProblem(article.path or article.id, "article has no paragraphs"))
                    continue
                batch.writer.delete_by_term(ARTICLE_ID, article.id)
                batch.add_paragraphs(article, paragraphs, article.path)
                report.articles += 1
                report.paragraphs += len(paragraphs)
        report.seconds = time.perf_counter() - started
        return report

    def _index_file(self, batch: _Batch, file: Path, root: Path, key: str, options: ReadOptions,
                    report: IndexReport) -> None:
        try:
            stat = file.stat()
        except OSError as error:
            report.problems.append(ReadProblem(str(file), error.strerror or str(error)))
            return
        known = self._manifest.get(key)
        if known and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
            report.files_unchanged += 1
            return
        digest = _sha256(file)
        if known and digest == known.sha256:
            known.mtime_ns = stat.st_mtime_ns
            batch.dirty = True
            report.files_unchanged += 1
            return
        read = read_file(file, root, options)
        report.problems.extend(read.problems)
        prepared = [(article, prepare_paragraphs(article)) for article in read.articles]
        for article, paragraphs in prepared:
            if not paragraphs:
                report.problems.append(ReadProblem(str(file), f"article {article.id!r} has no paragraphs"))
        prepared = [(article, paragraphs) for article, paragraphs in prepared if paragraphs]
        if not prepared:
            return  # nothing readable now: keep what the index had, retry on the next run
        batch.writer.delete_by_term(PATH, key)
        for article, paragraphs in prepared:
            batch.add_paragraphs(article, paragraphs, key)
        added = sum(len(paragraphs) for _, paragraphs in prepared)
        report.files_indexed += 1
        report.articles += len(prepared)
        report.paragraphs += added
        batch.record_file(key, _FileState(stat.st_size, stat.st_mtime_ns, digest or "", len(prepared), added))

    def _writing(self, wait: float = 0.0) -> _Batch:
        return _Batch(self, wait)

    # ----------------------------------------------------------------- metadata

    def _write_meta(self) -> None:
        meta = {
            "schema_version": SCHEMA_VERSION,
            "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "files": {p: vars(s) for p, s in sorted(self._manifest.items())},
        }
        temporary = self.location / f".{META_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        os.replace(temporary, self.location / META_FILE)

    def last_updated(self) -> str | None:
        """When the index was last written (ISO 8601, UTC), if known."""
        value = _read_meta(self.location).get("updated")
        return str(value) if value else None


class _Batch:
    """A writer that commits every COMMIT_EVERY_PARAGRAPHS paragraphs and at the end.

    The manifest records a file only once the commit holding its paragraphs has succeeded.
    On an exception the uncommitted part is cancelled; committed batches stay.
    """

    def __init__(self, index: NewsIndex, wait: float = 0.0) -> None:
        self.index = index
        self.lock = IndexLock(index.location, wait)
        self.lock.acquire()
        try:
            self.writer: IndexWriter = self._new_writer()
        except BaseException:
            self.lock.release()
            raise
        self.pending_files: dict[str, _FileState] = {}
        self.pending_paragraphs = 0
        self.dirty = False

    def _new_writer(self) -> IndexWriter:
        try:
            return self.index._ix.writer(limitmb=WRITER_LIMIT_MB)
        except LockError:
            raise IndexLockedError(
                f"the index at {self.index.location}/ is locked by another indexing process") from None

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        try:
            if exc_type is not None:
                self.writer.cancel()
            else:
                self.commit()
        finally:
            self.lock.release()

    def add_paragraphs(self, article: Article, paragraphs: Sequence[ParagraphDocumentInput], path: str) -> None:
        for paragraph, speakers in paragraphs:
            self.writer.add_document(**paragraph_document(article, paragraph, speakers, path))
        self.pending_paragraphs += len(paragraphs)
        self.dirty = True
        if self.pending_paragraphs >= COMMIT_EVERY_PARAGRAPHS:
            self.commit()
            self.writer = self._new_writer()

    def record_file(self, path: str, state: _FileState) -> None:
        self.pending_files[path] = state

    def remove_file(self, path: str) -> None:
        self.writer.delete_by_term(PATH, path)
        self.index._manifest.pop(path, None)
        self.dirty = True

    def commit(self) -> None:
        self.writer.commit()
        self.index._manifest.update(self.pending_files)
        self.pending_files = {}
        self.pending_paragraphs = 0
        if self.dirty:
            self.index._write_meta()
        self.dirty = False


def prepare_paragraphs(article: Article) -> list[ParagraphDocumentInput]:
    """Split an article into paragraphs and attribute each its speakers."""
    paragraphs = split_paragraphs(article.body)
    speakers = attribute_speakers([p.text for p in paragraphs], title=article.title) if paragraphs else []
    return list(zip(paragraphs, speakers))


def _read_meta(location: Path) -> dict[str, Any]:
    try:
        data = json.loads((location / META_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise NewssearchError(f"cannot read {location / META_FILE}: {error}") from None
    return data if isinstance(data, dict) else {}


def _sha256(file: Path) -> str | None:
    try:
        with open(file, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


# --------------------------------------------------------------------------- convenience


def index_paths(paths: Sequence[str | os.PathLike[str]] | None = None,
                location: str | os.PathLike[str] | None = None, *, rebuild: bool = False,
                options: ReadOptions = ReadOptions(), progress: ProgressCallback | None = None) -> IndexReport:
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
            return index.index_paths(targets, options=options, progress=progress)
    staging = index_dir.with_name(f".{index_dir.name}.rebuild-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with NewsIndex.open(staging, create=True) as index:
            report = index.index_paths(targets, options=options, progress=progress)
        _swap_in(staging, index_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _swap_in(staging: Path, index_dir: Path) -> None:
    """Replace ``index_dir``'s contents with ``staging``'s, keeping files such as .gitignore."""
    index_dir.mkdir(parents=True, exist_ok=True)
    old = index_dir.with_name(f".{index_dir.name}.old-{os.getpid()}")
    old.mkdir(exist_ok=True)
    for entry in index_dir.iterdir():
        if not entry.name.startswith("."):
            entry.rename(old / entry.name)
    for entry in staging.iterdir():
        entry.rename(index_dir / entry.name)
    shutil.rmtree(old, ignore_errors=True)
