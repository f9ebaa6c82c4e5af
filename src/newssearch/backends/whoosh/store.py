"""Opening a whoosh index safely: its table of contents read (or damage said), every column file of
its segments opened at once, and a rebuilt index published as one more commit."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.backends.whoosh.ranking import CachedLengthBM25F
from newssearch.errors import IndexDamagedError
from newssearch.indexing.folder import INDEX_NAME, committed_generation, move_segment_files
from newssearch.indexing.manifest import Manifest, PendingCommit

with whoosh_imports():
    from whoosh import index as whoosh_index
    from whoosh.filedb.filestore import FileStorage


def open_whoosh_index(path: Path) -> Any:
    """Whoosh's index object for ``path``, its table of contents read; a TOC that cannot be read
    raises :class:`IndexDamagedError`."""
    storage = _ClosingStorage(str(path))
    try:
        with whoosh_imports():
            ix = storage.open_index(INDEX_NAME)
            ix._segments()
    except Exception as error:  # noqa: BLE001  (a damaged TOC fails in many ways: pickle, struct, EOF, ...)
        storage.close_opened()
        raise IndexDamagedError(f"the index at {path}/ is damaged: its table of contents cannot be read "
                                f"({type(error).__name__}); run `newssearch check`") from None
    storage.opened = None
    return ix


class _ClosingStorage(FileStorage):
    """Whoosh's file storage, closing the files it opened when reading a damaged table of
    contents fails (whoosh leaves them to the garbage collector)."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.opened: list[Any] | None = []

    def open_file(self, name: str, **kwargs: Any) -> Any:
        handle = super().open_file(name, **kwargs)
        if self.opened is not None:
            self.opened.append(handle)
        return handle

    def close_opened(self) -> None:
        for handle in self.opened or ():
            try:
                handle.close()
            except OSError:
                pass
        self.opened = None


def open_pinned_searcher(ix: Any, location: Path) -> Any:
    """A searcher on the latest commit with every file of its segments open.

    Whoosh opens a segment's column files (stored fields, field lengths, sortable values) only
    when first used, and takes a column file that is missing by then for a column the segment
    never had. A commit that replaces segments (a merge, a rebuild) deletes their files, so a
    searcher that opened its table of contents just before could later answer without field
    lengths or fail to read stored fields. Open files outlive their deletion, so every column
    file is opened here; if one has gone already, a newer commit exists and is opened instead.
    """
    for _attempt in range(_OPEN_RETRIES):
        with whoosh_imports():
            searcher = ix.searcher(weighting=CachedLengthBM25F())
        try:
            pin_column_files(searcher.reader(), location)
            return searcher
        except (OSError, _VanishedSegment):
            searcher.close()
            time.sleep(0.02)
    raise IndexDamagedError(f"the index at {location}/ lacks files of its segments; run `newssearch check`")


_OPEN_RETRIES = 20


class _VanishedSegment(Exception):
    """A segment's files were deleted between reading the table of contents and opening them."""


def pin_column_files(reader: Any, location: Path) -> None:
    """Open every column file of every segment of ``reader`` and make its readers answer
    ``has_column`` from what was opened (not from what is on disk later)."""
    names = os.listdir(location)
    for segment_reader, _offset in reader.leaf_readers():
        perdoc = getattr(segment_reader, "_perdoc", None)
        if perdoc is None:  # an empty index
            continue
        prefix = segment_reader._segment.segment_id() + "."
        columns = [name[len(prefix):-4] for name in names if name.startswith(prefix) and name.endswith(".col")]
        if "_stored" not in columns:
            raise _VanishedSegment(prefix)
        for column in columns:
            if column not in perdoc._colfiles:
                perdoc._colfiles[column] = perdoc._get_column_file(column)
        perdoc.has_column = frozenset(perdoc._colfiles).__contains__


def swap_in(staging: Path, index_dir: Path) -> None:
    """Publish the index built in ``staging`` as the next commit of ``index_dir`` (under its lock).

    Its segment files move in beside the old ones, the manifest records the change as pending,
    and a new table of contents naming only the new segments is written atomically; the old
    segment files are deleted after that. Readers see the old index or the new one, and a run
    killed at any point leaves one of them, with a manifest that matches it.
    """
    with whoosh_imports():
        staged = whoosh_index.TOC.read(FileStorage(str(staging)), INDEX_NAME)
    built = Manifest.load(staging)
    generation = max(committed_generation(index_dir), staged.generation) + 1
    try:
        before = Manifest.load(index_dir)
    except IndexDamagedError:  # the rebuild replaces it anyway
        before = Manifest()
    move_segment_files(staging, index_dir)
    before.save(index_dir, PendingCommit(generation, built.files, [], replace_all=True,
                                         schema_version=built.schema_version))
    from newssearch.backends.whoosh.segments import write_toc  # noqa: PLC0415

    write_toc(str(index_dir), staged.schema, staged.segments, generation)
    built.save(index_dir)
