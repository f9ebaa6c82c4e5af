"""The cluster's writer lock: one indexer at a time per cluster, whichever machine it runs on.

The lock is a row of the aggregator's meta index naming its holder (host, PID, a random token)
with a heartbeat in the aggregator's clock (one clock for every machine). A holder renews the
heartbeat while it writes; a holder whose heartbeat is older than its time-to-live is dead and
its lock is taken over, as is, at once, a holder on this same host whose process is gone.

Sphinx has no compare-and-set (``INSERT`` of an existing id is not even reliably refused), so
acquisition follows Fischer's timed mutual exclusion: read the row; if it is free, write our
claim; wait ``settle`` seconds; read again, and hold the lock only if the row still names us.
Two contenders that both saw the row free both write, and whichever wrote last wins; the other
sees the winner's name after its wait and backs off. This is correct as long as every contender's
read-then-write takes less than ``settle`` seconds, which each contender checks for itself: one
that was slower withdraws its claim instead of trusting it. Renewals keep the same margin, and a
holder that finds its lease expired or its row taken stops with :class:`LockLostError`; the
indexer calls :meth:`ClusterLock.check` before each commit, so a paused holder (stopped
process, long swap) that lost its lock fails instead of committing.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from newssearch.backends.sphinx.client import Connection
from newssearch.backends.sphinx.errors import ClusterError, ClusterLockedError, LockLostError
from newssearch.backends.sphinx.meta import MetaTable

LOCK_KIND = "lock"
WRITER_LOCK = "writer"
_POLL_SECONDS = 0.25
_CLOCK_RESOLUTION = 1  # NOW() is whole seconds


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock: host, PID, random token, and times in the aggregator's clock."""

    host: str
    pid: int
    token: str
    heartbeat: int
    acquired: int
    ttl: int
    label: str = ""

    @classmethod
    def from_json(cls, data: Any) -> LockHolder | None:
        try:
            return cls(str(data["host"]), int(data["pid"]), str(data["token"]), int(data["heartbeat"]),
                       int(data["acquired"]), int(data["ttl"]), str(data.get("label", "")))
        except (TypeError, KeyError, ValueError):
            return None

    def to_json(self) -> dict[str, Any]:
        return {"host": self.host, "pid": self.pid, "token": self.token, "heartbeat": self.heartbeat,
                "acquired": self.acquired, "ttl": self.ttl, "label": self.label}

    def expired(self, now: int) -> bool:
        return now - self.heartbeat >= self.ttl

    def process_gone(self) -> bool:
        """True when the holder ran on this host and its process no longer exists."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return _zombie(self.pid)

    def describe(self, now: int) -> str:
        who = f"{self.label} " if self.label else ""
        return (f"{who}on {self.host} (PID {self.pid}), heartbeat {max(0, now - self.heartbeat)} s ago, "
                f"expires in {max(0, self.heartbeat + self.ttl - now)} s")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


_SLOW_CLAIM_RETRIES = 5  # claims of a free lock that were too slow to trust, retried even past ``wait``


class ClusterLock:
    """The writer lock of the cluster behind ``connection`` (the aggregator's SphinxQL).

    Use as a context manager: it acquires, keeps the lock alive from a background thread (its
    own connection) every ``ttl / 3`` seconds, and releases. Call :meth:`check` before committing.
    """

    def __init__(self, connection: Connection, *, name: str = WRITER_LOCK, ttl: int = 60, settle: float = 1.0,
                 wait: float = 0.0, label: str = "") -> None:
        if ttl < 3 * (settle + _CLOCK_RESOLUTION):
            raise ValueError(f"ttl ({ttl} s) must be at least three times settle + 1 s ({settle:g} s)")
        self.table = MetaTable(connection)
        self.name = name
        self.ttl = ttl
        self.settle = settle
        self.wait = wait
        self.label = label
        self.token = secrets.token_hex(8)
        self.taken_over: LockHolder | None = None  # the dead or expired holder replaced, if any
        self._held = False
        self._lost: LockLostError | None = None
        self._stop = threading.Event()
        self._keeper: threading.Thread | None = None

    def __enter__(self) -> ClusterLock:
        self.acquire()
        self.start_keeping_alive()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_keeping_alive()
        self.release()

    @property
    def held(self) -> bool:
        return self._held and self._lost is None

    def holder(self) -> LockHolder | None:
        """Who the cluster says holds the lock now (None when it is free)."""
        return LockHolder.from_json(self.table.get(LOCK_KIND, self.name))

    def acquire(self) -> None:
        """Take the lock, waiting up to ``wait`` s; ClusterLockedError naming the holder if held."""
        deadline = time.monotonic() + self.wait
        slow_claims = 0
        while True:
            started = time.monotonic()
            now = self.table.server_time()
            current = self.holder()
            if current is None or self._mine(current) or current.expired(now) or current.process_gone():
                self._write_claim(now, current)
                if time.monotonic() - started > self.settle:
                    self._withdraw()  # too slow to trust the claim: another contender may have won
                    slow_claims += 1
                    if slow_claims < _SLOW_CLAIM_RETRIES:  # a loaded machine, not a holder: try again
                        continue
                else:
                    time.sleep(self.settle)
                    winner = self.holder()
                    if winner is not None and self._mine(winner):
                        self._held, self._lost = True, None
                        self.taken_over = current if current is not None and not self._mine(current) else None
                        return
                    current = winner
            if time.monotonic() >= deadline:
                raise ClusterLockedError(self._locked_message(current))
            time.sleep(_POLL_SECONDS)

    def renew(self, table: MetaTable | None = None) -> None:
        """Move the heartbeat forward; LockLostError when the lock expired or is someone else's.

        ``table`` is another connection's view of the meta index (the keep-alive thread's).
        """
        table = table or self.table
        now = table.server_time()
        current = LockHolder.from_json(table.get(LOCK_KIND, self.name))
        if current is None or not self._mine(current):
            self._fail("the cluster's writer lock was taken over" + (f" by {current.describe(now)}" if current else ""))
        if now - current.heartbeat >= self.ttl - self.settle - _CLOCK_RESOLUTION:
            self._fail(f"the cluster's writer lock was not renewed for {now - current.heartbeat} s "
                       f"(time-to-live {self.ttl} s) and may have been taken over")
        self._put(current.acquired, now, table)

    def check(self) -> None:
        """Raise LockLostError unless this writer still holds the lock (asks the cluster)."""
        if self._lost is not None:
            raise self._lost
        if not self._held:
            raise LockLostError("the cluster's writer lock is not held")
        now = self.table.server_time()
        current = self.holder()
        if current is None or not self._mine(current) or current.expired(now):
            self._fail("the cluster's writer lock was lost" + (f" to {current.describe(now)}" if current and
                                                              not self._mine(current) else ""))

    def release(self) -> None:
        """Free the lock if this writer holds it."""
        if self._held:
            self._held = False
            self._withdraw()

    def start_keeping_alive(self) -> None:
        """Renew from a background thread every ``ttl / 3`` s, on a connection of its own."""
        if self._keeper is None:
            self._stop.clear()
            self._keeper = threading.Thread(target=self._keep_alive, name="cluster-lock", daemon=True)
            self._keeper.start()

    def stop_keeping_alive(self) -> None:
        if self._keeper is not None:
            self._stop.set()
            self._keeper.join()
            self._keeper = None

    def _keep_alive(self) -> None:
        connection = Connection(self.table.connection.address, connect_timeout=self.settle,
                                timeout=max(self.settle, 1.0))
        table = MetaTable(connection)
        try:
            while not self._stop.wait(self.ttl / 3):
                try:
                    self.renew(table)
                except LockLostError:
                    return
                except ClusterError:
                    continue  # a missed renewal is retried; expiry is what loses the lock
        finally:
            connection.close()

    def _mine(self, holder: LockHolder) -> bool:
        return holder.token == self.token

    def _write_claim(self, now: int, current: LockHolder | None) -> None:
        acquired = current.acquired if current is not None and self._mine(current) else now
        self._put(acquired, now)

    def _put(self, acquired: int, now: int, table: MetaTable | None = None) -> None:
        holder = LockHolder(socket.gethostname(), os.getpid(), self.token, now, acquired, self.ttl, self.label)
        (table or self.table).put(LOCK_KIND, self.name, holder.to_json())

    def _withdraw(self) -> None:
        current = self.holder()
        if current is not None and self._mine(current):
            self.table.delete_many(LOCK_KIND, [self.name])

    def _fail(self, message: str) -> NoReturn:
        self._lost = LockLostError(message + "; stop writing and run again")
        raise self._lost

    def _locked_message(self, holder: LockHolder | None) -> str:
        now = self.table.server_time()
        who = holder.describe(now) if holder is not None else "another writer"
        after = f" (waited {self.wait:g} s)" if self.wait else ""
        return (f"the cluster {self.table.connection.address} is locked by {who}{after}; "
                f"try again when that run ends")
