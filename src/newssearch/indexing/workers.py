"""Building segments: a job's articles read, split into paragraphs, attributed their speakers and
added to a segment of the worker's own; the workers, in this process for small runs or in worker
processes that die with the indexer.
"""
from __future__ import annotations

from newssearch.ingest.pipeline import prepare_paragraphs

import ctypes
import gc
import multiprocessing
import os
import queue
import signal
import sys
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from newssearch.backends.base import IndexWriter, SegmentWriter
from newssearch.ingest.read import read_file
from newssearch.models import Article, ReadOptions, ReadProblem
from newssearch.errors import NewssearchError
from newssearch.indexing.lock import close_inherited_locks
from newssearch.schema import paragraph_document


from newssearch.indexing.plan import Job
MAX_SEGMENT_POSTINGS = 6_000_000  # about 100 MB of postings held by one worker
_OUTSTANDING_PER_WORKER = 2
_FLUSH = "flush"
_PR_SET_PDEATHSIG = 1  # prctl option, from <linux/prctl.h>



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


def unique_id(article_id: str, used: Iterable[str]) -> str:
    """``article_id~N`` with the least N from 2 that is not in ``used``."""
    taken = set(used)
    number = 2
    while f"{article_id}~{number}" in taken:
        number += 1
    return f"{article_id}~{number}"


class SegmentBuilder:
    """Turns articles into paragraph documents in a segment of its own."""

    def __init__(self, writer: IndexWriter, options: ReadOptions = ReadOptions()) -> None:
        self.index_writer = writer
        self.options = options
        self._writer: SegmentWriter | None = None
        self._finished: list[object] = []

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
            if writer.has_documents:
                self._finished.append(writer.finish())
            else:
                writer.cancel()
        del writer
        gc.collect()  # the one collection while indexing pauses the collector (see collection_paused)

    def _current_writer(self) -> SegmentWriter:
        if self._writer is None:
            self._writer = self.index_writer.segment_writer()
        return self._writer

    def finish(self) -> list[object]:
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

    def __init__(self, writer: IndexWriter, options: ReadOptions) -> None:
        self.count = 1
        self._builder = SegmentBuilder(writer, options)
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

    def __init__(self, writer: IndexWriter, options: ReadOptions, count: int) -> None:
        context: Any = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self.count = count
        self._results: Any = context.Queue()
        self._inboxes = [context.Queue() for _ in range(count)]
        self._outstanding = [0] * count
        self._segments: list[Any] = []  # finished since the last flush
        self._flushed = 0                # workers whose segment for the next commit has come
        self._flush_requested = False
        self._processes = [
            context.Process(target=_worker_main, args=(writer, options, inbox, self._results, os.getpid()),
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


def _worker_main(writer: IndexWriter, options: ReadOptions, inbox: Any, outbox: Any, parent: int) -> None:
    """A worker process: run jobs into its own segment; finish the segment on FLUSH; stop on None."""
    close_inherited_locks()
    _die_with(parent)
    gc.freeze()   # what the parent had: never garbage here
    gc.disable()  # for good: SegmentBuilder collects when it finishes a segment (see collection_paused)
    builder = SegmentBuilder(writer, options)
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


