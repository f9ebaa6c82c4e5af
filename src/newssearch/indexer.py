"""Writing to the index: plan what changed, build segments in parallel, commit in batches.

The plan compares the files under the given paths with the manifest (size and mtime, then
SHA-256) and splits the work into jobs: one per file, or one per span of about a megabyte of a
JSON Lines file. Worker processes (or, for small jobs, this process) read, split and attribute
the articles and write paragraph documents into whoosh segments of their own. Every so often the
workers finish their segments and this process publishes them in one atomic commit, together
with the deletion of the old paragraphs of files that are now complete; the manifest is written
after each commit. A run killed at any point leaves the last commit, which searches keep
serving, and the next run redoes only what that commit lacks.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import queue
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newssearch._segments import FastSegmentWriter, commit_segments, segment_ids
from newssearch._whoosh import whoosh_imports
from newssearch.articles import (
    JSONL_SUFFIXES, Article, ReadOptions, ReadProblem, find_article_files, json_lines_spans, read_file,
)
from newssearch.errors import NewssearchError
from newssearch.index_folder import remove_leftovers, remove_unused_files
from newssearch.integrity import record_segments
from newssearch.lock import close_inherited_locks
from newssearch.manifest import FileState, Manifest, PendingCommit, committed_generation, settle_pending
from newssearch.paragraphs import Paragraph, split_paragraphs
from newssearch.schema import ARTICLE_ID, PATH, WORD_LIST_FIELDS, paragraph_document
from newssearch.speakers import attribute_speakers

with whoosh_imports():
    from whoosh import index as whoosh_index

JSONL_SPAN_BYTES = 1 << 20
COMMITS_PER_RUN = 4
MIN_COMMIT_BYTES = 16 << 20
COMMIT_BYTES_ENV = "NEWSSEARCH_COMMIT_BYTES"  # tests lower it to force many commits
SMALL_RUN_BYTES = 1 << 20  # below this, worker processes cost more than they save
MAX_JOBS = 8
ATTRIBUTION_WINDOW_CHARS = 200_000  # far beyond any real article
MAX_SEGMENT_POSTINGS = 6_000_000  # about 100 MB of postings held by one worker
_OUTSTANDING_PER_WORKER = 2
_FLUSH = "flush"
_PR_SET_PDEATHSIG = 1  # prctl option, from <linux/prctl.h>


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
    commits: int = 0
    workers: int = 1
    stale_lock_pid: int | None = None

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
    """Passed to a progress callback as work completes."""

    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    articles: int
    paragraphs: int
    seconds: float


ProgressCallback = Callable[[IndexProgress], None]


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class PlannedFile:
    """A new or changed file to index."""

    key: str  # absolute path: the manifest key and the PATH field
    path: str
    root: str
    state: FileState


@dataclass
class Plan:
    """What a run has to do."""

    files: list[PlannedFile] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    touched: dict[str, FileState] = field(default_factory=dict)  # same content, new mtime
    problems: list[ReadProblem] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # paths of a file already listed (links)


def make_plan(paths: Iterable[str | os.PathLike[str]], manifest: Manifest,
              options: ReadOptions = ReadOptions()) -> Plan:
    """Compare the files under ``paths`` with the manifest.

    A file is read again when its content changed or when it would be read otherwise (another
    folder for its id, another default section or date). A file or folder that exists but cannot
    be read keeps its indexed paragraphs and is reported; only a file that is gone is removed.
    The same file reached twice (a link to it) is indexed once.
    """
    plan = Plan()
    unlisted: list[tuple[Path, OSError]] = []
    seen: dict[tuple[int, int], str] = {}
    for file, root in find_article_files(paths, unlisted):
        key = os.path.abspath(file)
        try:
            stat = file.stat()
        except OSError as error:
            plan.problems.append(_kept(file, error))
            continue
        identity = (stat.st_dev, stat.st_ino)
        if identity in seen:
            if seen[identity] != key:
                plan.problems.append(ReadProblem(str(file), f"the same file as {seen[identity]} (a link); indexed once",
                                                 skipped=False))
                plan.duplicates.append(key)
            continue
        seen[identity] = key
        planned = _plan_file(file, root, key, stat, manifest.files.get(key), read_as(root, options), plan)
        if planned is not None:
            plan.files.append(planned)
    for folder, error in unlisted:
        plan.problems.append(ReadProblem(str(folder), f"cannot list this folder ({error.strerror or error}); "
                                         f"the paragraphs indexed from it are kept", unreadable=True))
    listed = set(seen.values())
    plan.removed = sorted({key for key in manifest.files if key not in listed and _gone(key, unlisted, plan)}
                          | {key for key in plan.duplicates if key in manifest.files})
    return plan


def _plan_file(file: Path, root: Path, key: str, stat: os.stat_result, known: FileState | None,
               reading: dict[str, Any], plan: Plan) -> PlannedFile | None:
    """The file to read, or None when the index holds it as it is (counted as unchanged)."""
    same_reading = known is not None and (known.read_as is None or known.read_as == reading)
    if known and same_reading and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
        plan.unchanged += 1
        return None
    try:
        digest = _sha256(file)
    except OSError as error:
        plan.problems.append(_kept(file, error))
        return None
    if known and same_reading and digest == known.sha256:
        plan.unchanged += 1
        plan.touched[key] = replace(known, size=stat.st_size, mtime_ns=stat.st_mtime_ns, read_as=reading)
        return None
    return PlannedFile(key, str(file), str(root), FileState(stat.st_size, stat.st_mtime_ns, digest, 0, 0, reading))


def read_as(root: Path, options: ReadOptions) -> dict[str, Any]:
    """How a file under ``root`` is read with ``options``: what decides its ids and defaults."""
    return {"root": os.path.abspath(root), "section": options.section,
            "date": options.date.isoformat() if options.date else None,
            "section_from_folder": options.section_from_folder}


def _kept(file: Path, error: OSError) -> ReadProblem:
    reason = error.strerror or str(error)
    if isinstance(error, FileNotFoundError):
        reason = "no such file (a broken link?)"
    return ReadProblem(str(file), f"cannot read ({reason}); the paragraphs indexed from it are kept",
                       unreadable=True)


def _gone(key: str, unlisted: list[tuple[Path, OSError]], plan: Plan) -> bool:
    """Whether an indexed file no longer exists. A file that cannot be looked at (a folder on its
    way that cannot be entered or listed, an I/O error, a mount that went away) is not gone."""
    try:
        os.stat(key)
    except (FileNotFoundError, NotADirectoryError):
        path = Path(key)
        folders = [Path(os.path.abspath(folder)) for folder, _ in unlisted]
        return not any(folder == path or folder in path.parents for folder in folders)
    except OSError as error:
        plan.problems.append(_kept(Path(key), error))
        return False
    return False


def _sha256(file: Path) -> str:
    with open(file, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True)
class Job:
    """One unit of work: a file, or a span of a JSON Lines file."""

    key: str
    path: str
    root: str
    size: int
    span: tuple[int, int] | None = None
    first_line: int = 1


def make_jobs(files: Sequence[PlannedFile]) -> list[Job]:
    """Jobs for the planned files, large JSON Lines files cut into spans."""
    jobs: list[Job] = []
    for planned in files:
        path = Path(planned.path)
        if path.suffix.lower() in JSONL_SUFFIXES and planned.state.size > JSONL_SPAN_BYTES:
            try:
                spans = json_lines_spans(path, JSONL_SPAN_BYTES)
            except OSError:
                spans = []
            if spans:
                jobs.extend(Job(planned.key, planned.path, planned.root, end - start, (start, end), line)
                            for start, end, line in spans)
                continue
        jobs.append(Job(planned.key, planned.path, planned.root, planned.state.size))
    return jobs


# --------------------------------------------------------------------------- building segments


@dataclass
class JobResult:
    """What a job added to its worker's segment."""

    key: str
    size: int
    articles: int = 0
    paragraphs: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    unreadable: bool = False  # the file could not be read (part of it, for a span)
    start: int = 0  # where the job's span starts in the file, to put article ids in file order
    article_ids: list[str] = field(default_factory=list)
    renamed: list[ReadProblem] = field(default_factory=list)  # articles given a new id (also in problems)


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


def unique_id(article_id: str, used: Iterable[str]) -> str:
    """``article_id~N`` with the least N from 2 that is not in ``used``."""
    taken = set(used)
    number = 2
    while f"{article_id}~{number}" in taken:
        number += 1
    return f"{article_id}~{number}"


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


class SegmentBuilder:
    """Turns articles into paragraph documents in a whoosh segment of its own."""

    def __init__(self, location: Path, options: ReadOptions = ReadOptions()) -> None:
        self.location = location
        self.options = options
        self._writer: FastSegmentWriter | None = None
        self._finished: list[Any] = []

    def run(self, job: Job, taken: dict[str, str] | None = None) -> JobResult:
        """Read the job's articles and add their paragraphs.

        An article whose id another article of the job has, or that ``taken`` assigns to
        another file, gets a new one (``id~2``), reported as a warning: paragraph ids stay unique.
        """
        read = read_file(job.path, job.root, self.options, span=job.span, first_line=job.first_line)
        result = JobResult(job.key, job.size, problems=list(read.problems),
                           unreadable=any(p.unreadable for p in read.problems), start=job.span[0] if job.span else 0)
        taken = taken or {}
        used: set[str] = set()
        for article in read.articles:
            if article.id in used or article.id in taken:
                owner = "another article of this file" if article.id in used else taken[article.id]
                new_id = unique_id(article.id, used | taken.keys())
                result.renamed.append(ReadProblem(job.path, f"article id {article.id!r} is already used by {owner}; "
                                                  f"indexed as {new_id!r}", skipped=False))
                result.problems.append(result.renamed[-1])
                article = replace(article, id=new_id)
            used.add(article.id)
            added = self.add_article(article, job.key)
            if added:
                result.articles += 1
                result.paragraphs += added
                result.article_ids.append(article.id)
            else:
                result.problems.append(ReadProblem(job.path, f"article {article.id!r} has no paragraphs"))
        return result

    def add_article(self, article: Article, path: str) -> int:
        """Add an article's paragraphs; return how many."""
        prepared = prepare_paragraphs(article)
        if prepared:
            writer = self._current_writer()
            for paragraph, speakers in prepared:
                writer.add_document(**paragraph_document(article, paragraph, speakers, path))
            if writer.posting_count >= MAX_SEGMENT_POSTINGS:  # bound memory: start another segment
                self._finish_current()
        return len(prepared)

    def _finish_current(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            if writer._added:
                self._finished.append(writer.finish_segment())
            else:
                writer.cancel()
        del writer
        gc.collect()  # the one collection while indexing pauses the collector (see collection_paused)

    def _current_writer(self) -> FastSegmentWriter:
        if self._writer is None:
            with whoosh_imports():
                ix = whoosh_index.open_dir(str(self.location))
            self._writer = FastSegmentWriter(ix, WORD_LIST_FIELDS, _lk=False)
        return self._writer

    def finish(self) -> list[Any]:
        """Complete the current segment; return the segments written since the last call."""
        self._finish_current()
        finished, self._finished = self._finished, []
        return finished

    def cancel(self) -> None:
        """Drop the current, unfinished segment (finished ones are left for the next commit to clean)."""
        writer, self._writer = self._writer, None
        self._finished = []
        if writer is not None:
            writer.cancel()


# --------------------------------------------------------------------------- workers


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector.

    Indexing creates millions of small objects (postings) that live until their segment is
    written; the collector's repeated passes over them took about 8% of indexing time. A finished
    segment writer is freed by reference counting (``_whoosh`` mends the cycle that kept it), and
    ``SegmentBuilder`` collects whatever cyclic garbage is left once each segment is written.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _InlineWorkers:
    """Runs jobs in this process, one at a time."""

    def __init__(self, location: Path, options: ReadOptions) -> None:
        self.count = 1
        self._builder = SegmentBuilder(location, options)
        self._queued: deque[Job] = deque()

    def free_slots(self) -> int:
        return 0 if self._queued else 1

    def submit(self, job: Job) -> None:
        self._queued.append(job)

    def next_result(self) -> JobResult:
        return self._builder.run(self._queued.popleft())

    def request_flush(self) -> None:
        """Nothing to do ahead: ``flush`` finishes the segment."""

    def flush(self) -> list[Any]:
        return self._builder.finish()

    def close(self, cancel: bool = False) -> None:
        if cancel:
            self._builder.cancel()


class _ProcessWorkers:
    """Runs jobs in worker processes, each writing its own segment; at most two jobs queued each."""

    def __init__(self, location: Path, options: ReadOptions, count: int) -> None:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self.count = count
        self._results: Any = context.Queue()
        self._inboxes = [context.Queue() for _ in range(count)]
        self._outstanding = [0] * count
        self._segments: list[Any] = []  # finished since the last flush
        self._flushed = 0                # workers whose segment for the next commit has come
        self._flush_requested = False
        self._processes = [
            context.Process(target=_worker_main, args=(location, options, inbox, self._results, os.getpid()),
                            daemon=True, name=f"newssearch-indexer-{n}")
            for n, inbox in enumerate(self._inboxes)
        ]
        for process in self._processes:  # all started before any queue is used (no threads yet)
            process.start()

    def free_slots(self) -> int:
        return sum(_OUTSTANDING_PER_WORKER - n for n in self._outstanding)

    def submit(self, job: Job) -> None:
        worker = min(range(self.count), key=self._outstanding.__getitem__)
        self._outstanding[worker] += 1
        self._inboxes[worker].put((worker, job))

    def next_result(self) -> JobResult:
        while True:
            kind, worker, payload = self._receive()
            if kind == "segment":  # a worker that finished its jobs early has finished its segment
                self._keep_segments(payload)
                continue
            if kind != "result":
                raise NewssearchError(f"indexing worker sent {kind!r} when a result was expected")
            self._outstanding[worker] -= 1
            return payload

    def request_flush(self) -> None:
        """Ask every worker to finish its segment once its queued jobs are done, so that a worker
        that finishes first does not wait for the others before writing its segment."""
        if not self._flush_requested:
            for inbox in self._inboxes:
                inbox.put(_FLUSH)
            self._flush_requested = True

    def flush(self) -> list[Any]:
        self.request_flush()
        while self._flushed < self.count:
            kind, _worker, payload = self._receive()
            if kind != "segment":
                raise NewssearchError(f"indexing worker sent {kind!r} when a segment was expected")
            self._keep_segments(payload)
        segments, self._segments = self._segments, []
        self._flushed, self._flush_requested = 0, False
        return segments

    def _keep_segments(self, segments: list[Any]) -> None:
        self._segments.extend(segments)
        self._flushed += 1

    def _receive(self) -> tuple[str, int, Any]:
        while True:
            try:
                kind, worker, payload = self._results.get(timeout=1.0)
            except queue.Empty:
                dead = [p for p in self._processes if not p.is_alive()]
                if dead:
                    raise NewssearchError(f"indexing worker {dead[0].name} died (exit code {dead[0].exitcode})") from None
                continue
            if kind == "error":
                raise NewssearchError(f"indexing worker failed: {payload}")
            return kind, worker, payload

    def close(self, cancel: bool = False) -> None:
        for inbox in self._inboxes:
            try:
                inbox.put(None)
            except (OSError, ValueError):
                pass
        for process in self._processes:
            process.join(timeout=5 if not cancel else 1)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
        for q in (*self._inboxes, self._results):
            q.close()
            q.join_thread()


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the indexer dies (Linux), so that no worker runs on
    after a ``kill -9`` of the indexer released the lock; elsewhere, workers notice between jobs."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the indexer died before the request took effect
        os._exit(1)


def _worker_main(location: Path, options: ReadOptions, inbox: Any, outbox: Any, parent: int) -> None:
    """A worker process: run jobs into its own segment; finish the segment on FLUSH; stop on None."""
    close_inherited_locks()
    _die_with(parent)
    gc.freeze()   # what the parent had: never garbage here
    gc.disable()  # for good: SegmentBuilder collects when it finishes a segment (see collection_paused)
    builder = SegmentBuilder(location, options)
    worker = -1
    try:
        while True:
            try:
                message = inbox.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != parent:  # the indexer died: stop, leaving nothing committed
                    builder.cancel()
                    return
                continue
            if message is None:
                builder.cancel()
                return
            if message == _FLUSH:
                outbox.put(("segment", worker, builder.finish()))
                continue
            worker, job = message
            outbox.put(("result", worker, builder.run(job)))
    except BaseException as error:  # report, do not hang the parent
        builder.cancel()
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        outbox.put(("error", worker, last))


# --------------------------------------------------------------------------- running


class IndexRun:
    """One incremental indexing run over a locked index folder."""

    def __init__(self, location: Path, manifest: Manifest, options: ReadOptions = ReadOptions(),
                 jobs: int | None = None, progress: ProgressCallback | None = None) -> None:
        self.location = location
        self.manifest = manifest
        self.options = options
        self.jobs = jobs
        self.progress = progress
        self.report = IndexReport()
        self._started = time.perf_counter()
        self._bytes_done = 0
        self._bytes_total = 0
        self._files_done = 0
        self._files_total = 0
        self._ids: dict[str, list[tuple[int, list[str]]]] = {}  # file -> (span start, article ids) per job
        self._unreadable: set[str] = set()  # files a job could not read (their old paragraphs stay)

    def run(self, paths: Iterable[str | os.PathLike[str]]) -> IndexReport:
        """Index what changed under ``paths`` and drop files that are gone."""
        tidy_folder(self.location, self.manifest)
        plan = make_plan(paths, self.manifest, self.options)
        self.report.files_unchanged = plan.unchanged
        self.report.problems.extend(plan.problems)
        self.manifest.files.update(plan.touched)
        jobs = make_jobs(plan.files)
        with collection_paused():  # for the whole run: re-enabled between jobs, the collector
            self._execute(plan, jobs)  # passed over every posting held in memory
        self.report.seconds = time.perf_counter() - self._started
        return self.report

    def _execute(self, plan: Plan, jobs: list[Job]) -> None:
        total_bytes = self._bytes_total = sum(job.size for job in jobs)
        self._files_total = len(plan.files)
        owners = _article_owners(self.manifest, {f.key for f in plan.files} | set(plan.removed))
        workers = self._start_workers(total_bytes)
        self.report.workers = workers.count
        commit_bytes = _commit_bytes(total_bytes)
        old_segments = segment_ids(_open(self.location))
        remaining = {f.key: 0 for f in plan.files}
        for job in jobs:
            remaining[job.key] += 1
        states = {f.key: f.state for f in plan.files}
        done: dict[str, FileState] = {}
        deletions = [(PATH, key) for key in plan.removed]
        pending = deque(jobs)
        outstanding = since_commit = 0
        try:
            while pending or outstanding:
                while pending and workers.free_slots() and since_commit < commit_bytes:
                    workers.submit(pending.popleft())
                    outstanding += 1
                if not pending or since_commit >= commit_bytes:  # no more jobs before the next commit
                    workers.request_flush()
                if outstanding:
                    result = workers.next_result()
                    outstanding -= 1
                    since_commit += result.size
                    self._record(result, states, remaining, done)
                if since_commit >= commit_bytes and not outstanding:
                    self._commit(workers, done, deletions, old_segments, plan.removed, merge=False)
                    since_commit = 0
            split = {key for key in self._unreadable if remaining.get(key) == 0 and len(self._ids.get(key, ())) > 1}
            clashes = _id_clashes(plan.files, {key: states[key] for key in states if key not in self._unreadable}, owners)
            self._commit(workers, done, deletions, old_segments, plan.removed, merge=not (split or clashes))
        except BaseException:
            workers.close(cancel=True)
            raise
        workers.close()
        if split or clashes:
            for key in split:  # counted when read; dropped by _read_again
                self.report.articles -= states[key].articles
                self.report.paragraphs -= states[key].paragraphs
            self._read_again(plan, clashes, split, old_segments)

    def _start_workers(self, total_bytes: int) -> _InlineWorkers | _ProcessWorkers:
        """As many workers as asked; by default one per CPU, or none for small runs."""
        count = self.jobs
        if count is None:
            count = 1 if total_bytes < SMALL_RUN_BYTES else min(os.cpu_count() or 1, MAX_JOBS)
        if count <= 1:
            return _InlineWorkers(self.location, self.options)
        return _ProcessWorkers(self.location, self.options, count)

    def _record(self, result: JobResult, states: dict[str, FileState], remaining: dict[str, int],
                done: dict[str, FileState]) -> None:
        """Take a job's result; a file whose jobs are all done is complete, unless part of it
        could not be read (then the index keeps its old paragraphs)."""
        self.report.problems.extend(result.problems)
        key = result.key
        state = states[key]
        state.articles += result.articles
        state.paragraphs += result.paragraphs
        self._ids.setdefault(key, []).append((result.start, result.article_ids))
        if result.unreadable:
            self._unreadable.add(key)
        remaining[key] -= 1
        self._bytes_done += result.size
        if remaining[key] == 0:
            self._files_done += 1
            state.article_ids = [i for _, ids in sorted(self._ids[key], key=itemgetter(0)) for i in ids]
            if key not in self._unreadable:
                done[key] = state
                self._note_emptied(key, state)
        self.report.articles += result.articles
        self.report.paragraphs += result.paragraphs
        if self.progress is not None:
            self.progress(IndexProgress(self._bytes_done, self._bytes_total, self._files_done, self._files_total,
                                        self.report.articles, self.report.paragraphs,
                                        time.perf_counter() - self._started))

    def _note_emptied(self, key: str, state: FileState) -> None:
        """A file read again that yields nothing any more loses its paragraphs: say so."""
        before = self.manifest.files.get(key)
        if not state.paragraphs and before is not None and before.paragraphs:
            self.report.problems.append(ReadProblem(key, f"no article read from it now; the {before.paragraphs:,} "
                                                    f"paragraphs indexed from it before are removed"))

    def _commit(self, workers: _InlineWorkers | _ProcessWorkers, done: dict[str, FileState],
                deletions: list[tuple[str, str]], old_segments: frozenset[str], removed: list[str],
                merge: bool) -> None:
        """Publish the workers' segments; complete files replace their old paragraphs.

        ``deletions`` (the paragraphs of removed files) and ``removed`` are consumed by the first
        commit; ``done`` files are recorded in the manifest once their commit has succeeded.
        """
        segments = workers.flush()
        complete = dict(done)
        terms = deletions + [(PATH, key) for key in complete]
        if segments or terms:
            self._publish(segments, terms, old_segments, complete, list(removed), merge)
        for key in removed:
            if self.manifest.files.pop(key, None) is not None:
                self.report.files_removed += 1
        deletions.clear()
        removed.clear()
        self.manifest.files.update(complete)
        self.report.files_indexed += sum(1 for state in complete.values() if state.paragraphs)
        done.clear()
        self.manifest.save(self.location)

    def _publish(self, segments: list[Any], terms: list[tuple[str, str]], delete_from: frozenset[str],
                 complete: dict[str, FileState], removed: list[str], merge: bool) -> None:
        """One commit, announced in the manifest first (see :mod:`newssearch.manifest`)."""
        pending = PendingCommit(committed_generation(self.location) + 1, complete, removed)
        self.manifest.save(self.location, pending)
        ix = _open(self.location)
        published = commit_segments(ix, segments, terms, delete_from, merge=merge)
        record_segments(self.location, self.manifest, published, ix.schema)
        self.report.commits += 1

    def _read_again(self, plan: Plan, clashes: dict[str, dict[str, str]], split: set[str],
                    old_segments: frozenset[str]) -> None:
        """After the run's last commit: files whose article ids clash are read again (in this
        process) with new ids for the clashing articles, and a file that could be read only in
        part loses the paragraphs this run added, keeping its old ones."""
        builder = SegmentBuilder(self.location, self.options)
        states: dict[str, FileState] = {}
        try:
            for planned in plan.files:
                if planned.key in clashes:
                    result = builder.run(Job(planned.key, planned.path, planned.root, planned.state.size),
                                         taken=clashes[planned.key])
                    self.report.problems.extend(result.renamed)
                    states[planned.key] = replace(planned.state, articles=result.articles,
                                                  paragraphs=result.paragraphs, article_ids=result.article_ids)
            segments = builder.finish()
        except BaseException:
            builder.cancel()
            raise
        this_run = segment_ids(_open(self.location)) - old_segments
        self._publish(segments, [(PATH, key) for key in [*states, *split]], this_run, states, [], merge=True)
        self.manifest.files.update(states)
        self.manifest.save(self.location)


def _article_owners(manifest: Manifest, leaving: set[str]) -> dict[str, str]:
    """Article id -> the file holding it, for the files this run leaves as they are."""
    return {article_id: path for path, state in manifest.files.items() if path not in leaving
            for article_id in state.article_ids}


def _id_clashes(files: list[PlannedFile], read: dict[str, FileState], owners: dict[str, str]) -> dict[str, dict[str, str]]:
    """Files read in this run whose article ids another file already holds (the file the index
    kept, or one earlier in the run's order), each with the ids it must not use and their owners.
    A file's own repeated ids are renamed by the reader itself."""
    claimed = dict(owners)
    clashes: dict[str, dict[str, str]] = {}
    for planned in files:
        state = read.get(planned.key)
        if state is None:  # not read: nothing of it is kept
            continue
        seen: set[str] = set()
        for article_id in state.article_ids:
            owner = claimed.setdefault(article_id, planned.key)
            if owner != planned.key or article_id in seen:  # another file's, or twice in this one (two spans)
                clashes.setdefault(planned.key, {})
            seen.add(article_id)
    for key in clashes:
        clashes[key] = {i: o for i, o in claimed.items() if o != key}
    return clashes


def tidy_folder(location: Path, manifest: Manifest) -> None:
    """Before a run (under the lock): remove what a killed run left — a rebuild's staging folder,
    temporary files, segment files no table of contents names — and record the segments whose
    commit was not followed by its manifest update."""
    remove_leftovers(location)
    ix = _open(location)
    segments = ix._segments()
    remove_unused_files(location, committed_generation(location), [s.segment_id() for s in segments])
    if any(segment.segment_id() not in manifest.segments for segment in segments):
        record_segments(location, manifest, segments, ix.schema)
        manifest.save(location)


def add_articles(location: Path, articles: Iterable[Article]) -> IndexReport:
    """Index article objects in this process, replacing earlier versions with the same ids."""
    started = time.perf_counter()
    tidy_folder(location, Manifest.load(location))
    report = IndexReport()
    builder = SegmentBuilder(location)
    ids: list[str] = []
    try:
        with collection_paused():
            for article in articles:
                added = builder.add_article(article, article.path)
                if not added:
                    report.problems.append(ReadProblem(article.path or article.id, "article has no paragraphs"))
                    continue
                ids.append(article.id)
                report.articles += 1
                report.paragraphs += added
            segments = builder.finish()
    except BaseException:
        builder.cancel()
        raise
    settle_pending(location)  # a pending change left by a killed run refers to the next generation
    ix = _open(location)
    published = commit_segments(ix, segments, [(ARTICLE_ID, i) for i in ids], segment_ids(ix), merge=True)
    manifest = Manifest.load(location)
    record_segments(location, manifest, published, ix.schema)
    manifest.save(location)
    report.commits = 1
    report.seconds = time.perf_counter() - started
    return report


def _commit_bytes(total_bytes: int) -> int:
    override = os.environ.get(COMMIT_BYTES_ENV)
    if override:
        return max(1, int(override))
    return max(MIN_COMMIT_BYTES, total_bytes // COMMITS_PER_RUN + 1)


def _open(location: Path) -> Any:
    with whoosh_imports():
        return whoosh_index.open_dir(str(location))
