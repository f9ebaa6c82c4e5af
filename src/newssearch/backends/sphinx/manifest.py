"""The cluster's manifest: which files its documents come from, kept in the cluster itself.

One meta-index row per file (kind ``file``, name = the file's path) holds the file's state as
the indexer records it (size, mtime, hash, counts: any JSON object) and whether it is
*pending*. A writer marks the files of a batch pending before it touches their documents, and
committed after; a file still pending when a run starts belongs to a run that died mid-batch,
and :meth:`ClusterStore.recover <newssearch.backends.sphinx.store.ClusterStore.recover>` deletes
its documents and forgets it, so the next run indexes it again from nothing. The cluster then
never holds a document its manifest does not account for, and never twice (document ids are
hashes of paragraph ids, written with REPLACE).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from newssearch.backends.sphinx.meta import MetaTable

FILE_KIND = "file"
SETTINGS = ("cluster", "manifest")


@dataclass(frozen=True)
class FileEntry:
    """What the manifest holds for one file: the indexer's state and whether it is pending."""

    state: Mapping[str, Any]
    pending: bool


class ClusterManifest:
    """Per-file rows and the manifest settings (schema version) in the cluster's meta index."""

    def __init__(self, table: MetaTable) -> None:
        self.table = table

    def files(self) -> dict[str, FileEntry]:
        """Every file the cluster holds documents of, committed or pending."""
        return {path: FileEntry(value.get("state", {}), bool(value.get("pending")))
                for path, value in self.table.scan(FILE_KIND) if isinstance(value, dict)}

    def pending(self) -> list[str]:
        """The files a run began but did not commit (their documents may be incomplete)."""
        return sorted(path for path, entry in self.files().items() if entry.pending)

    def begin(self, states: Mapping[str, Mapping[str, Any]]) -> None:
        """Mark files pending with their new state, before their documents are written."""
        self.table.put_many(FILE_KIND, {path: {"state": dict(state), "pending": True}
                                        for path, state in states.items()})

    def commit(self, states: Mapping[str, Mapping[str, Any]]) -> None:
        """Mark files committed: all their documents are in the cluster."""
        self.table.put_many(FILE_KIND, {path: {"state": dict(state), "pending": False}
                                        for path, state in states.items()})

    def forget(self, paths: Iterable[str]) -> int:
        """Remove files from the manifest (after their documents were deleted)."""
        return self.table.delete_many(FILE_KIND, paths)

    def settings(self) -> dict[str, Any]:
        """The manifest settings (``schema_version`` ...), empty for a new cluster."""
        value = self.table.get(*SETTINGS)
        return value if isinstance(value, dict) else {}

    def save_settings(self, settings: Mapping[str, Any]) -> None:
        self.table.put(*SETTINGS, dict(settings))
