#!/usr/bin/env python3
"""Benchmark newssearch against bare Whoosh 2.7.4 and SQLite FTS5, on the same paragraphs.

Run from the repository root (with the environment where newssearch is installed):

    python benchmarks/bench.py                      # sizes small (~28k paragraphs) and corpora (~143k)
    python benchmarks/bench.py --size 1m            # synthetic ~1M paragraphs (about an hour, ~1.6 GB of temp files)
    python benchmarks/bench.py --systems newssearch,fts5 --json /tmp/bench.json
    python benchmarks/bench.py --size corpora --systems newssearch --profile   # + cProfile top costs

For each system and size it measures, on this machine and in this run:

* build: paragraphs indexed per second (wall clock of the whole build, starting from JSON Lines
  files: reading, paragraph splitting, and for newssearch speaker attribution), index size on
  disk and peak memory. Every build runs in a fresh child process; peak memory is the largest of
  (a) the sum of the proportional set size (PSS) of the child and all its descendants, sampled
  every 100 ms from /proc, the descendants found anew every 0.5 s (this counts Whoosh's
  ``procs=2`` sub-writers), and (b) the child's and its descendants' ``ru_maxrss``. The build's
  CPU time (user + system, the child and every process it waited for) is printed beside the
  targets: it moves much less than wall clock when other work shares the machine;
* query: latency per query, highlighted snippets included, p50 and p95 in a warm process (the
  query set is run once to warm up, then ``--rounds`` times);
* cold: a whole one-shot query process, start to finish (median of 5 runs): the
  ``newssearch query`` command for newssearch, and a minimal one-shot script for the others.

Every figure is also printed as a ratio to SQLite FTS5 (``0.05x`` = 5 % of FTS5's figure).

The systems:

* newssearch through its public API: ``index_paths([files], dir)`` and ``NewsIndex.search``;
* bare Whoosh as its documentation suggests: StemmingAnalyzer, BM25F (the default),
  ``writer(procs=2, limitmb=256, multisegment=True)``, ``hit.highlights("text")``; and, build
  figures only, bare Whoosh with one process (``writer(limitmb=256)``, system ``whoosh1``);
* SQLite FTS5 through Python's sqlite3: ``tokenize='porter unicode61'``, one transaction,
  ``MATCH`` + ``ORDER BY bm25(t)`` + ``snippet()``.

Input: ``<data>/corpora/*.jsonl`` (one article per line; paragraphs are ``text`` split on a blank
line, ``pid`` = ``<id>#<n>``). ``<data>`` is ``--data DIR``, else ``$NEWSSEARCH_DATA``, else
``../shared/data`` beside the repository. Without the corpora the benchmark says so and exits 0.
Inputs and indexes live in a temporary folder (never inside the repository), removed at the end
unless ``--keep``.

Only the standard library plus what newssearch depends on (whoosh) is used.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import importlib.util
import datetime as _dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DATA_ENV = "NEWSSEARCH_DATA"
RESULT_MARK = "BENCH-RESULT "
# Environment of every child process (set in main: PYTHONPATH points at the snapshot of newssearch).
CHILD_ENV: dict[str, str] | None = None

SYSTEMS = ("newssearch", "newssearch1", "whoosh", "whoosh1", "fts5")
DEFAULT_SYSTEMS = ("newssearch", "whoosh", "whoosh1", "fts5")
SYSTEM_LABELS = {"newssearch": "newssearch", "newssearch1": "newssearch, 1 process",
                 "whoosh": "bare Whoosh 2.7.4", "whoosh1": "bare Whoosh 2.7.4, 1 process", "fts5": "SQLite FTS5"}
# Same index formats as newssearch and whoosh: their queries are not re-measured.
BUILD_ONLY = frozenset({"newssearch1", "whoosh1"})

# Sizes: the corpora files they use, or a synthetic target.
SIZES = {
    "small": ("bbc.jsonl", "polnear.jsonl"),                                   # 27,932 paragraphs
    "corpora": ("agnews.jsonl", "bbc.jsonl", "polnear.jsonl", "reuters.jsonl"),  # 142,917 paragraphs
    "1m": None,                                                                # synthetic, ~1,000,000
}
SIZE_NOTES = {
    "small": "bbc + polnear (the ~25k size)",
    "corpora": "all four corpora files",
    "1m": "synthetic: corpora paragraphs recombined into new articles",
}
SYNTHETIC_PARAGRAPHS = 1_000_000
SYNTHETIC_SEED = 20240601
SYNTHETIC_PARAGRAPHS_PER_FILE = 100_000   # ~20 MB per file, under newssearch's per-file size limit

# The fixed query set. Query syntax is the common subset: words (all must match) and "phrases".
QUERIES: tuple[tuple[str, str], ...] = (
    ("rare", "cocoa"),
    ("rare", "iphone"),
    ("rare", "Greenspan"),
    ("common", "said"),
    ("common", "government"),
    ("common", "market"),
    ("name", "Blair"),
    ("name", "Trump"),
    ("name", "Obama"),
    ("name", "Reagan"),
    ("2 words", "election campaign"),
    ("2 words", "tax cuts"),
    ("2 words", "Clinton immigration"),
    ("3 words", "central bank dollar"),
    ("3 words", "OPEC oil output"),
    ("3 words", "Hillary Clinton email"),
    ("phrase", '"prime minister"'),
    ("phrase", '"interest rates"'),
    ("phrase", '"oil prices"'),
    ("phrase", '"White House" Trump'),
)
# Queries of the cold (one process per query) measurement: one of each kind.
COLD_QUERIES = ('"prime minister"', "Blair", "said", "central bank dollar", "cocoa")
COLD_RUNS = 5
LIMIT = 10


# =========================================================================== helpers


@contextlib.contextmanager
def _quiet_imports() -> Iterator[None]:
    """Whoosh with its SyntaxWarnings and DeprecationWarnings ignored."""
    with warnings.catch_warnings():
        for category in (SyntaxWarning, DeprecationWarning, PendingDeprecationWarning):
            warnings.simplefilter("ignore", category)
        yield


def read_paragraphs(files: Sequence[str]) -> Iterator[tuple[str, str, int, str, str | None, str | None, str]]:
    """(pid, aid, pno, title, date, section, text) for every paragraph of the JSON Lines files."""
    for file in files:
        with open(file, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                aid = record["id"]
                number = 0
                for block in record["text"].split("\n\n"):
                    block = block.strip()
                    if not block:
                        continue
                    number += 1
                    yield (f"{aid}#{number}", aid, number, record.get("title") or "", record.get("date"),
                           record.get("section"), block)


def fts5_query(text: str) -> str:
    """Our query text as an FTS5 expression: "phrases" kept, every other word quoted, all ANDed."""
    parts: list[str] = []
    rest = text
    while rest:
        start = rest.find('"')
        if start < 0:
            parts += [f'"{w}"' for w in _fts_words(rest)]
            break
        parts += [f'"{w}"' for w in _fts_words(rest[:start])]
        end = rest.find('"', start + 1)
        if end < 0:
            end = len(rest)
        phrase = " ".join(_fts_words(rest[start + 1:end]))
        if phrase:
            parts.append(f'"{phrase}"')
        rest = rest[end + 1:]
    return " AND ".join(parts)


def _fts_words(text: str) -> list[str]:
    return [w.replace('"', '""') for w in text.split() if w.replace('"', "")]


def dir_size(path: str | Path) -> int:
    """Bytes of all files under ``path`` (or of ``path`` itself if it is a file)."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def maxrss_mb(value: int) -> float:
    """ru_maxrss in MB (kilobytes on Linux, bytes on macOS)."""
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def newssearch_command() -> list[str]:
    """How to run the ``newssearch`` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / ("newssearch.exe" if os.name == "nt" else "newssearch")
    if script.exists():
        return [str(script)]
    found = shutil.which("newssearch")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from newssearch.cli import main; sys.exit(main())"]


def snapshot_newssearch(workdir: Path) -> tuple[str | None, str]:
    """Copy the importable newssearch package into ``workdir``; return (folder for PYTHONPATH, note).

    Every child process imports this copy, so all builds, queries and cold commands of one run
    measure the same code even while the source tree is being edited. The copy is compiled to
    bytecode first, as ``pip install`` does, so that a cold command does not compile the package
    (an editable install under ``PYTHONDONTWRITEBYTECODE`` would, on every run).
    """
    spec = importlib.util.find_spec("newssearch")
    if spec is None or not spec.submodule_search_locations:
        return None, "newssearch is not importable"
    source = Path(list(spec.submodule_search_locations)[0])
    target = workdir / "snapshot"
    shutil.copytree(source, target / "newssearch", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    compileall.compile_dir(str(target / "newssearch"), quiet=1)
    note = f"snapshot of {source} taken at start"
    try:
        head = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(source), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, check=True).stdout.strip()
        note += f" (git {head}{' + uncommitted changes' if dirty else ''})"
    except (OSError, subprocess.CalledProcessError):
        pass
    return str(target), note


# =========================================================================== process-tree memory


class TreeMemorySampler:
    """Samples the summed memory (PSS, else RSS) of a process and its descendants from /proc.

    Finding the descendants scans every process in /proc (about 1.3 ms of CPU), so the list is
    refreshed every ``refresh`` seconds and only the known processes' memory is read in between:
    the sampler itself then takes well under 1% of a core away from the build it measures.
    """

    def __init__(self, pid: int, interval: float = 0.1, refresh: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self.refresh = refresh
        self.peak_kb = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = os.path.isdir("/proc/self")

    def __enter__(self) -> TreeMemorySampler:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()

    def _run(self) -> None:
        pids: list[int] = []
        refreshed_at = float("-inf")
        while not self._stop.is_set():
            now = time.monotonic()
            if now - refreshed_at >= self.refresh:
                pids, refreshed_at = _descendants(self.pid), now
            total = sum(_memory_kb(pid) for pid in pids)
            if total > self.peak_kb:
                self.peak_kb = total
                self.peak_processes = len(pids)
            self._stop.wait(self.interval)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, ()))
    return found


def _memory_kb(pid: int) -> int:
    for name, key in (("smaps_rollup", b"Pss:"), ("status", b"VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}", "rb") as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return 0


# =========================================================================== inputs


def data_dir(option: str | None) -> Path:
    return Path(option or os.environ.get(DATA_ENV) or DEFAULT_DATA)


def prepare_input(size: str, corpora: Path, workdir: Path) -> tuple[list[str], str]:
    """Write the JSON Lines input of ``size`` under ``workdir``; return its files and a description."""
    folder = workdir / f"input-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    names = SIZES[size]
    if names is not None:
        files = []
        for name in names:
            target = folder / name
            shutil.copyfile(corpora / name, target)
            files.append(str(target))
        return files, f"{SIZE_NOTES[size]}: {', '.join(names)}"
    return synthesize(corpora, folder, SYNTHETIC_PARAGRAPHS, SYNTHETIC_SEED), (
        f"{SIZE_NOTES[size]} (seed {SYNTHETIC_SEED})")


def synthesize(corpora: Path, folder: Path, target: int, seed: int) -> list[str]:
    """About ``target`` paragraphs: new articles (distinct ids and dates) made of real paragraphs.

    Each new article copies a random real article's title, source, section, first paragraph and
    shape (its number of paragraphs), and fills the rest with paragraphs drawn at random from real
    articles of the same source and section, so vocabulary and length distributions stay those of
    the corpora. Ids (``synthetic/NNNNNNN``) and dates (1985-2024) are new.
    """
    rng = random.Random(seed)
    articles: list[dict] = []
    pools: dict[tuple[str, str], list[str]] = {}
    for file in sorted(corpora.glob("*.jsonl")):
        with open(file, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                paragraphs = [p.strip() for p in record["text"].split("\n\n") if p.strip()]
                key = (record.get("source") or "", record.get("section") or "")
                pools.setdefault(key, []).extend(paragraphs)
                articles.append({"title": record["title"], "source": record.get("source"),
                                 "section": record.get("section"), "count": len(paragraphs), "key": key,
                                 "lede": paragraphs[0]})
    first_day = _dt.date(1985, 1, 1).toordinal()
    last_day = _dt.date(2024, 12, 31).toordinal()
    files: list[str] = []
    written = 0
    number = 0
    handle = None
    in_file = 0
    try:
        while written < target:
            if handle is None or in_file >= SYNTHETIC_PARAGRAPHS_PER_FILE:
                if handle is not None:
                    handle.close()
                path = folder / f"synthetic-{len(files):03d}.jsonl"
                files.append(str(path))
                handle = open(path, "w", encoding="utf-8", newline="\n")
                in_file = 0
            template = rng.choice(articles)
            pool = pools[template["key"]]
            count = min(template["count"], target - written)
            paragraphs = [template["lede"]] + [rng.choice(pool) for _ in range(count - 1)]
            number += 1
            record = {
                "id": f"synthetic/{number:07d}",
                "title": template["title"],
                "date": _dt.date.fromordinal(rng.randint(first_day, last_day)).isoformat(),
                "section": template["section"],
                "source": template["source"],
                "url": None,
                "text": "\n\n".join(paragraphs),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += count
            in_file += count
    finally:
        if handle is not None:
            handle.close()
    return files


# =========================================================================== workers (child processes)


def build_newssearch(files: list[str], dest: str, jobs: int | None = None) -> dict:
    """``index_paths`` as is (its default number of worker processes), or with ``jobs`` workers."""
    import inspect  # noqa: PLC0415

    import newssearch  # noqa: PLC0415
    from newssearch import index_paths  # noqa: PLC0415

    extra = {}
    if jobs is not None:
        if "jobs" not in inspect.signature(index_paths).parameters:
            raise RuntimeError("this newssearch's index_paths has no jobs parameter")
        extra["jobs"] = jobs
    started = time.perf_counter()
    report = index_paths(files, dest, **extra)
    seconds = time.perf_counter() - started
    return {"module": newssearch.__file__, "paragraphs": report.paragraphs, "articles": report.articles,
            "seconds": seconds, "reported_seconds": report.seconds, "workers": getattr(report, "workers", None),
            "problems": [str(p) for p in report.problems][:20], "problem_count": len(report.problems)}


def build_newssearch_one_process(files: list[str], dest: str) -> dict:
    return build_newssearch(files, dest, jobs=1)


def whoosh_schema():
    with _quiet_imports():
        from whoosh.analysis import StemmingAnalyzer  # noqa: PLC0415
        from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, Schema  # noqa: PLC0415
    return Schema(pid=ID(stored=True, unique=True), aid=ID(stored=True), pno=NUMERIC(stored=True),
                  title=TEXT(stored=True, analyzer=StemmingAnalyzer()), date=DATETIME(stored=True),
                  section=ID(stored=True), text=TEXT(stored=True, analyzer=StemmingAnalyzer()))


def build_whoosh(files: list[str], dest: str, procs: int = 2) -> dict:
    """Bare Whoosh as its documentation suggests: ``writer(procs=2, limitmb=256, multisegment=True)``;
    with ``procs=1``, its plain single-process writer (``limitmb=256``)."""
    with _quiet_imports():
        import whoosh.index  # noqa: PLC0415
        import whoosh.multiproc  # noqa: F401, PLC0415
    started = time.perf_counter()
    os.makedirs(dest, exist_ok=True)
    with _quiet_imports():
        ix = whoosh.index.create_in(dest, whoosh_schema())
        writer = (ix.writer(procs=procs, limitmb=256, multisegment=True) if procs > 1
                  else ix.writer(limitmb=256))
        count = 0
        articles = set()
        for pid, aid, pno, title, day, section, text in read_paragraphs(files):
            document = {"pid": pid, "aid": aid, "pno": pno, "title": title, "text": text}
            if day:
                document["date"] = _dt.datetime.strptime(day, "%Y-%m-%d")
            if section:
                document["section"] = section
            writer.add_document(**document)
            articles.add(aid)
            count += 1
        writer.commit()
        ix.close()
    return {"paragraphs": count, "articles": len(articles), "seconds": time.perf_counter() - started}


def build_fts5(files: list[str], dest: str) -> dict:
    import sqlite3  # noqa: PLC0415

    started = time.perf_counter()
    os.makedirs(dest, exist_ok=True)
    connection = sqlite3.connect(os.path.join(dest, "fts5.db"))
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(pid UNINDEXED, title, text, "
                       "tokenize='porter unicode61')")
    counter = {"paragraphs": 0}
    articles: set[str] = set()

    def rows():
        for pid, aid, _pno, title, _day, _section, text in read_paragraphs(files):
            counter["paragraphs"] += 1
            articles.add(aid)
            yield pid, title, text

    with connection:  # one transaction
        connection.executemany("INSERT INTO t(pid, title, text) VALUES (?, ?, ?)", rows())
    connection.close()
    return {"paragraphs": counter["paragraphs"], "articles": len(articles),
            "seconds": time.perf_counter() - started}


def build_whoosh_one_process(files: list[str], dest: str) -> dict:
    return build_whoosh(files, dest, procs=1)


BUILDERS = {"newssearch": build_newssearch, "newssearch1": build_newssearch_one_process, "whoosh": build_whoosh,
            "whoosh1": build_whoosh_one_process,
            "fts5": build_fts5}


class Searcher:
    """One system's warm searcher: ``run(query)`` returns the top hits with highlighted snippets."""

    def __init__(self, system: str, dest: str) -> None:
        self.system = system
        self.dest = dest
        if system == "newssearch":
            from newssearch import NewsIndex  # noqa: PLC0415
            self._ix = NewsIndex.open(dest)
        elif system == "whoosh":
            with _quiet_imports():
                import whoosh.index  # noqa: PLC0415
                from whoosh.qparser import QueryParser  # noqa: PLC0415
                self._ix = whoosh.index.open_dir(dest)
                self._searcher = self._ix.searcher()  # BM25F is the default weighting
                self._parser = QueryParser("text", self._ix.schema)
        else:
            import sqlite3  # noqa: PLC0415
            self._db = sqlite3.connect(os.path.join(dest, "fts5.db"))

    def run(self, query: str) -> list[tuple[str, str]]:
        """(pid, snippet) of the top ``LIMIT`` hits."""
        if self.system == "newssearch":
            results = self._ix.search(query, limit=LIMIT)
            return [(hit.pid, " … ".join(f.text for f in hit.fragments)) for hit in results.hits]
        if self.system == "whoosh":
            with _quiet_imports():
                results = self._searcher.search(self._parser.parse(query), limit=LIMIT)
                return [(hit["pid"], hit.highlights("text")) for hit in results]
        return self._db.execute(
            "SELECT pid, snippet(t, 2, '<b>', '</b>', '…', 24) FROM t WHERE text MATCH ? "
            "ORDER BY bm25(t) LIMIT ?", (fts5_query(query), LIMIT)).fetchall()

    def total(self, query: str) -> int:
        """How many paragraphs match (not timed)."""
        if self.system == "newssearch":
            return int(self._ix.search(query, limit=1).total)
        if self.system == "whoosh":
            with _quiet_imports():
                return len(self._searcher.search(self._parser.parse(query), limit=1))
        return int(self._db.execute("SELECT count(*) FROM t WHERE text MATCH ?",
                                    (fts5_query(query),)).fetchone()[0])

    def close(self) -> None:
        if self.system == "newssearch":
            self._ix.close()
        elif self.system == "whoosh":
            self._searcher.close()
            self._ix.close()
        else:
            self._db.close()


def query_worker(system: str, dest: str, rounds: int) -> dict:
    started = time.perf_counter()
    searcher = Searcher(system, dest)
    open_seconds = time.perf_counter() - started
    queries = [q for _kind, q in QUERIES]
    returned = {q: len(searcher.run(q)) for q in queries}          # warm-up round
    latencies: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(rounds):
        for query in queries:
            began = time.perf_counter()
            hits = searcher.run(query)
            latencies[query].append(time.perf_counter() - began)
            if not hits and returned[query]:
                raise RuntimeError(f"{system}: {query!r} returned no hits on a later round")
    totals = {q: searcher.total(q) for q in queries}
    example = searcher.run('"prime minister"')[:1]
    searcher.close()
    import resource  # noqa: PLC0415
    return {"maxrss_mb": maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), "open_seconds": open_seconds, "latencies": latencies, "returned": returned, "totals": totals,
            "example": example}


def cold_worker(system: str, dest: str, query: str) -> dict:
    """A one-shot query (the comparison point for `newssearch query`): open, search, print, exit."""
    searcher = Searcher(system, dest)
    hits = searcher.run(query)
    for pid, snippet in hits:
        print(pid, snippet)
    searcher.close()
    return {"hits": len(hits)}


def profile_worker(files: list[str], dest: str, rounds: int, top: int) -> dict:
    """cProfile newssearch indexing (in this process: jobs=1 where supported) and warm querying."""
    import cProfile  # noqa: PLC0415
    import io  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    out: dict[str, str] = {}
    import inspect  # noqa: PLC0415

    from newssearch import index_paths  # noqa: PLC0415

    jobs = 1 if "jobs" in inspect.signature(index_paths).parameters else None
    profiler = cProfile.Profile()
    profiler.enable()
    build = build_newssearch(files, dest, jobs=jobs)
    profiler.disable()
    out["index_seconds"] = build["seconds"]
    profiler.dump_stats(dest + "-index.prof")
    out["index"] = _profile_text(profiler, top, io, pstats)

    searcher = Searcher("newssearch", dest)
    for _kind, query in QUERIES:
        searcher.run(query)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for _kind, query in QUERIES:
            searcher.run(query)
    profiler.disable()
    searcher.close()
    profiler.dump_stats(dest + "-query.prof")
    out["query"] = _profile_text(profiler, top, io, pstats)
    out["files"] = f"{dest}-index.prof, {dest}-query.prof, {dest}-cold.prof"
    return out


def profile_cold(dest: str, workdir: Path, top: int) -> str:
    """cProfile one whole `newssearch query` process (imports included): where the cold time goes."""
    import io  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    command = newssearch_command()
    if len(command) != 1:
        return "(no newssearch console script to profile)"
    output = dest + "-cold.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", output, command[0], "query", COLD_QUERIES[0],
                    "--index", dest], cwd=workdir, env=dict(CHILD_ENV or os.environ, NO_COLOR="1"),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if not os.path.exists(output):
        return "(the profiled command wrote no statistics)"
    return _profile_text(output, top, io, pstats)


def _profile_text(profiler, top, io, pstats) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buffer.getvalue()


def run_worker(spec: dict) -> None:
    task = spec["task"]
    if task == "build":
        result = BUILDERS[spec["system"]](spec["files"], spec["dest"])
        import resource  # noqa: PLC0415
        result["maxrss_self_mb"] = maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        result["maxrss_children_mb"] = maxrss_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    elif task == "query":
        result = query_worker(spec["system"], spec["dest"], spec["rounds"])
    elif task == "cold":
        result = cold_worker(spec["system"], spec["dest"], spec["query"])
    elif task == "profile":
        result = profile_worker(spec["files"], spec["dest"], spec["rounds"], spec["top"])
    else:
        raise SystemExit(f"unknown worker task {task!r}")
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()


def call_worker(spec: dict, *, sample_memory: bool = False, timeout: float | None = None) -> dict:
    """Run this script as a fresh child process doing ``spec``; return its result."""
    import resource  # noqa: PLC0415

    command = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=CHILD_ENV)
    sampler = TreeMemorySampler(process.pid) if sample_memory else None
    if sampler:
        sampler.__enter__()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        if sampler:
            sampler.__exit__()
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = None
    for line in stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK):])
    if result is not None:  # the child and every descendant it waited for (worker processes)
        result["cpu_seconds"] = (usage_after.ru_utime - usage_before.ru_utime
                                 + usage_after.ru_stime - usage_before.ru_stime)
    if process.returncode != 0 or result is None:
        lines = stderr.strip().splitlines() or ["(no message)"]
        raise RuntimeError(f"{spec['task']} failed (exit {process.returncode}): {lines[-1]}\n"
                           + "\n".join(lines[-15:]))
    if sampler:
        result["tree_peak_mb"] = sampler.peak_kb / 1024
        result["tree_peak_processes"] = sampler.peak_processes
    return result


# =========================================================================== orchestration


def bench_system(system: str, files: list[str], workdir: Path, size: str, rounds: int, log) -> dict:
    dest = str(workdir / f"{system}-{size}")
    log(f"  {SYSTEM_LABELS[system]}: building ...")
    build = call_worker({"task": "build", "system": system, "files": files, "dest": dest}, sample_memory=True)
    build["index_mb"] = dir_size(dest) / 1e6
    build["peak_mb"] = max(build.get("tree_peak_mb", 0.0), build["maxrss_self_mb"], build["maxrss_children_mb"])
    build["per_second"] = build["paragraphs"] / build["seconds"] if build["seconds"] else float("nan")
    log(f"    {build['paragraphs']:,} paragraphs in {build['seconds']:.1f} s "
        f"({build['per_second']:,.0f}/s; {build['cpu_seconds']:.1f} CPU-s), {build['index_mb']:.1f} MB, "
        f"peak {build['peak_mb']:.0f} MB")
    entry: dict = {"build": build, "index_dir": dest}
    if system in BUILD_ONLY:
        return entry
    log(f"  {SYSTEM_LABELS[system]}: querying ({len(QUERIES)} queries x {rounds} rounds, warm) ...")
    try:
        query = call_worker({"task": "query", "system": system, "dest": dest, "rounds": rounds})
        all_latencies = [s for values in query["latencies"].values() for s in values]
        query["p50_ms"] = percentile(all_latencies, 50) * 1000
        query["p95_ms"] = percentile(all_latencies, 95) * 1000
        query["max_ms"] = max(all_latencies) * 1000
        query["per_query_p50_ms"] = {q: percentile(v, 50) * 1000 for q, v in query["latencies"].items()}
        entry["query"] = query
        log(f"    p50 {query['p50_ms']:.1f} ms, p95 {query['p95_ms']:.1f} ms; query process peak "
            f"{query['maxrss_mb']:.0f} MB")
    except Exception as error:  # noqa: BLE001 - keep the build figures
        entry["query_error"] = str(error)
        log(f"    FAILED: {error}")
    log(f"  {SYSTEM_LABELS[system]}: cold one-shot queries ...")
    try:
        entry["cold"] = cold_runs(system, dest, workdir)
        log(f"    median {entry['cold']['median_ms']:.0f} ms")
    except Exception as error:  # noqa: BLE001
        entry["cold_error"] = str(error)
        log(f"    FAILED: {error}")
    return entry


def cold_runs(system: str, dest: str, workdir: Path) -> dict:
    if system == "newssearch":
        commands = [newssearch_command() + ["query", q, "--index", dest] for q in COLD_QUERIES]
        how = "newssearch query TEXT --index DIR"
    else:
        script = str(Path(__file__).resolve())
        commands = [[sys.executable, script, "--worker",
                     json.dumps({"task": "cold", "system": system, "dest": dest, "query": q})]
                    for q in COLD_QUERIES]
        how = f"python {Path(script).name} (one-shot {system} query)"
    environment = dict(CHILD_ENV or os.environ, NO_COLOR="1")
    environment.pop("NEWSSEARCH_INDEX", None)
    subprocess.run(commands[0], cwd=workdir, env=environment, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)  # warm the OS cache and .pyc files
    times, codes = [], []
    for run in range(COLD_RUNS):
        command = commands[run % len(commands)]
        began = time.perf_counter()
        completed = subprocess.run(command, cwd=workdir, env=environment, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - began)
        codes.append(completed.returncode)
        if completed.returncode not in (0, 1):
            raise RuntimeError(f"cold query {command!r} failed with exit {completed.returncode}: "
                               f"{completed.stderr.decode(errors='replace')[-500:]}")
    return {"how": how, "queries": list(COLD_QUERIES[:COLD_RUNS]), "seconds": times, "exit_codes": codes,
            "median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000}


# =========================================================================== report


def ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return "—"
    r = value / reference
    return f"{r:.2f}x" if r < 10 else f"{r:.0f}x" if r < 1000 else f"{r:,.0f}x"


def cell(value: float | None, reference: float | None, fmt: str, show_ratio: bool) -> str:
    if value is None:
        return "—"
    text = format(value, fmt)
    return f"{text} ({ratio(value, reference)})" if show_ratio and reference else text


def render_table(results: dict) -> str:
    lines = [
        "| size | system | paragraphs | build s | paragraphs/s (x FTS5) | index MB (x FTS5) | peak MB (x FTS5) "
        "| query p50 ms (x FTS5) | query p95 ms (x FTS5) | cold query ms (x FTS5) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, by_system in results["sizes"].items():
        systems = by_system["systems"]
        ref = systems.get("fts5")
        refb = ref.get("build") or {} if ref else {}
        refq = ref.get("query") or {} if ref else {}
        refc = ref.get("cold") or {} if ref else {}
        for system in SYSTEMS:
            if system not in systems:
                continue
            entry = systems[system]
            if "error" in entry:
                reason = entry["error"].splitlines()[0][:120].replace("|", "/")
                lines.append(f"| {size} | {SYSTEM_LABELS[system]} | {reason} | | | | | | | |")
                continue
            b, q, c = entry["build"], entry.get("query") or {}, entry.get("cold") or {}
            show = system != "fts5"
            lines.append(
                f"| {size} | {SYSTEM_LABELS[system]} | {b['paragraphs']:,} | {b['seconds']:.1f} "
                f"| {cell(b['per_second'], refb.get('per_second'), ',.0f', show)} "
                f"| {cell(b['index_mb'], refb.get('index_mb'), '.1f', show)} "
                f"| {cell(b['peak_mb'], refb.get('peak_mb'), '.0f', show)} "
                f"| {cell(q.get('p50_ms'), refq.get('p50_ms'), '.1f', show)} "
                f"| {cell(q.get('p95_ms'), refq.get('p95_ms'), '.1f', show)} "
                f"| {cell(c.get('median_ms'), refc.get('median_ms'), '.0f', show)} |")
    return "\n".join(lines)


def render_targets(results: dict) -> str:
    """The issue's targets, checked against this run's figures for newssearch."""
    lines = []
    for size, by_system in results["sizes"].items():
        systems = {name: entry for name, entry in by_system["systems"].items() if "build" in entry}
        checks = []
        for name in ("newssearch", "newssearch1"):
            for baseline in ("whoosh", "whoosh1"):
                if name in systems and baseline in systems:
                    ours, theirs = systems[name]["build"], systems[baseline]["build"]
                    speedup = ours["per_second"] / theirs["per_second"]
                    cpu = ""
                    if ours.get("cpu_seconds") and theirs.get("cpu_seconds"):
                        cpu = (f" (CPU time {ours['cpu_seconds']:.0f} s vs {theirs['cpu_seconds']:.0f} s: "
                               f"{theirs['cpu_seconds'] / ours['cpu_seconds']:.2f}x less)")
                    checks.append((f"indexing >= 4x {SYSTEM_LABELS[baseline]} ({SYSTEM_LABELS[name]})",
                                   f"{speedup:.2f}x{cpu}", speedup >= 4))
        ns = systems.get("newssearch")
        if ns:
            p95 = (ns.get("query") or {}).get("p95_ms")
            cold = (ns.get("cold") or {}).get("median_ms")
            if size == "1m":
                peak = ns["build"]["peak_mb"]
                checks.append(("peak memory <= 1.5 GB", f"{peak:,.0f} MB", peak <= 1536))
                if p95 is not None:
                    checks.append(("warm query p95 <= 100 ms", f"{p95:.1f} ms", p95 <= 100))
            if size == "corpora":
                if p95 is not None:
                    checks.append(("warm query p95 <= 20 ms", f"{p95:.1f} ms", p95 <= 20))
                if cold is not None:
                    checks.append(("`newssearch query` <= 0.5 s", f"{cold:.0f} ms", cold <= 500))
        for name, value, ok in checks:
            lines.append(f"- {size}: {name}: {value} — {'met' if ok else 'NOT met'}")
    return "\n".join(lines)


def render_queries(results: dict) -> str:
    """Per-query warm p50 latency and match counts at the largest size run."""
    size, by_system = list(results["sizes"].items())[-1]
    systems = [s for s in SYSTEMS if "query" in by_system["systems"].get(s, {})]
    if not systems:
        return ""
    header = "| query | kind | " + " | ".join(f"{SYSTEM_LABELS[s]} p50 ms / matches" for s in systems) + " |"
    lines = [f"Per query at size {size} (warm p50 latency / paragraphs matching):", "", header,
             "|---|---|" + "---:|" * len(systems)]
    for kind, query in QUERIES:
        cells = []
        for system in systems:
            q = by_system["systems"][system]["query"]
            cells.append(f"{q['per_query_p50_ms'][query]:.1f} / {q['totals'][query]:,}")
        lines.append(f"| `{query}` | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# =========================================================================== main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark newssearch against bare Whoosh 2.7.4 and SQLite FTS5 over the same paragraphs.",
        epilog="Default: --size small,corpora with newssearch, bare Whoosh (2 processes and 1) and FTS5 (about 15 minutes "
               "on this project's 2-CPU machine; bare Whoosh is the slowest). --size 1m is a separate, longer mode "
               "(about an hour with every system, 35 minutes with --systems newssearch,whoosh,fts5; up to ~1.6 GB "
               "of temporary files).")
    parser.add_argument("--size", default="small,corpora",
                        help="comma-separated sizes: small (~28k paragraphs), corpora (~143k), 1m (synthetic ~1M). "
                             "[default: small,corpora]")
    parser.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS),
                        help=f"comma-separated systems to run, of {', '.join(SYSTEMS)} (newssearch1 = newssearch "
                             f"indexing with jobs=1, whoosh1 = bare Whoosh's single-process writer; both build "
                             f"figures only) [default: {','.join(DEFAULT_SYSTEMS)}]")
    parser.add_argument("--data", help=f"shared data folder holding corpora/*.jsonl "
                                       f"[default: ${DATA_ENV} or {DEFAULT_DATA}]")
    parser.add_argument("--rounds", type=int, default=5, help="timed query rounds after the warm-up [default: 5]")
    parser.add_argument("--json", dest="json_path", help="also write all raw numbers to this JSON file")
    parser.add_argument("--workdir", help="folder for the temporary inputs and indexes [default: system temp]")
    parser.add_argument("--keep", action="store_true", help="keep the temporary inputs and indexes")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile newssearch indexing and querying at each size and print the top costs")
    parser.add_argument("--profile-top", type=int, default=25, help="rows per profile listing [default: 25]")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="import newssearch as installed in every child process, instead of a copy of the "
                             "package taken when the run starts")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        run_worker(json.loads(args.worker))
        return 0

    sizes = [s.strip().lower() for s in args.size.split(",") if s.strip()]
    systems = [s.strip().lower() for s in args.systems.split(",") if s.strip()]
    for value, allowed, what in ((sizes, SIZES, "size"), (systems, SYSTEMS, "system")):
        unknown = [v for v in value if v not in allowed]
        if unknown or not value:
            print(f"bench: unknown {what} {', '.join(unknown) or '(none)'}; choose from {', '.join(allowed)}",
                  file=sys.stderr)
            return 2

    corpora = data_dir(args.data) / "corpora"
    needed = {name for size in sizes for name in (SIZES[size] or ("bbc.jsonl",))}
    missing = sorted(name for name in needed if not (corpora / name).is_file())
    if missing:
        print(f"bench: skipped — the news corpora are not available ({corpora}/ lacks {', '.join(missing)}). "
              f"Pass --data DIR or set ${DATA_ENV} to a folder holding corpora/*.jsonl.")
        return 0

    base = Path(args.workdir).resolve() if args.workdir else Path(tempfile.gettempdir()).resolve()
    if base == REPO or REPO in base.parents:
        print(f"bench: refusing to write temporary files inside the repository ({base})", file=sys.stderr)
        return 2
    base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="newssearch-bench-", dir=base))

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results: dict = {
        "started": _dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                    "load_average_start": _load()},
        "versions": _versions(),
        "queries": [{"kind": k, "query": q} for k, q in QUERIES],
        "cold_queries": list(COLD_QUERIES),
        "rounds": args.rounds,
        "data": str(corpora),
        "workdir": str(workdir),
        "sizes": {},
    }
    log(f"bench: working in {workdir}")
    global CHILD_ENV  # noqa: PLW0603
    CHILD_ENV = dict(os.environ)
    if args.no_snapshot:
        results["newssearch_code"] = "as installed (no snapshot)"
    else:
        snapshot, results["newssearch_code"] = snapshot_newssearch(workdir)
        if snapshot:
            CHILD_ENV["PYTHONPATH"] = os.pathsep.join(p for p in (snapshot, os.environ.get("PYTHONPATH")) if p)
    log(f"bench: newssearch code: {results['newssearch_code']}")
    try:
        for size in sizes:
            log(f"[{size}] preparing input ...")
            began = time.perf_counter()
            files, description = prepare_input(size, corpora, workdir)
            log(f"[{size}] {description}: {len(files)} file(s), {sum(dir_size(f) for f in files) / 1e6:.1f} MB "
                f"({time.perf_counter() - began:.1f} s)")
            entry: dict = {"description": description, "files": [Path(f).name for f in files], "systems": {}}
            results["sizes"][size] = entry
            for system in SYSTEMS:
                if system not in systems:
                    continue
                try:
                    entry["systems"][system] = bench_system(system, files, workdir, size, args.rounds, log)
                except Exception as error:  # noqa: BLE001 - report and go on with the other systems
                    log(f"  {SYSTEM_LABELS[system]} FAILED: {error}")
                    entry["systems"][system] = {"error": str(error)}
                finally:
                    if not args.keep:
                        shutil.rmtree(workdir / f"{system}-{size}", ignore_errors=True)
            if args.profile:
                log(f"[{size}] profiling newssearch (cProfile) ...")
                dest = str(workdir / f"profile-{size}")
                try:
                    entry["profile"] = call_worker({"task": "profile", "files": files, "dest": dest,
                                                    "rounds": args.rounds, "top": args.profile_top})
                    entry["profile"]["cold"] = profile_cold(dest, workdir, args.profile_top)
                except Exception as error:  # noqa: BLE001
                    log(f"  profiling FAILED: {error}")
            if not args.keep:
                shutil.rmtree(workdir / f"input-{size}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    results["finished"] = _dt.datetime.now().isoformat(timespec="seconds")
    results["machine"]["load_average_end"] = _load()
    print_report(results, args)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"bench: raw numbers written to {args.json_path}")
    return 0


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _versions() -> dict:
    import sqlite3  # noqa: PLC0415

    versions = {"sqlite": sqlite3.sqlite_version}
    try:
        with _quiet_imports():
            import whoosh  # noqa: PLC0415
        versions["whoosh"] = whoosh.versionstring()
    except ImportError:
        versions["whoosh"] = None
    try:
        from importlib.metadata import version  # noqa: PLC0415
        versions["newssearch"] = version("newssearch")
    except Exception:  # noqa: BLE001
        versions["newssearch"] = None
    return versions


def print_report(results: dict, args: argparse.Namespace) -> None:
    m, v = results["machine"], results["versions"]
    print(f"## newssearch benchmark — {results['started']}")
    print()
    print(f"Machine: {m['cpus']} CPUs, {m['processor']}, {m['platform']}; Python {m['python']}; "
          f"newssearch {v['newssearch']}, Whoosh {v['whoosh']}, SQLite {v['sqlite']}.")
    print(f"- newssearch code: {results.get('newssearch_code')}")
    if m.get("load_average_start") is not None:
        print(f"- Load average (1, 5, 15 min) at start {m['load_average_start']}, at end {m.get('load_average_end')} "
              "(other work on the machine makes the figures noisier).")
    for size, entry in results["sizes"].items():
        print(f"- {size}: {entry['description']}")
    print(f"- Queries: {len(QUERIES)} fixed queries (rare, common, names, 2 and 3 words, phrases), top {LIMIT} "
          f"with highlighted snippets; warm = 1 warm-up round then {results['rounds']} timed rounds in one process; "
          f"cold = one process per query, median of {COLD_RUNS} ({', '.join(COLD_QUERIES)}).")
    print("- Build = whole pipeline from JSON Lines files, one fresh process per build; peak MB includes "
          "child processes (Whoosh's procs=2 writers, newssearch's indexing workers).")
    print("- (x FTS5) = this figure divided by SQLite FTS5's: higher is better for paragraphs/s, "
          "lower is better for the rest.")
    print()
    print(render_table(results))
    targets = render_targets(results)
    if targets:
        print()
        print("Targets (issue 4), newssearch:")
        print(targets)
    cold_how = {s: e["cold"]["how"] for entry in results["sizes"].values()
                for s, e in entry["systems"].items() if "cold" in e}
    if cold_how:
        print()
        print("Cold query: " + "; ".join(f"{SYSTEM_LABELS[s]} = `{how}`" for s, how in cold_how.items()))
    failures = [f"- {size}, {SYSTEM_LABELS[system]}, {key.replace('_error', '') if key != 'error' else 'build'}: "
                f"{entry[key].splitlines()[0]}"
                for size, by_size in results["sizes"].items() for system, entry in by_size["systems"].items()
                for key in ("error", "query_error", "cold_error") if key in entry]
    if failures:
        print()
        print("Failures:")
        print("\n".join(failures))
    queries = render_queries(results)
    if queries:
        print()
        print(queries)
    for size, entry in results["sizes"].items():
        profile = entry.get("profile")
        if profile:
            print()
            kept = f"stats files: {profile['files']}" if args.keep else "stats files kept with --keep"
            print(f"### cProfile, newssearch, size {size} ({kept})")
            titles = {"index": f"indexing, in one process ({profile.get('index_seconds', 0):.1f} s under cProfile)",
                      "query": f"warm queries ({results['rounds']} rounds of the query set)",
                      "cold": f"one `newssearch query {COLD_QUERIES[0]}` process, imports included"}
            for part in ("index", "query", "cold"):
                if part not in profile:
                    continue
                print(f"\n#### {titles[part]}\n")
                print("```")
                print(profile[part].rstrip())
                print("```")


if __name__ == "__main__":
    sys.exit(main())
