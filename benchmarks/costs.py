#!/usr/bin/env python3
"""What each search option costs: warm query latency per option on an existing index.

    python benchmarks/costs.py INDEX               # e.g. an index of ../shared/data/corpora/*.jsonl
    python benchmarks/costs.py INDEX --rounds 9

Ten fixed queries (words, a phrase, names, OR, a prefix, a fuzzy word; for did-you-mean the
same kind of queries misspelt) run once to warm up, then ``--rounds`` times, in one process
through ``NewsIndex.search``. Prints a Markdown table of median and p95 milliseconds per option.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from typing import Any

QUERIES = ("economy", "oil prices", '"interest rates"', "government OR minister", "bank*", "Brown~",
           "election campaign", "Blair", "said", "central bank dollar")
MISSPELT = ("econmy", "oil prises", "goverment", "Blaer", "electon campaign", "Clintn", "centrl bank",
            "taxx cuts", "bnak", "Obamma")
OPTIONS: tuple[tuple[str, Sequence[str], dict[str, Any]], ...] = (
    ("plain", QUERIES, {}),
    ("plain, did-you-mean check on (all words known)", QUERIES, {"suggest": True}),
    ("`--facets`", QUERIES, {"facets": True}),
    ("`--per-article`", QUERIES, {"per_article": True}),
    ("`--sort newest`", QUERIES, {"sort": "newest"}),
    ("`--context 1`", QUERIES, {"context": 1}),
    ("misspelt, with a suggestion", MISSPELT, {"suggest": True}),
    ("misspelt, `--correct` (suggest, then run it)", MISSPELT, {"correct": True}),
)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation between closest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(index: Any, queries: Sequence[str], rounds: int, options: dict[str, Any]) -> list[float]:
    for query in queries:
        index.search(query, **options)
    latencies = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            index.search(query, **options)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", help="an index folder built by `newssearch index`")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds after the warm-up [default: 5]")
    args = parser.parse_args(argv)
    from newssearch import NewsIndex  # noqa: PLC0415

    with NewsIndex.open(args.index) as index:
        paragraphs = index.backend.searcher().doc_count()
        print(f"{paragraphs:,} paragraphs in {args.index}; {len(QUERIES)} queries x {args.rounds} rounds, warm\n")
        print("| query | median ms | p95 ms |")
        print("|---|---:|---:|")
        for label, queries, options in OPTIONS:
            latencies = measure(index, queries, args.rounds, options)
            print(f"| {label} | {statistics.median(latencies):.1f} | {percentile(latencies, 95):.1f} |")


if __name__ == "__main__":
    main()
