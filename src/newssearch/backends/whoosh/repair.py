"""``newssearch check --repair``: re-index exactly what :func:`~newssearch.indexing.check.verify` found
affected, from the source files, under the writer lock.

- Damaged segments leave the index whole, and every file with paragraphs in them is read again
  (the manifest records each segment's sources), as is every file whose paragraph count or ids
  disagree with the manifest. Their paragraphs in healthy segments are replaced in the same
  commit. A source file that no longer exists is reported: its paragraphs are gone.
- A table of contents that cannot be read is replaced by a fresh build of every file the
  manifest lists, swapped in like a rebuild.
- A manifest that cannot be read is rebuilt from the index (paths, paragraphs, article ids,
  segment checksums); its files are marked as needing a fresh read, which the next
  ``newssearch index`` of the same folders does.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newssearch.backends.whoosh.writer import WhooshWriter
from newssearch.models import ReadOptions, ReadProblem
from newssearch.errors import IndexDamagedError
from newssearch.indexing.folder import STAGING_FOLDER, committed_generation
from newssearch.indexing.plan import Job, sha256_of
from newssearch.indexing.run import article_owners
from newssearch.indexing.workers import SegmentBuilder, collection_paused
from newssearch.backends.whoosh.integrity import record_segments, verify
from newssearch.indexing.check import CheckReport
from newssearch.indexing.lock import IndexLock
from newssearch.indexing.manifest import FileState, Manifest, PendingCommit
from newssearch.schema import ARTICLE_ID, PATH, SCHEMA_VERSION


@dataclass
class RepairReport:
    """What a repair did: the check it acted on, the files read again, the sources that are gone."""

    check: CheckReport
    reindexed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    paragraphs: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    action: str = "nothing to repair"

    def to_dict(self) -> dict[str, object]:
        return {"check": self.check.to_dict(), "action": self.action, "reindexed": self.reindexed,
                "missing": self.missing, "paragraphs": self.paragraphs,
                "problems": [str(p) for p in self.problems]}


def repair(location: Path, wait: float = 0.0) -> RepairReport:
    """Check the index at ``location`` and repair what the check found."""
    with IndexLock(location, wait):
        found = verify(location)
        if found.ok:
            return RepairReport(found)
        if found.manifest_damaged and found.toc_damaged:
            raise IndexDamagedError(f"the index at {location}/ cannot be repaired: both its manifest and its table "
                                    f"of contents are damaged; build it again with `newssearch index --rebuild PATHS`")
        if found.manifest_damaged:
            return _rebuild_manifest(location, found)
        manifest = Manifest.load(location)
        if found.toc_damaged or found.unreadable:
            return _rebuild_from_manifest(location, manifest, found)
        return _reindex_affected(location, manifest, found)


def _reindex_affected(location: Path, manifest: Manifest, found: CheckReport) -> RepairReport:
    report = RepairReport(found, action="re-indexed the affected files")
    affected = sorted(found.affected_files)
    states, segments = _read_files(location, manifest, affected, report)
    damaged = frozenset(found.damaged_segments)
    writer = WhooshWriter(location)
    healthy = writer.segment_ids() - damaged
    manifest.save(location, PendingCommit(committed_generation(location) + 1, states, report.missing))
    writer.commit(segments, [(PATH, path) for path in affected], healthy, manifest, merge=True, drop=damaged)
    for path in report.missing:
        manifest.files.pop(path, None)
    manifest.files.update(states)
    manifest.save(location)
    return report


def _rebuild_from_manifest(location: Path, manifest: Manifest, found: CheckReport) -> RepairReport:
    from newssearch.backends.whoosh.store import swap_in  # noqa: PLC0415
    from newssearch.index import NewsIndex  # noqa: PLC0415

    report = RepairReport(found, action="rebuilt the index from the files its manifest lists")
    staging = location / STAGING_FOLDER
    shutil.rmtree(staging, ignore_errors=True)
    try:
        NewsIndex.open(staging, create=True).close()
        staged = Manifest.load(staging)
        states, segments = _read_files(staging, manifest, sorted(manifest.files), report)
        WhooshWriter(staging).commit(segments, [], frozenset(), staged, merge=True)
        staged.files.update(states)
        staged.save(staging)
        swap_in(staging, location)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _read_files(location: Path, manifest: Manifest, paths: list[str],
                report: RepairReport) -> tuple[dict[str, FileState], list[Any]]:
    """Read ``paths`` again as they were read before, into new segments under ``location``."""
    owners = article_owners(manifest, set(paths))
    builders: dict[str, SegmentBuilder] = {}
    states: dict[str, FileState] = {}
    try:
        with collection_paused():
            for path in paths:
                if not os.path.isfile(path):
                    report.missing.append(path)
                    continue
                before = manifest.files.get(path)
                reading = _reading(path, before)
                builder = builders.setdefault(json.dumps(reading, sort_keys=True),
                                              SegmentBuilder(WhooshWriter(location), _options(reading)))
                stat = os.stat(path)
                result = builder.run(Job(path, path, reading["root"], stat.st_size), taken=owners)
                owners.update(dict.fromkeys(result.article_ids, path))
                report.problems.extend(result.problems)
                report.reindexed.append(path)
                report.paragraphs += result.paragraphs
                states[path] = FileState(stat.st_size, stat.st_mtime_ns, sha256_of(Path(path)), result.articles,
                                         result.paragraphs, reading, result.article_ids)
            segments = [segment for builder in builders.values() for segment in builder.finish()]
    except BaseException:
        for builder in builders.values():
            builder.cancel()
        raise
    return states, segments


def _reading(path: str, before: FileState | None) -> dict[str, Any]:
    if before is not None and before.read_as is not None:
        return before.read_as
    return {"root": os.path.dirname(path), "section": None, "date": None, "section_from_folder": False}


def _options(reading: dict[str, Any]) -> ReadOptions:
    day = reading.get("date")
    return ReadOptions(section=reading.get("section"), date=date.fromisoformat(day) if day else None,
                       section_from_folder=bool(reading.get("section_from_folder")))


def _rebuild_manifest(location: Path, found: CheckReport) -> RepairReport:
    """A new manifest from what the index holds; every file is marked to be read again."""
    report = RepairReport(found, action="rebuilt the manifest from the index; the next `newssearch index` "
                                        "of the same folders reads every file again")
    from newssearch.backends.whoosh.store import open_whoosh_index  # noqa: PLC0415

    ix = open_whoosh_index(location)
    manifest = Manifest(schema_version=SCHEMA_VERSION)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term in sorted(reader.lexicon(PATH)):
            path = term.decode("utf-8") if isinstance(term, bytes) else str(term)
            docnums = list(searcher.document_numbers(**{PATH: path}))
            ids = sorted({searcher.stored_fields(docnum).get(ARTICLE_ID, "") for docnum in docnums})
            if docnums:
                manifest.files[path] = FileState(-1, -1, "", len(ids), len(docnums), None, ids)
    record_segments(location, manifest, ix._segments(), ix.schema)
    manifest.save(location)
    report.reindexed = []
    return report
