"""A time budget for work running in a thread: at the deadline the work is stopped, not abandoned.

A search is pure Python on the server's worker threads. Waiting for it with a timeout would
answer the client in time but leave the thread busy with a query nobody reads any more, so a
flood of slow queries would still take every worker. Instead one watchdog thread raises
:class:`BudgetExceeded` inside the worker thread when its budget runs out (CPython's
``PyThreadState_SetAsyncExc``; the exception arrives at the next bytecode boundary, so a long
call into C finishes first). :func:`within_budget` turns it into :class:`TimeLimitExceeded`.

The race between the deadline and the end of the work is settled under one lock: the watchdog
fires only for a budget still armed, and disarming a budget that has fired clears the pending
exception, so it can never surface later in other work on that thread.

When issue 12's ``SearchRequest`` carries a time budget that the backends respect, this
module can go (see the web package's docstring).
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import queue
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class BudgetExceeded(BaseException):
    """Raised inside a worker thread whose budget ran out.

    A BaseException, so that no ``except Exception`` in the code it interrupts can swallow it.
    """


class TimeLimitExceeded(Exception):
    """The work did not finish within its budget and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"stopped after {seconds:g} s, its time limit")


def _set_async_exc(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception else None)


class Watchdog:
    """One daemon thread that stops the work of threads whose budgets have run out.

    Budgets must not nest on one thread (run them one after another). The locks are C-level
    ``threading.Lock`` and the wake-ups a C-level ``SimpleQueue``: an exception can arrive at any
    Python function's start, and one arriving in a Python-level ``__exit__`` (``Condition``'s)
    would leave its lock held for ever.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[int, int] = {}               # token -> thread id
        self._deadlines: list[tuple[float, int]] = []  # heap of (deadline, token)
        self._tokens = itertools.count(1)
        self._wakeups: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> int:
        """Start a budget of ``seconds`` for the calling thread; returns its token."""
        with self._lock:
            token = next(self._tokens)
            self._armed[token] = threading.get_ident()
            heapq.heappush(self._deadlines, (time.monotonic() + seconds, token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="newssearch-watchdog", daemon=True)
                self._thread.start()
        self._wakeups.put(None)
        return token

    def disarm(self, token: int) -> bool:
        """End budget ``token``: True if it was still running, False if it had fired."""
        with self._lock:
            if self._armed.pop(token, None) is not None:
                return True
            # Fired: drop the exception if it has not been raised yet.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)
            return False

    def _watch(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                while self._deadlines and self._deadlines[0][0] <= now:
                    _, token = heapq.heappop(self._deadlines)
                    thread_id = self._armed.pop(token, None)
                    if thread_id is not None:
                        _set_async_exc(thread_id, BudgetExceeded)
                wait = self._deadlines[0][0] - now if self._deadlines else None
            try:
                self._wakeups.get(timeout=wait)
            except queue.Empty:
                pass


WATCHDOG = Watchdog()


def within_budget(work: Callable[[], T], seconds: float | None) -> T:
    """``work()``, stopped with :class:`TimeLimitExceeded` if it runs longer than ``seconds`` (None: no limit)."""
    if seconds is None:
        return work()  # no budget
    if seconds <= 0:
        raise TimeLimitExceeded(0)
    token: int | None = None
    finished = True
    try:
        try:
            token = WATCHDOG.arm(seconds)  # inside the try: a short budget can fire before arm returns
            result = work()
        finally:
            if token is not None:
                finished = WATCHDOG.disarm(token)
    except BudgetExceeded:
        raise TimeLimitExceeded(seconds) from None
    if not finished:
        raise TimeLimitExceeded(seconds)
    return result
