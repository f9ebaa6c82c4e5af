"""The time budget stops work running in a thread, and never leaks its stop into later work."""

from __future__ import annotations

import random
import threading
import time

import pytest

from newssearch.web.budget import TimeLimitExceeded, within_budget


def busy(seconds: float) -> int:
    """Pure Python work for about ``seconds``."""
    end, count = time.perf_counter() + seconds, 0
    while time.perf_counter() < end:
        count += 1
    return count


def test_work_past_its_budget_is_stopped_not_abandoned() -> None:
    progress = []

    def forever() -> None:
        while True:
            progress.append(1)
            busy(0.001)

    started = time.perf_counter()
    with pytest.raises(TimeLimitExceeded, match="0.05 s"):
        within_budget(forever, 0.05)
    assert time.perf_counter() - started < 1.0
    done = len(progress)
    busy(0.05)
    assert len(progress) == done  # the loop really stopped


def test_work_within_its_budget_returns_its_value() -> None:
    assert within_budget(lambda: 42, 5.0) == 42
    assert within_budget(lambda: 43, None) == 43


def test_a_stop_that_races_the_end_of_the_work_never_surfaces_later() -> None:
    """Budgets about as long as the work: each ends one way or the other, and nothing leaks after."""
    rng = random.Random(14)
    outcomes = {"finished": 0, "stopped": 0}
    for _ in range(400):
        try:
            within_budget(lambda: busy(rng.uniform(0, 0.002)), 0.001)
            outcomes["finished"] += 1
        except TimeLimitExceeded:
            outcomes["stopped"] += 1
    busy(0.1)  # a stop left pending would be raised in here
    assert outcomes["finished"] and outcomes["stopped"]


def test_budgets_on_many_threads_stop_only_their_own_thread() -> None:
    results: dict[str, list[str]] = {"slow": [], "fast": []}

    def run(kind: str) -> None:
        for _ in range(20):
            try:
                within_budget(lambda: busy(5.0 if kind == "slow" else 0.001), 0.01 if kind == "slow" else 5.0)
                results[kind].append("finished")
            except TimeLimitExceeded:
                results[kind].append("stopped")

    threads = [threading.Thread(target=run, args=(kind,)) for kind in ("slow", "fast")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results["slow"] == ["stopped"] * 20
    assert results["fast"] == ["finished"] * 20


def test_a_budget_too_short_to_start_is_reported_as_stopped() -> None:
    """The stop can land before the work starts (even inside the arming): still TimeLimitExceeded."""
    for _ in range(2000):
        try:
            within_budget(lambda: None, 1e-7)
        except TimeLimitExceeded:
            pass
    busy(0.05)
