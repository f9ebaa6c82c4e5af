"""One exception hierarchy for newssearch. Each class carries what it means to a front end: the
command's exit code and the web API's HTTP status."""

from __future__ import annotations


class NewssearchError(Exception):
    """Base class of every error newssearch raises on purpose."""

    exit_code = 6
    http_status = 500
    cli_hint = ""  # what the command line adds: the option that helps


class QueryError(NewssearchError):
    """A query string, a filter value or a request parameter cannot be understood.

    ``parameter`` names the request parameter at fault (``page``, ``since``), for a front end
    to say it its own way (``--page``); the message starts with it.
    """

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter

    exit_code = 2
    http_status = 400


class UnknownIdError(NewssearchError):
    """No paragraph (or article) with the id asked for is in the index."""

    exit_code = 2
    http_status = 404


class IndexNotFoundError(NewssearchError):
    """There is no index at the given location."""

    exit_code = 3
    http_status = 503
    cli_hint = " (or pass --index)"


class IndexLockedError(NewssearchError):
    """Another process is writing to the index."""

    exit_code = 5
    http_status = 409
    cli_hint = " (--wait SECONDS waits for it)"


class SchemaMismatchError(NewssearchError):
    """The index on disk was built with another schema version."""

    exit_code = 3
    http_status = 503


class SearchTimeoutError(NewssearchError):
    """A search ran longer than the request's time budget and was stopped."""

    exit_code = 6
    http_status = 503


class IndexDamagedError(NewssearchError):
    """The index's files are not what its last commit wrote: truncated, missing or unreadable."""

    exit_code = 3
    http_status = 503


class IndexFolderError(NewssearchError):
    """The folder given for the index cannot hold one (it is a file, or holds a user's files)."""

    exit_code = 2
    http_status = 400
    cli_hint = " (--index)"
