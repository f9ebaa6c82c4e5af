"""One indexing run: plan what changed, build segments in parallel, commit in batches.

Worker processes (or, for small jobs, this process) read, split and attribute the articles and
write paragraph documents into segments of their own. Every so often the workers finish their
segments and this process publishes them in one atomic commit, together with the deletion of the
old paragraphs of files that are now complete; the manifest is written before (as pending) and
after each commit. A run killed at any point leaves the last commit, which searches keep
serving, and the next run redoes only what that commit lacks.
"""
from __future__ import annotations

from newssearch.models import IndexProgress, IndexReport  # noqa: F401  (defined there; imported from here too)

import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from operator import itemgetter
from dataclasses import replace
from typing import Any

from newssearch.backends.base import IndexWriter
from newssearch.models import Article, ReadOptions, ReadProblem
from newssearch.indexing.manifest import FileState, Manifest, PendingCommit, committed_generation, settle_pending
from newssearch.schema import ARTICLE_ID, PATH


from newssearch.indexing.plan import Job, Plan, PlannedFile, make_jobs, make_plan
from newssearch.indexing.workers import JobResult, SegmentBuilder, _InlineWorkers, _ProcessWorkers, collection_paused
COMMITS_PER_RUN = 4
MIN_COMMIT_BYTES = 16 << 20
COMMIT_BYTES_ENV = "NEWSSEARCH_COMMIT_BYTES"  # tests lower it to force many commits
SMALL_RUN_BYTES = 1 << 20  # below this, worker processes cost more than they save
MAX_JOBS = 8


ProgressCallback = Callable[[IndexProgress], None]


class IndexRun:
    """One incremental indexing run over a locked index folder."""

    def __init__(self, writer: IndexWriter, manifest: Manifest, options: ReadOptions = ReadOptions(),
                 jobs: int | None = None, progress: ProgressCallback | None = None) -> None:
        self.writer = writer
        self.location = writer.location
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
        self.writer.tidy(self.manifest)
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
        owners = article_owners(self.manifest, {f.key for f in plan.files} | set(plan.removed))
        workers = self._start_workers(total_bytes)
        self.report.workers = workers.count
        commit_bytes = _commit_bytes(total_bytes)
        old_segments = self.writer.segment_ids()
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
            return _InlineWorkers(self.writer, self.options)
        return _ProcessWorkers(self.writer, self.options, count)

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
        """One commit, announced in the manifest first (see :mod:`newssearch.indexing.manifest`)."""
        pending = PendingCommit(committed_generation(self.location) + 1, complete, removed)
        self.manifest.save(self.location, pending)
        self.writer.commit(segments, terms, delete_from, self.manifest, merge=merge)
        self.report.commits += 1

    def _read_again(self, plan: Plan, clashes: dict[str, dict[str, str]], split: set[str],
                    old_segments: frozenset[str]) -> None:
        """After the run's last commit: files whose article ids clash are read again (in this
        process) with new ids for the clashing articles, and a file that could be read only in
        part loses the paragraphs this run added, keeping its old ones."""
        builder = SegmentBuilder(self.writer, self.options)
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
        this_run = self.writer.segment_ids() - old_segments
        self._publish(segments, [(PATH, key) for key in [*states, *split]], this_run, states, [], merge=True)
        self.manifest.files.update(states)
        self.manifest.save(self.location)


def article_owners(manifest: Manifest, leaving: set[str]) -> dict[str, str]:
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


def add_articles(writer: IndexWriter, articles: Iterable[Article]) -> IndexReport:
    """Index article objects in this process, replacing earlier versions with the same ids."""
    started = time.perf_counter()
    location = writer.location
    writer.tidy(Manifest.load(location))
    report = IndexReport()
    builder = SegmentBuilder(writer)
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
    manifest = Manifest.load(location)
    writer.commit(segments, [(ARTICLE_ID, i) for i in ids], writer.segment_ids(), manifest, merge=True)
    manifest.save(location)
    report.commits = 1
    report.seconds = time.perf_counter() - started
    return report


def _commit_bytes(total_bytes: int) -> int:
    override = os.environ.get(COMMIT_BYTES_ENV)
    if override:
        return max(1, int(override))
    return max(MIN_COMMIT_BYTES, total_bytes // COMMITS_PER_RUN + 1)
