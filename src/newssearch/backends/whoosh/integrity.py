"""Is the index what its commits wrote? Segment records, the cheap check on opening, and ``check``.

After each commit the indexer records every new segment's files with their sizes and SHA-256
checksums, and the source files whose paragraphs the segment holds (:func:`record_segments`).
Opening an index compares only the sizes (:func:`check_sizes`, a ``stat`` per file);
``newssearch check`` (:func:`verify`) reads every file against its checksum and compares the
index with the manifest: paragraphs per file, unique paragraph ids, files on either side only.
``newssearch check --repair`` (:mod:`~newssearch.backends.whoosh.repair`) re-indexes exactly
the files whose paragraphs are affected.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.errors import IndexDamagedError
from newssearch.indexing.check import CheckReport
from newssearch.indexing.folder import committed_generation, segment_files
from newssearch.indexing.manifest import Manifest, SegmentState
from newssearch.schema import PATH, PID

with whoosh_imports():
    from whoosh.reading import SegmentReader


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def record_segments(location: Path, manifest: Manifest, segments: list[Any], schema: Any) -> None:
    """Record the files, sizes, checksums and sources of ``segments`` (those of the latest TOC)
    that the manifest does not know yet, and forget segments that left the index."""
    current = {segment.segment_id(): segment for segment in segments}
    for segment_id in [known for known in manifest.segments if known not in current]:
        del manifest.segments[segment_id]
    for segment_id, segment in current.items():
        if segment_id in manifest.segments:
            continue
        files = {name: [os.path.getsize(location / name), file_sha256(location / name)]
                 for name in segment_files(location, segment_id)}
        manifest.segments[segment_id] = SegmentState(files, segment_sources(location, segment, schema))


def segment_sources(location: Path, segment: Any, schema: Any) -> list[str]:
    """The source paths of a segment's paragraphs, from its term index (no stored fields read)."""
    from whoosh.filedb.filestore import FileStorage  # noqa: PLC0415

    with whoosh_imports():
        reader = SegmentReader(FileStorage(str(location)), schema, segment)
        try:
            return sorted(_text(term) for term in reader.lexicon(PATH))
        finally:
            reader.close()


def check_sizes(location: Path, manifest: Manifest, ix: Any) -> None:
    """Raise :class:`IndexDamagedError` when a recorded segment file of the latest TOC is missing
    or not the size its commit wrote (truncated, or overwritten). Segments the manifest does not
    record yet (a run killed just after its commit) are not checked. A file that vanished because
    a commit replaced the TOC meanwhile is not damage: the newer TOC is checked instead."""
    for _attempt in range(_RETRIES):
        generation = committed_generation(location)
        with whoosh_imports():
            segments = ix._segments()
        problem = _first_size_problem(location, manifest, segments)
        if problem is None:
            return
        if committed_generation(location) == generation:
            raise IndexDamagedError(f"the index at {location}/ is damaged: {problem}; run `newssearch check`")
    raise IndexDamagedError(f"the index at {location}/ changed {_RETRIES} times while it was opened; try again")


_RETRIES = 10


def _first_size_problem(location: Path, manifest: Manifest, segments: list[Any]) -> str | None:
    for segment in segments:
        record = manifest.segments.get(segment.segment_id())
        if record is None:
            continue
        for name, (size, _digest) in record.files.items():
            problem = _size_problem(location / name, size)
            if problem:
                return f"{name} {problem}"
    return None


def _size_problem(path: Path, size: int) -> str | None:
    try:
        actual = os.stat(path).st_size
    except FileNotFoundError:
        return "is missing"
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if actual != size:
        return f"has {actual:,} bytes where its commit wrote {size:,}"
    return None


def verify(location: Path) -> CheckReport:
    """Check every segment file against its checksum and the index against its manifest."""
    from newssearch.backends.whoosh.store import open_whoosh_index  # noqa: PLC0415

    report = CheckReport(str(location))
    try:
        manifest = Manifest.load(location)
    except IndexDamagedError as error:
        report.problems.append(str(error).split("; run")[0])
        report.manifest_damaged = True
        manifest = Manifest()
    try:
        ix = open_whoosh_index(location)
        with whoosh_imports():
            segments = ix._segments()
    except IndexDamagedError as error:
        report.problems.append(str(error).split("; run")[0])
        report.toc_damaged = True
        report.affected_files.update(manifest.files)
        return report
    report.segments = len(segments)
    report.files = len(manifest.files)
    for segment in segments:
        _verify_segment(location, manifest, segment, report)
    if not report.damaged_segments and not report.manifest_damaged:
        _compare_with_manifest(ix, manifest, report)
    return report


def _verify_segment(location: Path, manifest: Manifest, segment: Any, report: CheckReport) -> None:
    segment_id = segment.segment_id()
    record = manifest.segments.get(segment_id)
    if record is None:
        report.notes.append(f"segment {segment_id} has no recorded checksums (written by an older version, or "
                            f"by a run stopped right after its commit); the next `newssearch index` records them")
        return
    for name, (size, digest) in sorted(record.files.items()):
        problem = _size_problem(location / name, size)
        if problem is None:
            try:
                if file_sha256(location / name) != digest:
                    problem = "does not match the checksum its commit recorded"
            except OSError as error:
                problem = f"cannot be read ({error.strerror or error})"
        if problem:
            report.problems.append(f"{name} {problem}")
            report.damaged_segments.setdefault(segment_id, f"{name} {problem}")
    if segment_id in report.damaged_segments:
        report.affected_files.update(record.sources)


def _compare_with_manifest(ix: Any, manifest: Manifest, report: CheckReport) -> None:
    """Paragraphs per source file and paragraph ids, as the index holds them, against the manifest."""
    try:
        with whoosh_imports(), ix.searcher() as searcher:
            reader = searcher.reader()
            report.paragraphs = reader.doc_count()
            per_path = _live_counts(reader, PATH)
            duplicated = {pid: count for pid, count in _live_counts(reader, PID).items() if count > 1}
    except Exception as error:  # noqa: BLE001  (damage without a checksum record shows up here)
        report.problems.append(f"the index cannot be read ({type(error).__name__}: {error})")
        report.affected_files.update(manifest.files)
        report.unreadable = True
        return
    for path, state in sorted(manifest.files.items()):
        found = per_path.pop(path, 0)
        if found != state.paragraphs:
            report.problems.append(f"{path}: the index holds {found:,} paragraphs, the manifest says {state.paragraphs:,}")
            report.affected_files.add(path)
    for path, found in sorted(per_path.items()):
        if path:
            report.problems.append(f"{path}: {found:,} paragraphs in the index, but the file is not in the manifest")
            report.affected_files.add(path)
    for pid, count in sorted(duplicated.items())[:20]:
        report.problems.append(f"paragraph id {pid!r} is held {count} times")
    if duplicated:
        report.affected_files.update(_paths_of(ix, duplicated))


def _live_counts(reader: Any, fieldname: str) -> Counter[str]:
    """How many live (not deleted) paragraphs hold each term of a one-term-per-paragraph field."""
    counts: Counter[str] = Counter()
    for segment, offset in reader.leaf_readers():
        deleted = set(segment._segment.deleted_docs()) if segment.has_deletions() else set()
        for term in segment.lexicon(fieldname):
            postings = segment.postings(fieldname, term)
            live = sum(1 for docnum in postings.all_ids() if docnum not in deleted)
            if live:
                counts[_text(term)] += live
        del offset
    return counts


def _paths_of(ix: Any, pids: Iterable[str]) -> set[str]:
    """The source files of the paragraphs with these ids."""
    paths: set[str] = set()
    with whoosh_imports(), ix.searcher() as searcher:
        for pid in pids:
            for docnum in searcher.document_numbers(**{PID: pid}):
                paths.add(searcher.stored_fields(docnum).get(PATH, ""))
    paths.discard("")
    return paths


def _text(term: Any) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)
