#!/usr/bin/env python3
"""Measure the Sphinx cluster backend's storage layer on the news corpora: inserts, queries, memory.

Run from the repository root, in the environment where newssearch is installed with the
``cluster`` extra and ``searchd`` is on the PATH (Debian: ``apt-get install -y sphinxsearch``):

    python benchmarks/cluster_bench.py                 # 2 shards, ~143k paragraphs, about 4 minutes
    python benchmarks/cluster_bench.py --shards 3 --rounds 50 --json /tmp/cluster.json

What it does, in this order, printing each figure as it goes:

1. ingest: reads ``<data>/corpora/*.jsonl`` with newssearch's own reader, splits paragraphs and
   attributes speakers exactly as ``newssearch index`` does (``indexer.prepare_paragraphs``), and
   turns them into records. Timed separately: this is newssearch's CPU-bound side, the rate the
   cluster's inserts are compared with;
2. keywords: every distinct analysed term of every field goes through ``CALL KEYWORDS`` on a
   shard, which must give each term back as one keyword, unchanged (the matching guarantee);
3. inserts from one client into a fresh cluster, then from two client processes (each writing
   half of the articles) into another fresh cluster: paragraphs per second of wall clock, the
   client's CPU seconds and each daemon's CPU seconds (from ``/proc``);
4. queries through the aggregator: the 20 queries of ``benchmarks/bench.py`` compiled to
   MATCH() over analysed terms; p50 and p95 of ``--rounds`` warm rounds, for a plain top-10 page
   (stored text included), with the three facets, and collapsed per article; each query's total is
   checked against a count made in Python from newssearch's analysed terms;
5. memory and disk: each daemon's resident memory (VmRSS) and folder size after the queries.

Clusters live in a temporary folder, stopped and removed at the end (unless ``--keep``). Input:
``--data DIR``, else ``$NEWSSEARCH_DATA``, else ``../shared/data`` beside the repository; without
the corpora the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA_ENV = "NEWSSEARCH_DATA"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import QUERIES, percentile  # noqa: E402  the same 20 queries as the main benchmark

from newssearch.analysis import Normalizer  # noqa: E402
from newssearch.ingest.read import read_file  # noqa: E402
from newssearch.backends.sphinx.daemons import (  # noqa: E402
    DaemonSettings, LocalCluster, start_cluster, stop_cluster,
)
from newssearch.backends.sphinx.schema import sphinx_term  # noqa: E402
from newssearch.backends.sphinx.store import (  # noqa: E402
    ClusterStore, DocumentEncoder, ParagraphQuery, ParagraphRecord, match_terms, paragraph_record,
)
from newssearch.ingest.pipeline import prepare_paragraphs  # noqa: E402

_RECORDS: list[ParagraphRecord] = []  # inherited by forked insert clients
_PHRASE_RE = re.compile(r'"([^"]*)"|(\S+)')


def ingest(files: Sequence[Path]) -> tuple[list[ParagraphRecord], dict[str, float]]:
    """Records of every paragraph of ``files``, read and attributed as ``newssearch index`` does."""
    started, cpu = time.perf_counter(), time.process_time()
    records = []
    for file in files:
        for article in read_file(file).articles:
            for paragraph, speakers in prepare_paragraphs(article):
                records.append(paragraph_record(article, paragraph, speakers, str(file)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return records, {"paragraphs": len(records), "seconds": wall, "cpu_seconds": cpu,
                     "paragraphs_per_cpu_second": len(records) / cpu}


def check_keywords(store: ClusterStore, records: list[ParagraphRecord]) -> dict[str, int]:
    """Send every distinct analysed term through CALL KEYWORDS; count terms not kept as they are."""
    english, names = Normalizer(stem=True), Normalizer(stem=False)
    terms: set[str] = set()
    for record in records:
        for text in (record.text, record.title, record.subtitle, record.heading):
            terms.update(english.index_terms(text))
        for name in (*record.speakers, *record.authors):
            terms.update(names.index_terms(name))
    keywords = sorted(map(sphinx_term, terms))
    changed = 0
    for start in range(0, len(keywords), 2000):
        chunk = keywords[start:start + 2000]
        kept = store.keywords(" ".join(chunk))
        changed += sum(a != b for a, b in zip(chunk, kept, strict=False)) + abs(len(chunk) - len(kept))
    rewritten = sum(1 for term in terms if sphinx_term(term) != term)
    return {"distinct_terms": len(terms), "not_kept": changed, "rewritten_long_or_exotic": rewritten}


def _daemon_cpu(cluster: LocalCluster) -> dict[str, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for daemon in cluster.daemons:
        fields = Path(f"/proc/{daemon.pid}/stat").read_text().rsplit(")", 1)[-1].split()
        cpu[daemon.name] = (int(fields[11]) + int(fields[12])) / ticks
    return cpu


def _insert_share(address: str, share: int, shares: int, queue: Any) -> None:
    """One insert client: the articles whose hash falls in ``share``."""
    from newssearch.backends.sphinx.schema import key63

    mine = [r for r in _RECORDS if key63("client:" + r.article_id) % shares == share]
    cpu = time.process_time()
    with ClusterStore(address) as store:
        store.add(mine)
    queue.put((len(mine), time.process_time() - cpu))


def insert_run(records: list[ParagraphRecord], folder: Path, shards: int, clients: int) -> tuple[LocalCluster, dict]:
    """Insert every record into a fresh cluster from ``clients`` processes; time it."""
    cluster = start_cluster(folder, shards, DaemonSettings(rt_mem_limit="512M"), timeout=60)
    before = _daemon_cpu(cluster)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    started = time.perf_counter()
    processes = [context.Process(target=_insert_share, args=(str(cluster.address), share, clients, queue))
                 for share in range(clients)]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    wall = time.perf_counter() - started
    after = _daemon_cpu(cluster)
    with ClusterStore(cluster.address) as store:
        stored = store.documents()
    written = sum(count for count, _ in results)
    return cluster, {
        "clients": clients, "paragraphs": written, "stored": stored, "seconds": wall,
        "paragraphs_per_second": written / wall, "client_cpu_seconds": sum(cpu for _, cpu in results),
        "daemon_cpu_seconds": {name: after[name] - before[name] for name in after}}


def encode_rate(records: list[ParagraphRecord]) -> float:
    """Paragraphs per CPU second of turning records into SQL rows (analysis, hashing, quoting)."""
    encoder = DocumentEncoder()
    cpu = time.process_time()
    for record in records:
        encoder.row_sql(record)
    return len(records) / (time.process_time() - cpu)


def compile_query(text: str, analyser: Normalizer) -> tuple[str, list[list[str]]]:
    """The benchmark's syntax (words, all required, and "phrases") as MATCH(), plus its parts."""
    parts: list[list[str]] = []
    expressions = []
    for phrase, word in _PHRASE_RE.findall(text):
        terms = analyser.index_terms(phrase or word)
        if terms:
            parts.append(terms)
            expressions.append(match_terms(terms, field="text", mode="phrase" if len(terms) > 1 else "all"))
    return " ".join(expressions), parts


def python_total(parts: list[list[str]], analysed: list[list[str]]) -> int:
    """How many paragraphs contain every part (a word, or a phrase as consecutive terms)."""
    def has(terms: list[str], part: list[str]) -> bool:
        if len(part) == 1:
            return part[0] in terms
        return any(terms[i:i + len(part)] == part for i, t in enumerate(terms) if t == part[0])

    return sum(1 for terms in analysed if all(has(terms, part) for part in parts))


def query_run(cluster: LocalCluster, records: list[ParagraphRecord], rounds: int) -> dict[str, Any]:
    """p50/p95 of the benchmark queries through the aggregator, and totals checked in Python."""
    analyser = Normalizer(stem=True)
    analysed = [analyser.index_terms(r.text) for r in records]
    compiled = [(text, *compile_query(text, analyser)) for _, text in QUERIES]
    modes: dict[str, dict[str, Any]] = {"top10": {}, "top10+facets": {"facets": ("section", "speaker", "month")},
                                        "per_article": {"per_article": True}}
    report: dict[str, Any] = {"totals_equal": 0, "queries": len(compiled), "mismatches": []}
    with ClusterStore(cluster.address) as store:
        for text, match, parts in compiled:
            total = store.search(ParagraphQuery(match=match)).total
            expected = python_total(parts, analysed)
            if total == expected:
                report["totals_equal"] += 1
            else:
                report["mismatches"].append({"query": text, "cluster": total, "python": expected})
        for mode, options in modes.items():
            timings = []
            for round_number in range(rounds + 1):  # round 0 warms up
                for _, match, _ in compiled:
                    started = time.perf_counter()
                    store.search(ParagraphQuery(match=match, limit=10, **options))
                    if round_number:
                        timings.append((time.perf_counter() - started) * 1000)
            report[mode] = {"p50_ms": percentile(timings, 50), "p95_ms": percentile(timings, 95),
                            "mean_ms": statistics.fmean(timings), "samples": len(timings)}
    return report


def memory_report(cluster: LocalCluster) -> dict[str, dict[str, float]]:
    report = {}
    for daemon in cluster.daemons:
        rss = 0
        for line in Path(f"/proc/{daemon.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
        disk = sum(f.stat().st_size for f in daemon.folder(cluster.folder).rglob("*") if f.is_file())
        report[daemon.name] = {"rss_mb": rss / 2**20, "disk_mb": disk / 2**20}
    return report


def _say(label: str, value: object) -> None:
    print(f"{label:<34} {value}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="folder holding corpora/*.jsonl (default $NEWSSEARCH_DATA or ../shared/data)")
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=20, help="warm rounds of the 20 queries per mode")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the clusters' folder (printed)")
    args = parser.parse_args(argv)
    corpora = Path(args.data or os.environ.get(DATA_ENV) or REPO.parent / "shared" / "data") / "corpora"
    files = sorted(corpora.glob("*.jsonl"))
    if not files:
        print(f"no corpora in {corpora}: nothing to measure")
        return 0
    if shutil.which("searchd") is None:
        print("searchd is not installed (Debian: apt-get install -y sphinxsearch)")
        return 1
    report: dict[str, Any] = {"shards": args.shards, "files": [f.name for f in files]}
    records, report["ingest"] = ingest(files)
    _RECORDS[:] = records
    _say("ingest (read, split, speakers)", f"{len(records)} paragraphs, "
         f"{report['ingest']['paragraphs_per_cpu_second']:.0f}/CPU-s")
    report["encode_paragraphs_per_cpu_second"] = encode_rate(records)
    _say("encode (analyse, hash)", f"{report['encode_paragraphs_per_cpu_second']:.0f}/CPU-s")
    workdir = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    try:
        for clients in (1, 2):
            cluster, run = insert_run(records, workdir / f"clients{clients}", args.shards, clients)
            report[f"insert_{clients}_client"] = run
            _say(f"insert, {clients} client(s)", f"{run['paragraphs_per_second']:.0f} paragraphs/s "
                 f"({run['seconds']:.1f} s; stored {run['stored']}; client CPU {run['client_cpu_seconds']:.1f} s; "
                 f"daemons CPU {', '.join(f'{k} {v:.1f} s' for k, v in run['daemon_cpu_seconds'].items())})")
            if clients == 1:
                stop_cluster(cluster.folder)
        with ClusterStore(cluster.address) as store:
            report["keywords"] = check_keywords(store, records)
        _say("terms kept as keywords", report["keywords"])
        report["query"] = query_run(cluster, records, args.rounds)
        for mode in ("top10", "top10+facets", "per_article"):
            figures = report["query"][mode]
            _say(f"query {mode}", f"p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms")
        _say("totals equal to Python's count", f"{report['query']['totals_equal']} of {report['query']['queries']}")
        report["memory"] = memory_report(cluster)
        for name, figures in report["memory"].items():
            _say(f"memory {name}", f"{figures['rss_mb']:.0f} MB resident, {figures['disk_mb']:.0f} MB on disk")
        stop_cluster(cluster.folder)
    finally:
        for folder in workdir.iterdir():
            try:
                stop_cluster(folder, timeout=10)
            except Exception:  # noqa: BLE001 - best effort: never leave daemons behind
                pass
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
