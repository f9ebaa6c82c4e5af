#!/usr/bin/env python3
"""Measure speaker attribution: PolNeAR scores with the shared scorer, and speed on BBC.

    python benchmarks/speaker_eval.py                 # dev split: scorer table + BBC speed
    python benchmarks/speaker_eval.py --split train   # the split to develop on
    python benchmarks/speaker_eval.py --errors 30     # also list 30 mismatching paragraphs
    python benchmarks/speaker_eval.py --shared DIR    # where ../shared lives (or NEWSSEARCH_SHARED)

It builds the gold for the split with ``shared/eval/speaker/build_gold.py`` when it is not there
yet, writes one prediction per paragraph in the scorer's format (paragraphs numbered exactly as
the scorer's ``common.split_paragraphs`` numbers them), runs ``score.py`` and prints its table,
then times ``attribute_speakers`` alone on ``shared/data/corpora/bbc.jsonl`` (paragraphs = text
split at blank lines).  Outputs go to the system temporary folder.  Without the shared data it
says so and exits with status 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Callable, Sequence

REPO = Path(__file__).resolve().parents[1]
WORK = Path(tempfile.gettempdir()) / "newssearch-speaker-eval"

AttributeSpeakers = Callable[[Sequence[str], "str | None"], list[list[str]]]


def load_attribute_speakers() -> AttributeSpeakers:
    """``newssearch.attribute_speakers``; if the package's own dependencies (Whoosh, click)
    are not installed, the speakers module alone, which needs only the standard library."""
    try:
        from newssearch.speakers import attribute_speakers
        return attribute_speakers
    except ImportError:
        package_dir = REPO / "src" / "newssearch"
        package = types.ModuleType("newssearch")
        package.__path__ = [str(package_dir)]
        sys.modules["newssearch"] = package
        for name in ("speaker_lexicon", "speakers"):
            spec = importlib.util.spec_from_file_location(f"newssearch.{name}",
                                                          package_dir / f"{name}.py")
            module = importlib.util.module_from_spec(spec)
            sys.modules[f"newssearch.{name}"] = module
            spec.loader.exec_module(module)
        return sys.modules["newssearch.speakers"].attribute_speakers


def default_shared() -> Path:
    return Path(os.environ.get("NEWSSEARCH_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def build_gold(eval_dir: Path, split: str) -> Path:
    """The scorer's gold file for ``split``, built on first use."""
    gold_dir = WORK / "gold"
    gold = gold_dir / f"{split}.jsonl"
    if not gold.exists():
        print(f"building the {split} gold (about 10 s) ...", file=sys.stderr)
        subprocess.run([sys.executable, str(eval_dir / "build_gold.py"), "--splits", split,
                        "--out-dir", str(gold_dir), "--quiet"], check=True)
    return gold


def write_predictions(eval_dir: Path, split_dir: Path, out: Path,
                      attribute: AttributeSpeakers) -> tuple[int, float]:
    """One JSON line per paragraph of every article of the split; returns (paragraphs,
    seconds spent in attribution)."""
    sys.path.insert(0, str(eval_dir))
    try:
        from common import split_paragraphs   # the scorer's own paragraph numbering
    finally:
        sys.path.remove(str(eval_dir))
    count, spent = 0, 0.0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink:
        for path in sorted((split_dir / "text").glob("*.txt")):
            with path.open(encoding="utf-8", newline="") as f:
                doc = f.read()
            title, paragraphs = split_paragraphs(doc)
            texts = [doc[start:end] for _, start, end in paragraphs]
            started = time.process_time()
            speakers = attribute(texts, title)
            spent += time.process_time() - started
            for (number, _, _), text, names in zip(paragraphs, texts, speakers):
                sink.write(json.dumps({"article": path.name, "paragraph": number,
                                       "speakers": names, "text": text},
                                      ensure_ascii=False) + "\n")
                count += 1
    return count, spent


def measure_speed(corpus: Path, attribute: AttributeSpeakers, rounds: int = 3) -> str:
    """Paragraphs per second of attribution alone (best of ``rounds``, CPU time)."""
    articles = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                articles.append(([p for p in record["text"].split("\n\n") if p.strip()],
                                 record.get("title")))
    paragraphs = sum(len(p) for p, _ in articles)
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for texts, title in articles:
            attribute(texts, title)
        best = min(best, time.process_time() - started)
    return (f"attribution speed on {corpus.name}: {len(articles)} articles, {paragraphs} "
            f"paragraphs in {best:.2f} s CPU = {paragraphs / best:,.0f} paragraphs/s "
            f"(single core, best of {rounds})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--shared", type=Path, default=None,
                        help="the shared folder (default: $NEWSSEARCH_SHARED or ../shared)")
    parser.add_argument("--errors", type=int, default=0, help="list N mismatching paragraphs")
    parser.add_argument("--no-speed", action="store_true", help="skip the BBC speed run")
    args = parser.parse_args(argv)
    shared = (args.shared or default_shared()).resolve()
    eval_dir = shared / "eval" / "speaker"
    split_dir = shared / "data" / "polnear" / args.split
    if not (eval_dir / "score.py").exists() or not (split_dir / "text").is_dir():
        print(f"speaker_eval: no PolNeAR {args.split} data or scorer under {shared}; "
              "nothing to measure (pass --shared or set NEWSSEARCH_SHARED).")
        return 0
    attribute = load_attribute_speakers()
    gold = build_gold(eval_dir, args.split)
    predictions = WORK / "preds" / f"newssearch.{args.split}.jsonl"
    count, spent = write_predictions(eval_dir, split_dir, predictions, attribute)
    print(f"{count} paragraphs of PolNeAR {args.split} attributed in {spent:.2f} s CPU "
          f"-> {predictions}")
    command = [sys.executable, str(eval_dir / "score.py"), "--gold", str(gold),
               "--pred", str(predictions), "--name", f"newssearch ({args.split})"]
    if args.errors:
        command += ["--errors", str(args.errors)]
    sys.stdout.flush()
    subprocess.run(command, check=True)
    corpus = shared / "data" / "corpora" / "bbc.jsonl"
    if not args.no_speed:
        print(measure_speed(corpus, attribute) if corpus.exists()
              else f"no {corpus}: speed not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
