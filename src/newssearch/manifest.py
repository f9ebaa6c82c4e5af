"""The manifest: which files the index holds, as of its last commit, and the schema version.

It lives in the index folder as ``newssearch.json`` and is replaced atomically. Before each
commit the indexer records what that commit will add and remove as *pending*, with the index
generation the commit will create; after the commit it writes the manifest again without it.
Reading a manifest applies a pending change exactly when the index reached that generation, so
the manifest matches the index even when the process is killed between the two writes.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newssearch.errors import NewssearchError

MANIFEST_FILE = "newssearch.json"
_TOC_RE = re.compile(r"_MAIN_(\d+)\.toc$")  # whoosh's table of contents, one per generation


def committed_generation(location: Path) -> int:
    """The generation of the index's latest committed table of contents (-1 when there is none)."""
    try:
        names = os.listdir(location)
    except OSError:
        return -1
    return max((int(m.group(1)) for m in map(_TOC_RE.match, names) if m), default=-1)


@dataclass
class FileState:
    """What the index knows of one indexed file."""

    size: int
    mtime_ns: int
    sha256: str
    articles: int
    paragraphs: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileState:
        return cls(int(data["size"]), int(data["mtime_ns"]), str(data["sha256"]),
                   int(data.get("articles", 0)), int(data.get("paragraphs", 0)))


@dataclass
class PendingCommit:
    """What the commit creating index generation ``generation`` adds and removes."""

    generation: int
    files: dict[str, FileState]
    removed: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"generation": self.generation, "removed": sorted(self.removed),
                "files": {path: asdict(state) for path, state in sorted(self.files.items())}}


@dataclass
class Manifest:
    """Files in the index (absolute path -> state), the schema version and the last update time."""

    schema_version: int | None = None
    files: dict[str, FileState] = field(default_factory=dict)
    updated: str | None = None

    @classmethod
    def load(cls, location: Path) -> Manifest:
        """Read the manifest of the index at ``location`` (empty if there is none)."""
        try:
            data = json.loads((location / MANIFEST_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as error:
            raise NewssearchError(f"cannot read {location / MANIFEST_FILE}: {error}") from None
        if not isinstance(data, dict):
            raise NewssearchError(f"cannot read {location / MANIFEST_FILE}: not a JSON object")
        files = {path: FileState.from_json(state) for path, state in data.get("files", {}).items()}
        manifest = cls(data.get("schema_version"), files, data.get("updated"))
        pending = data.get("pending")
        if isinstance(pending, dict) and committed_generation(location) >= int(pending.get("generation", -1)) >= 0:
            for path in pending.get("removed", []):
                manifest.files.pop(path, None)
            manifest.files.update({path: FileState.from_json(state)
                                   for path, state in pending.get("files", {}).items()})
        return manifest

    def save(self, location: Path, pending: PendingCommit | None = None) -> None:
        """Write the manifest atomically (a temporary file renamed over the old one), with the
        change the next commit makes when ``pending`` is given."""
        self.updated = datetime.now(timezone.utc).isoformat(timespec="seconds")
        data: dict[str, Any] = {
            "schema_version": self.schema_version,
            "updated": self.updated,
            "files": {path: asdict(state) for path, state in sorted(self.files.items())},
        }
        if pending is not None:
            data["pending"] = pending.to_json()
        temporary = location / f".{MANIFEST_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, location / MANIFEST_FILE)


def settle_pending(location: Path) -> None:
    """Rewrite the manifest without its pending change (applied if its commit happened), so that
    a commit that does not itself record files cannot be mistaken for it."""
    try:
        data = json.loads((location / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and "pending" in data:
        Manifest.load(location).save(location)
