#!/usr/bin/env python3
"""Benchmark `newssearch serve`: server time of the search page, and a bounded load test.

Run from the repository root, with the web extra installed (pip install '.[web]'):

    python benchmarks/web_bench.py                          # both modes on the 143k corpora index
    python benchmarks/web_bench.py --index /tmp/ix143k      # reuse an index built by `newssearch index`
    python benchmarks/web_bench.py --mode page --rounds 5
    python benchmarks/web_bench.py --mode load --clients 16 --seconds 20 --indexer

Without ``--index`` it builds the index of ``<data>/corpora/*.jsonl`` (about 143k paragraphs,
about a minute on 2 cores) in a temporary folder; ``<data>`` is ``--data``, ``$NEWSSEARCH_DATA``
or ``../shared/data``. Without the corpora it says so and exits 0.

* page: the search page as served by default (hits, did-you-mean, facets and timeline within
  the facets budget) for each query of benchmarks/bench.py, warm (one round first, not counted),
  ``--rounds`` times; the server's own time is read from its ``Server-Timing`` header. Run with
  the default budget and with none (``--facets-budget 0``), and ``/api/search?facets=1`` (the
  CLI's ``--facets``) for comparison.
* load: ``--clients`` threads, each with one keep-alive connection, send requests for
  ``--seconds`` over a fixed mix (see :data:`MIX`), on loopback only; every answer must be 200.
  The server runs ``--processes`` processes (default 2, one per core here).
  ``--indexer`` also runs ``newssearch index`` on a folder of new invented articles every
  ``--commit-every`` seconds meanwhile (on a copy of the index), each run a commit the server
  must pick up while it serves.

Only the standard library is used on the client side.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import QUERIES  # noqa: E402  (the same 20 queries as the CLI benchmark)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPORA = ("agnews.jsonl", "bbc.jsonl", "polnear.jsonl", "reuters.jsonl")
SERVING_RE = re.compile(r"serving .* at (http://\S+?)/ ")
# The load test's mix of requests (weights): JSON searches, search pages, article pages, speaker pages.
MIX = (("api", 5), ("page", 3), ("article", 1), ("speaker", 1))


# --------------------------------------------------------------------------- server


class Server:
    """`newssearch serve` on a free loopback port, in a child process."""

    def __init__(self, index: Path, *options: str) -> None:
        command = [sys.executable, "-c", "from newssearch.cli import main; main()", "serve", "--index", str(index),
                   "--port", "0", *options]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        assert self.process.stderr is not None
        for line in self.process.stderr:
            found = SERVING_RE.search(line)
            if found:
                self.url = found.group(1)
                break
        else:
            raise SystemExit(f"the server did not start: {self.process.wait()}")
        self.log: list[str] = []  # the rest of its stderr, read all along so that the pipe never fills
        threading.Thread(target=lambda: self.log.extend(self.process.stderr or ()), daemon=True).start()
        split = urlsplit(self.url)
        self.host, self.port = split.hostname or "127.0.0.1", split.port or 80

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[int, float, float, bytes]:
    """(status, client seconds, server milliseconds from Server-Timing, body)."""
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    timing = re.search(r"dur=([\d.]+)", response.getheader("server-timing") or "")
    return response.status, elapsed, float(timing.group(1)) if timing else float("nan"), body


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


# --------------------------------------------------------------------------- page mode


def page_times(server: Server, path_for: str, rounds: int) -> dict[str, list[float]]:
    """Server milliseconds per query over ``rounds`` warm rounds (one warm-up round first)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    times: dict[str, list[float]] = {query: [] for _, query in QUERIES}
    for round_number in range(rounds + 1):
        for _, query in QUERIES:
            status, _, server_ms, body = fetch(connection, path_for.format(q=quote(query)))
            if status != 200:
                raise SystemExit(f"{path_for.format(q=query)}: HTTP {status}: {body[:200]!r}")
            if round_number:
                times[query].append(server_ms)
    connection.close()
    return times


def skipped_queries(server: Server) -> list[str]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    skipped = []
    for _, query in QUERIES:
        body = fetch(connection, f"/?q={quote(query)}")[3].decode()
        found = re.search(r"(facets and timeline|timeline) skipped \(([\d,]+) matches\)", body)
        if found:
            skipped.append(f"{query} ({found.group(2)})")
    connection.close()
    return skipped


def summarise(label: str, times: dict[str, list[float]]) -> dict[str, float]:
    every = [value for values in times.values() for value in values]
    worst = max(times, key=lambda query: statistics.median(times[query]))
    row = {"p50_ms": percentile(every, 0.5), "p95_ms": percentile(every, 0.95), "max_ms": max(every)}
    print(f"  {label:<44} p50 {row['p50_ms']:7.1f} ms   p95 {row['p95_ms']:7.1f} ms   "
          f"slowest query {worst!r} (median {statistics.median(times[worst]):.1f} ms)")
    return row


def page_mode(index: Path, rounds: int, budget_ms: float) -> dict[str, object]:
    print(f"Search page, server time (Server-Timing), {len(QUERIES)} queries x {rounds} warm rounds:")
    results: dict[str, object] = {}
    with Server(index, "--facets-budget", str(budget_ms)) as server:
        results["page_default"] = summarise(f"page, facets budget {budget_ms:g} ms (default)",
                                            page_times(server, "/?q={q}", rounds))
        results["skipped_with_budget"] = skipped_queries(server)
        results["api_plain"] = summarise("/api/search (no facets)", page_times(server, "/api/search?q={q}", rounds))
        facets = page_times(server, "/api/search?q={q}&facets=1", rounds)
        results["api_facets"] = summarise("/api/search?facets=1 (the CLI's --facets)", facets)
        results["api_facets_said_median_ms"] = statistics.median(facets["said"])
    print(f"  facets and timeline skipped with the budget: {', '.join(results['skipped_with_budget']) or 'none'}")  # type: ignore[arg-type]
    with Server(index, "--facets-budget", "0") as server:
        times = page_times(server, "/?q={q}", rounds)
        results["page_no_budget"] = summarise("page, no facets budget (always counted)", times)
        slowest = sorted(times, key=lambda query: -statistics.median(times[query]))[:4]
        print("  without the budget, slowest: " + ", ".join(
            f"{query!r} {statistics.median(times[query]):.0f} ms" for query in slowest))
    return results


# --------------------------------------------------------------------------- load mode


@dataclass
class LoadReport:
    """What a load run measured."""

    requests: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)
    commits: int = 0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        p50, p95 = (percentile(self.latencies, share) * 1000 for share in (0.5, 0.95))
        return (f"{self.requests:,} requests in {self.seconds:.1f} s = {self.rate:,.0f} requests/s; "
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms; errors {len(self.errors)}"
                + (f"; {self.commits} indexer commits meanwhile" if self.commits else ""))


def request_paths(server: Server, queries: Sequence[str], seed: int = 14) -> list[tuple[str, str]]:
    """The load test's requests, in the proportions of :data:`MIX`, over ``queries``.

    Article and speaker pages are those of the queries' own top hits, found with one search each.
    """
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    articles: list[str] = []
    speakers: list[str] = []
    for query in queries:
        body = json.loads(fetch(connection, f"/api/search?q={quote(query)}&limit=3")[3])
        for hit in body["hits"]:
            articles.append(f"/article/{quote(hit['pid'], safe='')}?q={quote(query)}")
            speakers.extend(f"/speaker/{quote(name, safe='')}" for name in hit["speakers"])
    connection.close()
    pools = {"api": [f"/api/search?{urlencode({'q': query})}" for query in queries],
             "page": [f"/?{urlencode({'q': query})}" for query in queries],
             "article": articles or [f"/?{urlencode({'q': queries[0]})}"],
             "speaker": sorted(set(speakers)) or [f"/?{urlencode({'q': queries[0]})}"]}
    rng = random.Random(seed)
    paths: list[tuple[str, str]] = []
    for kind, weight in MIX:
        paths.extend((kind, rng.choice(pools[kind])) for _ in range(weight * 40))
    rng.shuffle(paths)
    return paths


def load(server: Server, paths: Sequence[tuple[str, str]], clients: int, seconds: float) -> LoadReport:
    """``clients`` threads sending ``paths`` round-robin for ``seconds`` (bounded: loopback, fixed time)."""
    report = LoadReport()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
        position = number * 7
        latencies: list[float] = []
        kinds: dict[str, int] = {}
        errors: list[str] = []
        while time.monotonic() < stop_at:
            kind, path = paths[position % len(paths)]
            position += 1
            try:
                status, elapsed, _, body = fetch(connection, path)
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{path}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
                continue
            if status != 200:
                errors.append(f"{path}: HTTP {status} {body[:120]!r}")
            latencies.append(elapsed)
            kinds[kind] = kinds.get(kind, 0) + 1
        connection.close()
        with lock:
            report.latencies.extend(latencies)
            report.errors.extend(errors)
            for kind, count in kinds.items():
                report.by_kind[kind] = report.by_kind.get(kind, 0) + count

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - started
    report.requests = len(report.latencies)
    return report


class Indexer(threading.Thread):
    """Runs `newssearch index` on a growing folder of invented articles until stopped: one commit each run."""

    def __init__(self, index: Path, folder: Path, every: float) -> None:
        super().__init__(daemon=True)
        self.index, self.folder, self.every = index, folder, every
        self.runs = 0
        self.failures: list[str] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(7)
        words = ["harbour", "council", "budget", "minister", "festival", "grain", "tram", "river"]
        while not self._stop_event.wait(self.every):
            body = "\n\n".join(" ".join(rng.choice(words) for _ in range(30)) + f" zebra{self.runs}."
                               for _ in range(5))
            (self.folder / f"{self.runs:04d}.txt").write_text(f"Invented story {self.runs}\n\n{body}\n")
            done = subprocess.run([sys.executable, "-c", "from newssearch.cli import main; main()", "index",
                                   str(self.folder), "--index", str(self.index), "-q", "--jobs", "1"],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                self.failures.append(done.stderr.strip())
            self.runs += 1

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def load_mode(index: Path, clients: int, seconds: float, indexer: bool, commit_every: float,
              processes: int, workers: int) -> dict[str, object]:
    queries = [query for _, query in QUERIES]
    results: dict[str, object] = {}
    print(f"Load: {clients} clients x {seconds:g} s on loopback, server --processes {processes}; mix " +
          ", ".join(f"{kind} {weight}" for kind, weight in MIX) + f" over the {len(queries)} benchmark queries")
    with tempfile.TemporaryDirectory(prefix="web-bench-") as scratch:
        for with_indexer in ((False, True) if indexer else (False,)):
            location = index
            if with_indexer:
                location = Path(scratch) / "index"
                shutil.copytree(index, location)
            with Server(location, "--processes", str(processes), "--workers", str(workers)) as server:
                paths = request_paths(server, queries)
                load(server, paths[:50], 4, 1.0)  # warm
                background = Indexer(location, Path(scratch) / "new-articles", commit_every) if with_indexer else None
                if background is not None:
                    background.start()
                report = load(server, paths, clients, seconds)
                if background is not None:
                    background.stop()
                    report.commits = background.runs
                    if background.failures:
                        report.errors.append(f"indexer: {background.failures[0]}")
            label = "while an indexer commits" if with_indexer else "alone"
            print(f"  {label:<26} {report.line()}")
            for error in report.errors[:5]:
                print(f"    error: {error}")
            if report.errors:
                print("    server log:\n" + "".join(server.log[-40:]))
            results["with_indexer" if with_indexer else "alone"] = {
                "requests": report.requests, "rate": report.rate, "p50_ms": percentile(report.latencies, 0.5) * 1000,
                "p95_ms": percentile(report.latencies, 0.95) * 1000, "errors": len(report.errors),
                "commits": report.commits, "by_kind": report.by_kind}
    return results


# --------------------------------------------------------------------------- main


def build_index(data: Path, folder: Path) -> Path:
    files = [data / "corpora" / name for name in CORPORA]
    location = folder / "index"
    print(f"Building the index of {', '.join(f.name for f in files)} in {location} (about a minute) ...", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from newssearch.cli import main; main()", "index", *map(str, files),
                    "--index", str(location), "-q"], check=True)
    print(f"  built in {time.perf_counter() - started:.0f} s")
    return location


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="an index to serve (default: build the corpora's in a temp folder)")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("NEWSSEARCH_DATA", DEFAULT_DATA)))
    parser.add_argument("--mode", choices=("page", "load", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--facets-budget", type=float, default=20.0, metavar="MS")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--processes", type=int, default=2, help="server processes in the load test")
    parser.add_argument("--workers", type=int, default=4, help="search threads per server process")
    parser.add_argument("--indexer", action="store_true", help="also run the load test while an indexer commits")
    parser.add_argument("--commit-every", type=float, default=2.0, metavar="SECONDS")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="web-bench-index-") as scratch:
        index = args.index
        if index is None:
            if not all((args.data / "corpora" / name).exists() for name in CORPORA):
                print(f"no corpora under {args.data}/corpora: nothing to measure")
                return 0
            index = build_index(args.data, Path(scratch))
        figures: dict[str, object] = {"index": str(index), "cpus": os.cpu_count()}
        if args.mode in ("page", "both"):
            figures["page"] = page_mode(index, args.rounds, args.facets_budget)
        if args.mode in ("load", "both"):
            figures["load"] = load_mode(index, args.clients, args.seconds, args.indexer, args.commit_every,
                                        args.processes, args.workers)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
