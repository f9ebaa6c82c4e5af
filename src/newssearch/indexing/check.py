"""What ``newssearch check`` found (:class:`CheckReport`), and how reading an index reports damage
it did not expect (:func:`reads_index`). The checks themselves are the backend's
(:mod:`newssearch.backends.whoosh.integrity`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from newssearch.errors import IndexDamagedError, NewssearchError

Reader = TypeVar("Reader", bound=Callable[..., Any])


def reads_index(function: Reader) -> Reader:
    """Mark a function that reads an open index (its first argument, which has a ``location``).

    A damaged file that kept its size (flipped bytes) fails deep inside the index readers in
    many ways — an unpickling error, a bad block tag, an impossible number. Whatever fails there,
    other than newssearch's own errors, is reported as one :class:`IndexDamagedError` naming
    ``newssearch check``, its cause kept for debugging.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except NewssearchError:
            raise
        except Exception as error:  # noqa: BLE001  (see the docstring)
            location = getattr(args[0], "location", "?") if args else "?"
            raise IndexDamagedError(
                f"the index at {location}/ could not be read ({type(error).__name__}: {error}); "
                f"it may be damaged: run `newssearch check`") from error

    return wrapper  # type: ignore[return-value]


@dataclass
class CheckReport:
    """What ``newssearch check`` found; ``ok`` when nothing is wrong.

    ``damaged_segments`` maps a segment id to what is wrong with it; ``affected_files`` are the
    source files whose paragraphs must be indexed again to repair the index.
    """

    location: str
    segments: int = 0
    paragraphs: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    damaged_segments: dict[str, str] = field(default_factory=dict)
    affected_files: set[str] = field(default_factory=set)
    toc_damaged: bool = False
    manifest_damaged: bool = False
    unreadable: bool = False  # reading the index failed where no checksum pointed at a segment

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {"location": self.location, "ok": self.ok, "segments": self.segments,
                "paragraphs": self.paragraphs, "files": self.files, "problems": list(self.problems),
                "notes": list(self.notes), "damaged_segments": dict(sorted(self.damaged_segments.items())),
                "affected_files": sorted(self.affected_files)}
