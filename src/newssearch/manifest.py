"""The manifest: which files the index holds, as of its last commit, and the schema version.

It lives in the index folder as ``newssearch.json`` and is replaced atomically after every
commit, so it never claims more than the index holds.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newssearch.errors import NewssearchError

MANIFEST_FILE = "newssearch.json"


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
        return cls(data.get("schema_version"), files, data.get("updated"))

    def save(self, location: Path) -> None:
        """Write the manifest atomically (a temporary file renamed over the old one)."""
        self.updated = datetime.now(timezone.utc).isoformat(timespec="seconds")
        data = {
            "schema_version": self.schema_version,
            "updated": self.updated,
            "files": {path: asdict(state) for path, state in sorted(self.files.items())},
        }
        temporary = location / f".{MANIFEST_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, location / MANIFEST_FILE)
