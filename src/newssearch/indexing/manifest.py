"""The manifest: which files the index holds as of its last commit, how they were read, and the
size and checksum of every segment file.

It lives in the index folder as ``newssearch.json`` and is replaced atomically. Before each
commit the indexer records what that commit will add and remove as *pending*, with the index
generation the commit will create; after the commit it writes the manifest again without it.
Reading a manifest applies a pending change exactly when the index reached that generation, so
the manifest matches the index even when the process is killed between the two writes.

Segment records (``segments``) are written after their commit: each segment file's size and
SHA-256, and the source files whose paragraphs the segment holds. Opening an index compares the
sizes (cheap); ``newssearch check`` compares the checksums and uses the sources to repair.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newssearch.errors import IndexDamagedError
from newssearch.indexing.folder import MANIFEST_FILE, committed_generation

__all__ = ["MANIFEST_FILE", "FileState", "Manifest", "PendingCommit", "SegmentState", "committed_generation",
           "settle_pending"]


class _Malformed(ValueError):
    """A manifest value of the wrong type or shape."""


def _int(data: dict[str, Any], key: str, default: int | None = None) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Malformed(f"{key!r} is not a whole number")
    return value


def _str(data: dict[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise _Malformed(f"{key!r} is not a string")
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed(f"{what} is not an object")
    return value


@dataclass
class FileState:
    """What the index knows of one indexed file.

    ``read_as`` is how it was read (the folder ids are relative to, default section and date):
    a run that would read it otherwise reads it again. ``article_ids`` are the ids its articles
    got, so that another file's article with the same id is noticed.
    """

    size: int
    mtime_ns: int
    sha256: str
    articles: int
    paragraphs: int
    read_as: dict[str, Any] | None = None
    article_ids: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> FileState:
        data = _dict(data, "a file's state")
        read_as = data.get("read_as")
        if read_as is not None:
            _dict(read_as, "'read_as'")
        ids = data.get("article_ids", [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise _Malformed("'article_ids' is not a list of strings")
        return cls(_int(data, "size"), _int(data, "mtime_ns"), _str(data, "sha256"), _int(data, "articles", 0),
                   _int(data, "paragraphs", 0), read_as, list(ids))


@dataclass
class SegmentState:
    """One committed segment: each file's ``[size, sha256]`` and the source files it holds paragraphs of."""

    files: dict[str, list[Any]]
    sources: list[str]

    @classmethod
    def from_json(cls, data: Any) -> SegmentState:
        data = _dict(data, "a segment's state")
        files = _dict(data.get("files", {}), "'files' of a segment")
        for name, entry in files.items():
            if (not isinstance(entry, list) or len(entry) != 2 or isinstance(entry[0], bool)
                    or not isinstance(entry[0], int) or not isinstance(entry[1], str)):
                raise _Malformed(f"the record of segment file {name!r} is not [size, sha256]")
        sources = data.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise _Malformed("'sources' of a segment is not a list of paths")
        return cls({name: list(entry) for name, entry in files.items()}, list(sources))


@dataclass
class PendingCommit:
    """What the commit creating index generation ``generation`` adds and removes.

    A rebuild's commit replaces everything (``replace_all``), schema version included.
    """

    generation: int
    files: dict[str, FileState]
    removed: list[str]
    replace_all: bool = False
    schema_version: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"generation": self.generation, "removed": sorted(self.removed),
                                "files": {path: asdict(state) for path, state in sorted(self.files.items())}}
        if self.replace_all:
            data["replace_all"] = True
            data["schema_version"] = self.schema_version
        return data


@dataclass
class Manifest:
    """Files in the index (absolute path -> state), segments, the schema version and the last update time."""

    schema_version: int | None = None
    files: dict[str, FileState] = field(default_factory=dict)
    updated: str | None = None
    segments: dict[str, SegmentState] = field(default_factory=dict)

    @classmethod
    def load(cls, location: Path) -> Manifest:
        """Read the manifest of the index at ``location`` (empty if there is none).

        A manifest that cannot be read or has values of the wrong types raises
        :class:`IndexDamagedError`.
        """
        path = location / MANIFEST_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, RecursionError) as error:
            raise IndexDamagedError(_damaged(path, str(error))) from None
        try:
            return cls._from_json(data, location)
        except (_Malformed, TypeError, ValueError, OverflowError) as error:
            raise IndexDamagedError(_damaged(path, str(error))) from None

    @classmethod
    def _from_json(cls, data: Any, location: Path) -> Manifest:
        data = _dict(data, "the manifest")
        version = data.get("schema_version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise _Malformed("'schema_version' is not a whole number")
        updated = data.get("updated")
        if updated is not None and not isinstance(updated, str):
            raise _Malformed("'updated' is not a string")
        files = {path: FileState.from_json(state) for path, state in _dict(data.get("files", {}), "'files'").items()}
        segments = {segment_id: SegmentState.from_json(state)
                    for segment_id, state in _dict(data.get("segments", {}), "'segments'").items()}
        manifest = cls(version, files, updated, segments)
        pending = data.get("pending")
        if pending is not None:
            manifest._apply(_dict(pending, "'pending'"), committed_generation(location))
        return manifest

    def _apply(self, pending: dict[str, Any], generation: int) -> None:
        """Apply a pending change whose commit reached the index."""
        if not 0 <= _int(pending, "generation", -1) <= generation:
            return
        removed = pending.get("removed", [])
        if not isinstance(removed, list) or not all(isinstance(p, str) for p in removed):
            raise _Malformed("'removed' is not a list of paths")
        added = {path: FileState.from_json(state) for path, state in _dict(pending.get("files", {}), "'files'").items()}
        if pending.get("replace_all"):
            self.files = {}
            self.segments = {}
            self.schema_version = pending.get("schema_version")
        for path in removed:
            self.files.pop(path, None)
        self.files.update(added)

    def save(self, location: Path, pending: PendingCommit | None = None) -> None:
        """Write the manifest atomically (a temporary file renamed over the old one), with the
        change the next commit makes when ``pending`` is given."""
        self.updated = datetime.now(timezone.utc).isoformat(timespec="seconds")
        data: dict[str, Any] = {
            "schema_version": self.schema_version,
            "updated": self.updated,
            "files": {path: asdict(state) for path, state in sorted(self.files.items())},
            "segments": {segment_id: asdict(state) for segment_id, state in sorted(self.segments.items())},
        }
        if pending is not None:
            data["pending"] = pending.to_json()
        temporary = location / f".{MANIFEST_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, location / MANIFEST_FILE)


def _damaged(path: Path, reason: str) -> str:
    return f"the manifest {path} is damaged ({reason}); run `newssearch check --repair`"


def settle_pending(location: Path) -> None:
    """Rewrite the manifest without its pending change (applied if its commit happened), so that
    a commit that does not itself record files cannot be mistaken for it."""
    try:
        data = json.loads((location / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return
    if isinstance(data, dict) and "pending" in data:
        Manifest.load(location).save(location)
