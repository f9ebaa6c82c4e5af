"""Errors of the Sphinx cluster backend, inside newssearch's one hierarchy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newssearch.errors import IndexLockedError, NewssearchError

if TYPE_CHECKING:
    from newssearch.backends.sphinx.client import QueryResult


class ClusterError(NewssearchError):
    """The cluster refused or failed a request (the message is one line, from the server)."""


class ClusterUnavailableError(ClusterError):
    """A daemon of the cluster cannot be reached or does not answer in time."""


class PartialResultsError(ClusterError):
    """Some shards did not answer: ``result`` holds what the others returned, ``warnings`` why."""

    def __init__(self, result: QueryResult) -> None:
        self.result = result
        self.warnings = result.warnings
        super().__init__("partial results, some shards did not answer: " + "; ".join(result.warnings))


class DaemonError(ClusterError):
    """A local daemon cannot be configured, started or stopped."""


class ClusterLockedError(IndexLockedError):
    """Another writer holds the cluster's writer lock."""


class LockLostError(ClusterError):
    """This writer's lock expired or was taken over: it must stop writing."""
