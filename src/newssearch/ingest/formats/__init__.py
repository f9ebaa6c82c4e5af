"""Input formats, in one registry: which file suffixes newssearch reads, and how.

A reader takes a file's decoded text, the article id the file gives (its path relative to the
folder indexed, without extension) and the :class:`FileRead` to fill, plus the number of the
first line (for a span of a large JSON Lines file). Adding an input format is one module with a
reader plus one entry in :data:`FORMATS` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newssearch.ingest.formats import json, text
from newssearch.ingest.formats.base import FileRead

Reader = Callable[[str, str, FileRead, int], None]


@dataclass(frozen=True)
class InputFormat:
    """One input format: its reader; ``splittable`` when a large file can be cut into spans of whole
    lines that workers read apart (and then has no size limit)."""

    name: str
    read: Reader
    splittable: bool = False


TEXT = InputFormat("text", text.read)
FORMATS: dict[str, InputFormat] = {
    ".txt": TEXT, ".text": TEXT, "": TEXT,
    ".json": InputFormat("json", json.read_json),
    ".jsonl": InputFormat("jsonl", json.read_json_lines, splittable=True),
    ".ndjson": InputFormat("jsonl", json.read_json_lines, splittable=True),
}
ARTICLE_SUFFIXES = frozenset(FORMATS)


def format_for(path: Path) -> InputFormat:
    """The format of a file, by its suffix (a file named explicitly with another suffix is read as text)."""
    return FORMATS.get(path.suffix.lower(), TEXT)


__all__ = ["ARTICLE_SUFFIXES", "FORMATS", "FileRead", "InputFormat", "format_for"]
