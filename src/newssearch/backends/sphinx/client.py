"""A small SphinxQL connection: timeouts, one-line errors, reconnection, partial results made loud.

SphinxQL is the MySQL wire protocol, spoken here through PyMySQL (pure Python, so the ``cluster``
extra needs no compiler or client library). Every SELECT is sent together with ``SHOW META`` in
one round trip, because a distributed query whose shard is down still succeeds: the only sign is
a warning in ``SHOW META``. :meth:`Connection.select` turns such a warning into
:class:`PartialResultsError` (or, when the caller accepts partial results, into
``QueryResult.partial``), so fewer results are never returned silently.

After any error the connection is dropped and the next call opens a new one, so a daemon that
restarted, or a statement batch left half-read, cannot leave the connection out of step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from newssearch.backends.sphinx.errors import ClusterError, ClusterUnavailableError, PartialResultsError

try:
    import pymysql  # type: ignore[import-untyped,unused-ignore]
    from pymysql.constants import CLIENT  # type: ignore[import-untyped,unused-ignore]
except ImportError:  # pragma: no cover - exercised only without the extra
    pymysql = None

SCHEME = "sphinx://"
DEFAULT_PORT = 9306
_ADDRESS_RE = re.compile(r"^(?:sphinx://)?(?P<host>\[[0-9a-fA-F:]+\]|[^:/\s]+)(?::(?P<port>\d{1,5}))?/?$")
# MySQL client error codes meaning the connection is gone, not that the statement was wrong.
_CONNECTION_LOST = frozenset({2003, 2006, 2013, 2014, 2055})
_AGENT_WARNING_RE = re.compile(r"\bagent\b", re.IGNORECASE)
T = TypeVar("T")


@dataclass(frozen=True)
class SphinxAddress:
    """Where a daemon's SphinxQL listener is: ``sphinx://HOST:PORT``."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> SphinxAddress:
        """Read ``sphinx://HOST:PORT`` (or ``HOST:PORT``); raise ClusterError with the expected form."""
        match = _ADDRESS_RE.match(text.strip())
        port = int(match.group("port") or DEFAULT_PORT) if match else 0
        if match is None or not 0 < port < 65536:
            raise ClusterError(f"not a cluster address: {text!r} (expected sphinx://HOST:PORT)")
        return cls(match.group("host").strip("[]"), port)

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{SCHEME}{host}:{self.port}"


@dataclass(frozen=True)
class FacetRows:
    """One FACET result set: its column names and its rows (value columns, then the count)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class QueryResult:
    """A SELECT's rows and what ``SHOW META`` said about it.

    ``total`` is how many matches can be paged through (capped by ``max_matches``);
    ``total_found`` how many matched (exact for an ungrouped query); ``partial`` is true when a
    shard did not answer (``warnings`` says which).
    """

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    total: int = 0
    total_found: int = 0
    warnings: tuple[str, ...] = ()
    facets: list[FacetRows] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        """True when some shards' results are missing."""
        return any(_AGENT_WARNING_RE.search(warning) for warning in self.warnings)

    def dicts(self) -> list[dict[str, Any]]:
        """The rows as ``{column: value}``."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def require_pymysql() -> None:
    """Raise a clear error when the ``cluster`` extra is not installed."""
    if pymysql is None:
        raise ClusterError("the cluster backend needs PyMySQL: pip install 'newssearch[cluster]'")


class Connection:
    """One SphinxQL connection to one daemon, opened on first use and reopened after an error."""

    def __init__(self, address: SphinxAddress | str, *, connect_timeout: float = 2.0,
                 timeout: float = 60.0) -> None:
        require_pymysql()
        self.address = address if isinstance(address, SphinxAddress) else SphinxAddress.parse(address)
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self._connection: Any = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (the next call opens a new one)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a broken socket must not raise
                pass

    def select(self, sql: str, args: Sequence[Any] | None = None, *, allow_partial: bool = False) -> QueryResult:
        """Run one SELECT (FACET clauses allowed) and its ``SHOW META``.

        Raise PartialResultsError when a shard did not answer, unless ``allow_partial``; then the
        result says ``partial``.
        """

        def run(cursor: Any) -> list[tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
            cursor.execute(f"{sql}; SHOW META", args)
            sets = [(tuple(d[0] for d in cursor.description or ()), list(cursor.fetchall()))]
            while cursor.nextset():
                sets.append((tuple(d[0] for d in cursor.description or ()), list(cursor.fetchall())))
            return sets

        result = _result_from_sets(self._run(run, retry=True))
        if result.partial and not allow_partial:
            raise PartialResultsError(result)
        return result

    def execute(self, sql: str, args: Sequence[Any] | None = None, *, retry: bool = True) -> int:
        """Run one statement that returns no rows (REPLACE, DELETE, ...); return the affected rows.

        A statement on a connection found dead is sent once more on a new connection when
        ``retry`` (right for REPLACE and DELETE, which can be repeated; not for INSERT).
        """
        return self._run(lambda cursor: int(cursor.execute(sql, args)), retry=retry)

    def rows(self, sql: str, args: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a statement that is not a search (SHOW STATUS, CALL KEYWORDS, ...); return its rows."""
        def run(cursor: Any) -> list[tuple[Any, ...]]:
            cursor.execute(sql, args)
            return list(cursor.fetchall())

        return self._run(run, retry=True)

    def _run(self, work: Callable[[Any], T], retry: bool) -> T:
        """``work(cursor)`` on a live connection; errors become ClusterError and drop the connection.

        When the connection was already open and turns out dead (the daemon restarted or closed an
        idle connection), ``work`` runs once more on a fresh one if ``retry``. A timeout is never
        retried: the daemon is alive but not answering, and waiting twice helps nobody.
        """
        for attempt in (1, 2):
            reused = self._connection is not None
            connection = self._open()
            try:
                with connection.cursor() as cursor:
                    return work(cursor)
            except pymysql.MySQLError as error:
                self.close()
                code = error.args[0] if error.args and isinstance(error.args[0], int) else 0
                lost = code in _CONNECTION_LOST or isinstance(error, pymysql.InterfaceError)
                if lost and reused and retry and attempt == 1 and not _timed_out(error):
                    continue
                raise self._error(error, lost) from None
            except OSError as error:  # socket.timeout included
                self.close()
                raise self._error(error, True) from None
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _open(self) -> Any:
        if self._connection is None:
            try:
                self._connection = pymysql.connect(
                    host=self.address.host, port=self.address.port, user="", password="", autocommit=True,
                    connect_timeout=self.connect_timeout, read_timeout=self.timeout, write_timeout=self.timeout,
                    client_flag=CLIENT.MULTI_STATEMENTS, charset="utf8")
            except pymysql.MySQLError as error:
                raise self._error(error, True) from None
        return self._connection

    def _error(self, error: BaseException, lost: bool) -> ClusterError:
        if lost and _timed_out(error):
            return ClusterUnavailableError(f"{self.address} did not answer within {self.timeout:g} s")
        reason = _one_line(error)
        return (ClusterUnavailableError if lost else ClusterError)(f"{self.address}: {reason}")


def _timed_out(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or "timed out" in str(error)


def _one_line(error: BaseException) -> str:
    """The server's message without PyMySQL's tuple, the trailing NUL Sphinx sends, or newlines."""
    message = error.args[-1] if error.args and isinstance(error.args[-1], str) else str(error)
    return " ".join(message.replace("\x00", "").split()) or type(error).__name__


def _result_from_sets(sets: list[tuple[tuple[str, ...], list[tuple[Any, ...]]]]) -> QueryResult:
    """The rows (first set), facets (the sets between) and SHOW META (last set) of one SELECT."""
    (columns, rows), *facet_sets, (_, meta_rows) = sets
    meta: dict[str, str] = {}
    warnings: list[str] = []
    for name, value in meta_rows:
        if name == "warning":
            warnings.append(str(value))
        else:
            meta[str(name)] = str(value)
    return QueryResult(columns, rows, int(meta.get("total", 0)), int(meta.get("total_found", 0)),
                       tuple(warnings), [FacetRows(c, r) for c, r in facet_sets], meta)
