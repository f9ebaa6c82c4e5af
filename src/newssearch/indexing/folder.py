"""The index folder's own files: which entries newssearch made, and how a rebuilt index is swapped in.

newssearch only ever deletes files it created, recognised by name: whoosh's tables of contents
(``_MAIN_<generation>.toc``) and segment files (``MAIN_<16-character id>.<part>``), the manifest
and its temporary copies, and the rebuild's staging folder. Anything else in the folder — a
user's notes, a ``documents/`` folder — is never moved or deleted, and a folder holding such
things is not taken for a new index.

A rebuild is built in a staging folder inside the index folder and published like any other
commit: its segment files are moved in beside the old ones, a new table of contents naming only
them is written atomically, and only then are the old segment files deleted. A search opening
the index sees the old state or the new one, never a folder in between; a rebuild killed at any
point leaves the old index answering and its staging folder is removed by the next run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from newssearch.errors import IndexFolderError

INDEX_NAME = "MAIN"
MANIFEST_FILE = "newssearch.json"
LOCK_FILE = ".newssearch.indexing.lock"
STAGING_FOLDER = ".newssearch-rebuild"
TOC_RE = re.compile(r"^_MAIN_(\d+)\.toc$")
_TOC_TEMP_RE = re.compile(r"^_MAIN_\d+\.toc\.[0-9.]+$")  # whoosh writes a TOC under this name, then renames it
SEGMENT_FILE_RE = re.compile(r"^(MAIN_[0-9a-z]{16})\.[A-Za-z0-9_.]+$")  # group 1: the segment id
_WRITELOCK = "MAIN_WRITELOCK"
_WRITER_TEMP = "MAIN.tmp"  # every whoosh writer's scratch folder
_MANIFEST_TEMP_RE = re.compile(r"^\.newssearch\.json\.\d+\.tmp$")
# Staging folders of earlier versions, beside the index folder: ".<name>.rebuild-<pid>".
_OLD_STAGING_RE = r"^\.{name}\.rebuild-(\d+)$"


def is_own_file(name: str) -> bool:
    """Whether an entry of the index folder is one newssearch (or whoosh, for it) creates."""
    return bool(TOC_RE.match(name) or _TOC_TEMP_RE.match(name) or SEGMENT_FILE_RE.match(name)
                or _MANIFEST_TEMP_RE.match(name)
                or name in (MANIFEST_FILE, LOCK_FILE, STAGING_FOLDER, _WRITELOCK, _WRITER_TEMP))


def committed_generation(location: Path) -> int:
    """The generation of the index's latest table of contents (-1 when there is none)."""
    try:
        names = os.listdir(location)
    except OSError:
        return -1
    return max((int(m.group(1)) for m in map(TOC_RE.match, names) if m), default=-1)


def check_can_hold_index(location: Path) -> None:
    """Refuse to make a new index in a folder that holds anything but newssearch's files.

    Hidden entries (``.gitignore``, ``.gitkeep``) are fine; a user's documents are not: an index
    folder is newssearch's to manage.
    """
    try:
        names = sorted(os.listdir(location))
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise IndexFolderError(f"{location} is a file, not a folder: choose a folder for the index") from None
    except OSError as error:
        raise IndexFolderError(f"cannot use {location}/ for the index: {error.strerror or error}") from None
    foreign = [name for name in names if not name.startswith(".") and not is_own_file(name)]
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise IndexFolderError(
            f"{location}/ holds files that are not a newssearch index ({shown}); "
            f"choose an empty or new folder for the index")


def remove_unused_files(location: Path, generation: int, segment_ids: Iterable[str]) -> None:
    """Delete tables of contents older than ``generation`` and segment files of segments not in
    ``segment_ids``, recognised by name. A file still open elsewhere is left for a later commit."""
    keep = set(segment_ids)
    for name in _listing(location):
        toc = TOC_RE.match(name)
        segment = SEGMENT_FILE_RE.match(name)
        stale = (toc is not None and int(toc.group(1)) < generation) or (segment is not None and segment.group(1) not in keep)
        if stale:
            try:
                os.remove(location / name)
            except OSError:
                pass


def remove_leftovers(location: Path) -> None:
    """Remove what a killed run left: the rebuild staging folder (and that of earlier versions,
    beside the index folder, when its process is gone) and temporary manifest or TOC files."""
    shutil.rmtree(location / STAGING_FOLDER, ignore_errors=True)
    shutil.rmtree(location / _WRITER_TEMP, ignore_errors=True)
    for name in _listing(location):
        if _MANIFEST_TEMP_RE.match(name) or _TOC_TEMP_RE.match(name):
            try:
                os.remove(location / name)
            except OSError:
                pass
    parent = location.resolve().parent
    pattern = re.compile(_OLD_STAGING_RE.format(name=re.escape(location.resolve().name)))
    for name in _listing(parent):
        match = pattern.match(name)
        if match and not _process_alive(int(match.group(1))) and (parent / name / MANIFEST_FILE).exists():
            shutil.rmtree(parent / name, ignore_errors=True)


def segment_files(location: Path, segment_id: str) -> list[str]:
    """Names of the files of one segment (``segment_id`` as whoosh gives it: ``MAIN_<16 characters>``)."""
    prefix = f"{segment_id}."
    return sorted(name for name in _listing(location) if name.startswith(prefix) and SEGMENT_FILE_RE.match(name))


def move_segment_files(source: Path, target: Path) -> None:
    """Move every segment file of ``source`` into ``target`` (same file system: a rename each).

    Segment ids are random, so they never replace a file of ``target``; a file of the same name
    there is refused rather than overwritten.
    """
    for name in _listing(source):
        if SEGMENT_FILE_RE.match(name):
            if (target / name).exists():
                raise IndexFolderError(f"segment file {name} exists in both {source}/ and {target}/")
            os.rename(source / name, target / name)


def _listing(location: Path) -> list[str]:
    try:
        return os.listdir(location)
    except OSError:
        return []


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
