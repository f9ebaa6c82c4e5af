"""Planning a run: which files under the given paths are new, changed, read differently, or gone,
compared with the manifest (size and mtime, then SHA-256), and the jobs that read them: one per
file, or one per span of about a megabyte of a large JSON Lines file, so that workers share it.
"""
from __future__ import annotations

from newssearch.ingest.formats import format_for

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newssearch.ingest.files import find_article_files
from newssearch.ingest.read import json_lines_spans
from newssearch.models import ReadOptions, ReadProblem
from newssearch.indexing.manifest import FileState, Manifest

JSONL_SPAN_BYTES = 1 << 20



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
    for folder, listing_error in unlisted:
        plan.problems.append(ReadProblem(str(folder), f"cannot list this folder ({listing_error.strerror or listing_error}); "
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
        digest = sha256_of(file)
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


def sha256_of(file: Path) -> str:
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
        if format_for(path).splittable and planned.state.size > JSONL_SPAN_BYTES:
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


