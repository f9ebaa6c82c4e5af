"""What an input format's reader gets and fills: one file's articles and problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from newssearch.models import Article, ReadProblem


@dataclass
class FileRead:
    """What one file yielded."""

    path: str
    articles: list[Article] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)


def normalise_newlines(text: str) -> str:
    """Line ends as ``\\n`` (CRLF and CR too), no byte order mark."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def shown(value: str, width: int = 40) -> str:
    """``repr(value)``, cut to about ``width`` characters so that a message stays one short line."""
    return repr(value if len(value) <= width else value[:width] + "…")
