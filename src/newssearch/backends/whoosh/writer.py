"""The writing side of the embedded backend: fast segment writers for the indexing workers and
atomic commits that publish their segments, with each commit's segments recorded (sizes,
checksums, sources) in the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.backends.whoosh.integrity import record_segments
from newssearch.backends.whoosh.segments import FastSegmentWriter, commit_segments
from newssearch.indexing.folder import committed_generation, remove_leftovers, remove_unused_files
from newssearch.indexing.manifest import Manifest
from newssearch.schema import WORD_LIST_FIELDS

with whoosh_imports():
    from whoosh import index as whoosh_index


@dataclass(frozen=True)
class WhooshWriter:
    """An index folder's writer (picklable: worker processes get a copy)."""

    location: Path

    def _open(self) -> Any:
        with whoosh_imports():
            return whoosh_index.open_dir(str(self.location))

    def segment_writer(self) -> FastSegmentWriter:
        return FastSegmentWriter(self._open(), WORD_LIST_FIELDS, _lk=False)

    def segment_ids(self) -> frozenset[str]:
        return frozenset(segment.segment_id() for segment in self._open()._segments())

    def commit(self, segments: list[object], delete: list[tuple[str, str]], delete_from: frozenset[str],
               manifest: object, *, merge: bool, drop: frozenset[str] = frozenset()) -> None:
        assert isinstance(manifest, Manifest)
        ix = self._open()
        published = commit_segments(ix, list(segments), delete, delete_from, merge=merge, drop=drop)
        record_segments(self.location, manifest, published, ix.schema)

    def tidy(self, manifest: object) -> None:
        """Remove a killed run's staging folder, temporary files and segment files no table of
        contents names, and record the segments whose commit was not followed by its manifest."""
        assert isinstance(manifest, Manifest)
        remove_leftovers(self.location)
        ix = self._open()
        segments = ix._segments()
        remove_unused_files(self.location, committed_generation(self.location), [s.segment_id() for s in segments])
        if any(segment.segment_id() not in manifest.segments for segment in segments):
            record_segments(self.location, manifest, segments, ix.schema)
            manifest.save(self.location)
