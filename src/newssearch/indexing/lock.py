"""One indexer at a time: an exclusive lock on the index folder that names its holder.

The lock is ``flock`` on ``.newssearch.indexing.lock`` inside the index folder, so the kernel releases
it when the holder dies, even by ``kill -9``. The holder writes its PID into the file, which
lets a second indexer say who holds the lock, and lets the next holder notice that the previous
one died without cleaning up (a stale lock), which is then simply taken over.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path

from newssearch.errors import IndexLockedError

LOCK_FILE = ".newssearch.indexing.lock"
POLL_SECONDS = 0.1
_held_fds: set[int] = set()  # lock files held by this process (forked workers must close them)


def close_inherited_locks() -> None:
    """In a forked child: close the parent's lock files, so the lock dies with the parent."""
    for fd in list(_held_fds):
        try:
            os.close(fd)
        except OSError:
            pass
    _held_fds.clear()


class IndexLock:
    """Exclusive writer lock on an index folder; use as a context manager."""

    def __init__(self, location: Path, wait: float = 0.0) -> None:
        self.path = location / LOCK_FILE
        self.wait = wait
        self.stale_pid: int | None = None  # set when a dead holder's lock was taken over
        self._fd: int | None = None

    def __enter__(self) -> IndexLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock, waiting up to ``wait`` seconds; raise :class:`IndexLockedError` if held."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = _read_pid(fd)
                    os.close(fd)
                    raise IndexLockedError(_locked_message(self.path.parent, holder, self.wait)) from None
                time.sleep(POLL_SECONDS)
        previous = _read_pid(fd)
        if previous is not None and previous != os.getpid() and not _process_alive(previous):
            self.stale_pid = previous
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        _held_fds.add(fd)

    def release(self) -> None:
        """Clear the PID and release the lock."""
        if self._fd is None:
            return
        _held_fds.discard(self._fd)
        try:
            os.ftruncate(self._fd, 0)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip() or "x")
    except (ValueError, OSError):
        return None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _locked_message(location: Path, holder: int | None, waited: float) -> str:
    who = f"by PID {holder}" if holder is not None else "by another process"
    after = f" (waited {waited:g} s)" if waited else ""
    return (f"the index at {location}/ is locked {who}, another `newssearch index` run{after}; "
            f"try again when it ends, or wait for it")
