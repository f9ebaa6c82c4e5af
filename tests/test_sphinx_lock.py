"""The cluster's writer lock, kept in the cluster: one holder, refused second, dead holders taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from newssearch.backends.sphinx.client import Connection
from newssearch.backends.sphinx.daemons import LocalCluster
from newssearch.backends.sphinx.errors import ClusterLockedError, LockLostError
from newssearch.backends.sphinx.lock import ClusterLock
from newssearch.errors import IndexLockedError
from sphinx_cluster import requires_searchd

pytestmark = requires_searchd
SETTLE, TTL = 0.2, 4  # short, for quick tests
Connect = Callable[[], Connection]


@pytest.fixture
def connect(shared_cluster: LocalCluster) -> Iterator[Callable[[], Connection]]:
    opened: list[Connection] = []

    def new_connection() -> Connection:
        opened.append(Connection(shared_cluster.address))
        return opened[-1]

    yield new_connection
    for connection in opened:  # leave the lock free for the next test
        ClusterLock(connection, settle=SETTLE, ttl=TTL).table.delete_many("lock", ["writer"])
        connection.close()


def test_a_second_writer_is_refused_with_the_holders_name(connect: Connect) -> None:
    with ClusterLock(connect(), label="newssearch index", settle=SETTLE, ttl=TTL) as first:
        assert first.held
        with pytest.raises(ClusterLockedError, match=r"locked by newssearch index on .* \(PID \d+\)") as error:
            ClusterLock(connect(), settle=SETTLE, ttl=TTL).acquire()
        assert isinstance(error.value, IndexLockedError)  # the CLI's "locked" exit code applies
        first.check()
    second = ClusterLock(connect(), settle=SETTLE, ttl=TTL)
    second.acquire()  # free again after the first released it
    assert second.taken_over is None
    second.release()


def test_a_waiting_writer_gets_the_lock_when_it_is_released(connect: Connect) -> None:
    first = ClusterLock(connect(), settle=SETTLE, ttl=TTL)
    first.acquire()
    threading.Timer(0.8, first.release).start()
    second = ClusterLock(connect(), wait=10, settle=SETTLE, ttl=TTL)
    second.acquire()
    assert second.held
    second.release()


def test_an_expired_holder_is_taken_over_and_learns_it_lost_the_lock(connect: Connect) -> None:
    stale = ClusterLock(connect(), settle=SETTLE, ttl=TTL)
    stale.acquire()  # and never renews: as if its machine froze
    time.sleep(TTL + 1.2)
    successor = ClusterLock(connect(), settle=SETTLE, ttl=TTL)
    successor.acquire()
    assert successor.taken_over is not None and successor.taken_over.token == stale.token
    with pytest.raises(LockLostError, match="lost"):
        stale.check()
    with pytest.raises(LockLostError):
        stale.renew()
    successor.check()
    successor.release()


def test_a_kept_alive_lock_outlives_its_time_to_live(connect: Connect) -> None:
    with ClusterLock(connect(), settle=SETTLE, ttl=TTL) as holder:
        time.sleep(TTL + 1.5)
        with pytest.raises(ClusterLockedError):
            ClusterLock(connect(), settle=SETTLE, ttl=TTL).acquire()
        holder.check()


def test_a_holder_killed_on_this_host_is_taken_over_at_once(connect: Connect, shared_cluster: LocalCluster) -> None:
    code = ("import sys, time\n"
            "from newssearch.backends.sphinx.client import Connection\n"
            "from newssearch.backends.sphinx.lock import ClusterLock\n"
            f"lock = ClusterLock(Connection({str(shared_cluster.address)!r}), ttl=600, settle=0.2)\n"
            "lock.acquire(); print('held', flush=True); time.sleep(600)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ClusterLockedError, match=f"PID {holder.pid}"):
            ClusterLock(connect(), settle=SETTLE, ttl=TTL).acquire()
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    started = time.monotonic()
    successor = ClusterLock(connect(), settle=SETTLE, ttl=TTL)
    successor.acquire()  # its time-to-live is 600 s, but its process is gone
    assert successor.taken_over is not None and successor.taken_over.pid == holder.pid
    assert time.monotonic() - started < 5
    successor.release()


def _race(locks: list[ClusterLock]) -> list[ClusterLock]:
    """Let ``locks`` acquire at the same moment; return the winners."""
    for lock in locks:
        lock.table.server_time()  # connections open before the start
    barrier = threading.Barrier(len(locks))
    winners: list[ClusterLock] = []

    def contend(lock: ClusterLock) -> None:
        barrier.wait()
        try:
            lock.acquire()
            winners.append(lock)
        except ClusterLockedError:
            pass

    threads = [threading.Thread(target=contend, args=(lock,)) for lock in locks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return winners


def test_writers_that_all_saw_the_lock_free_end_with_exactly_one_holder(connect: Connect,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    claims: list[str] = []
    write_claim = ClusterLock._write_claim

    def slow_claim(self: ClusterLock, now: int, current: object) -> None:
        time.sleep(0.15)  # every contender reads "free" before anyone writes, within settle
        claims.append(self.token)
        write_claim(self, now, current)  # type: ignore[arg-type]

    monkeypatch.setattr(ClusterLock, "_write_claim", slow_claim)
    for _ in range(3):
        claims.clear()
        locks = [ClusterLock(connect(), settle=0.5, ttl=5) for _ in range(4)]
        winners = _race(locks)
        assert len(claims) >= 2 and len(winners) == 1
        assert [lock.held for lock in locks].count(True) == 1
        winners[0].release()


def test_a_claim_written_later_than_settle_is_withdrawn_not_trusted(connect: Connect,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write_claim = ClusterLock._write_claim

    def late_claim(self: ClusterLock, now: int, current: object) -> None:
        time.sleep(0.4)  # longer than settle: another contender may have won meanwhile
        write_claim(self, now, current)  # type: ignore[arg-type]

    monkeypatch.setattr(ClusterLock, "_write_claim", late_claim)
    late = ClusterLock(connect(), settle=0.3, ttl=4)
    with pytest.raises(ClusterLockedError):
        late.acquire()
    assert late.holder() is None and not late.held


def test_the_time_to_live_must_leave_room_for_renewals(connect: Connect) -> None:
    with pytest.raises(ValueError, match="ttl"):
        ClusterLock(connect(), ttl=2, settle=1.0)
