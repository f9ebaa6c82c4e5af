"""One exception hierarchy for newssearch; the CLI maps each class to a message and exit code."""

from __future__ import annotations


class NewssearchError(Exception):
    """Base class of every error newssearch raises on purpose."""


class ArticleError(NewssearchError):
    """An input file (or one record in it) cannot be read as an article."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class QueryError(NewssearchError):
    """A query string or a filter value cannot be understood."""


class UnknownIdError(NewssearchError):
    """No paragraph (or article) with the id asked for is in the index."""


class IndexNotFoundError(NewssearchError):
    """There is no index at the given location."""


class IndexLockedError(NewssearchError):
    """Another process is writing to the index."""


class SchemaMismatchError(NewssearchError):
    """The index on disk was built with another schema version."""
