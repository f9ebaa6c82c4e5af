"""Finding article files: folders walked recursively (symlinked folders not followed, so loops are
harmless), hidden files, data documentation (README, LICENSE …) and an index's own files left
out; the suffixes taken are those of the input format registry (:mod:`newssearch.ingest.formats`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from newssearch.indexing.folder import is_own_file
from newssearch.ingest.formats import ARTICLE_SUFFIXES

# Files found by walking a folder that are documentation about the data, not articles.
NOT_ARTICLE_STEMS = frozenset({"readme", "license", "licence", "source", "copying", "notice"})


def find_article_files(paths: Iterable[str | os.PathLike[str]],
                       unreadable: list[tuple[Path, OSError]] | None = None) -> Iterator[tuple[Path, Path]]:
    """Yield ``(file, root)`` for each article file under ``paths``, in sorted order.

    Folders are walked recursively without following symlinked folders (so loops are
    impossible); hidden files and data documentation (README, LICENSE, ...) are skipped.
    A path named explicitly is always yielded, whatever its name. Folders that cannot be
    listed are added to ``unreadable`` (when given) with the error.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path, unreadable):
                yield file, path
        else:
            yield path, path.parent


def _walk(folder: Path, unreadable: list[tuple[Path, OSError]] | None) -> Iterator[Path]:
    def report(error: OSError) -> None:
        if unreadable is not None:
            unreadable.append((Path(error.filename or folder), error))

    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False, onerror=report):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            file = Path(dirpath, name)
            if _looks_like_article_file(file):
                yield file


def _looks_like_article_file(file: Path) -> bool:
    if file.name.startswith(".") or is_own_file(file.name):  # an index folder's manifest is not an article
        return False
    if file.stem.lower() in NOT_ARTICLE_STEMS:
        return False
    return file.suffix.lower() in ARTICLE_SUFFIXES


def article_id_for(file: Path, root: Path) -> str:
    """A stable, readable id: the path relative to the indexed folder, without extension."""
    try:
        relative = file.relative_to(root)
    except ValueError:
        relative = Path(file.name)
    return relative.with_suffix("").as_posix()
