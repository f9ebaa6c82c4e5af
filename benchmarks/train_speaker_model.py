#!/usr/bin/env python3
"""Train the speaker-candidate model on PolNeAR train and write src/newssearch/speaker_model.py.

    python benchmarks/train_speaker_model.py              # 5-fold CV, then train on all and write
    python benchmarks/train_speaker_model.py --dry-run    # CV report only
    python benchmarks/train_speaker_model.py --errors 40  # list out-of-fold train errors

Every candidate speaker of every train paragraph (see ``newssearch.speaker_features``) is
labelled with the shared scorer's own keys: positive if its name's key is a gold key of the
paragraph.  A logistic regression (pure Python, AdaGrad, L2) is fitted on feature strings;
the decision threshold is the one that maximises the scorer's F1 on out-of-fold predictions
(5 folds by article) while keeping precision at or above ``--min-precision``.  The generated
module holds feature names, weights, the bias and the threshold only: no corpus text.
Only the train split is read.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "newssearch" / "speaker_model.py"
WORK = Path(tempfile.gettempdir()) / "newssearch-speaker-eval"

sys.path.insert(0, str(REPO / "benchmarks"))
from speaker_eval import default_shared  # noqa: E402

from newssearch.speaker_features import score  # noqa: E402

Example = tuple[list[int], int]            # (feature ids, label)


class Paragraph:
    """The candidates of one gold paragraph, ready for scoring the scorer's way."""

    __slots__ = ("article", "named", "gold", "cands", "texts")

    def __init__(self, article: int, named: set[str], gold: set[str]) -> None:
        self.article, self.named, self.gold = article, named, gold
        # (features, scorer keys, name, label)
        self.cands: list[tuple[list[str], list[str], str, int]] = []


def load_paragraphs(shared: Path, decide: object = None) -> list[Paragraph]:
    """Candidates of every train paragraph, with the scorer's keys of their names; ``decide``
    is the model whose accepted candidates count as earlier speakers (None: the rules')."""
    eval_dir = shared / "eval" / "speaker"
    sys.path.insert(0, str(eval_dir))
    import common as C                                       # the scorer's own helpers
    from newssearch.speakers import _candidates

    gold_path = WORK / "gold" / "train.jsonl"
    if not gold_path.exists():
        subprocess.run([sys.executable, str(eval_dir / "build_gold.py"), "--splits", "train",
                        "--out-dir", str(gold_path.parent), "--quiet"], check=True)
    by_article: dict[str, list[dict]] = collections.defaultdict(list)
    with gold_path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            by_article[row["article"]].append(row)
    keys_of: dict[str, list[str]] = {}
    out: list[Paragraph] = []
    for a, (name, rows) in enumerate(sorted(by_article.items())):
        rows.sort(key=lambda r: r["paragraph"])
        per_paragraph = _candidates([r["text"] for r in rows], decide)
        for row, cands in zip(rows, per_paragraph):
            p = Paragraph(a, set(row["named_keys"]), set(row["gold_keys"]))
            spans = [(s["start"] - row["start"], s["end"] - row["start"])
                     for s in row["sources"] if s["source_paragraph"] == row["paragraph"]]
            for c in cands:
                if c.name not in keys_of:
                    keys_of[c.name] = C.key_of_prediction(c.name)
                keys = keys_of[c.name]
                if keys:
                    label = bool(set(keys) & p.gold) and (c.span is None or any(
                        s < c.span[1] and c.span[0] < e for s, e in spans))
                    p.cands.append((sorted(c.features), keys, c.name, int(label)))
            out.append(p)
    return out


def train(examples: Sequence[Example], n_features: int, l2: float, epochs: int,
          seed: int = 13) -> tuple[list[float], float]:
    """Logistic regression by AdaGrad with L2; returns (weights, bias)."""
    w = [0.0] * n_features
    g2 = [1e-8] * n_features
    bias, bias_g2 = 0.0, 1e-8
    rate = 0.3
    order = list(range(len(examples)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            ids, y = examples[k]
            z = bias + sum(w[j] for j in ids)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            g = p - y
            bias_g2 += g * g
            bias -= rate * g / math.sqrt(bias_g2)
            for j in ids:
                gj = g + l2 * w[j]
                g2[j] += gj * gj
                w[j] -= rate * gj / math.sqrt(g2[j])
    return w, bias


def metrics(paras: Sequence[Paragraph], scores: Sequence[Sequence[float]],
            threshold: float) -> tuple[float, float, float]:
    """The scorer's named recall, precision and F1 at ``threshold``."""
    gold_named = hit = pred = pred_hit = 0
    for p, s in zip(paras, scores):
        keys: set[str] = set()
        for (_, ks, _, _), score in zip(p.cands, s):
            if score > threshold:
                keys.update(ks)
        gold_named += len(p.named)
        hit += len(p.named & keys)
        pred += len(keys)
        pred_hit += len(keys & p.gold)
    rec = hit / gold_named if gold_named else 0.0
    prec = pred_hit / pred if pred else 0.0
    return rec, prec, (2 * rec * prec / (rec + prec) if rec + prec else 0.0)


def best_threshold(paras: Sequence[Paragraph], scores: Sequence[Sequence[float]],
                   min_precision: float) -> tuple[float, tuple[float, float, float]]:
    best = (-1.0, 0.0, (0.0, 0.0, 0.0))
    for k in range(-30, 31):
        t = k / 10
        m = metrics(paras, scores, t)
        if m[1] >= min_precision and m[2] > best[0]:
            best = (m[2], t, m)
    return best[1], best[2]


def examples_of(paras: Sequence[Paragraph], index: dict[str, int],
                grow: bool) -> list[Example]:
    out = []
    for p in paras:
        for feats, _, _, label in p.cands:
            ids = []
            for f in feats:
                j = index.get(f)
                if j is None and grow:
                    j = index[f] = len(index)
                if j is not None:
                    ids.append(j)
            out.append((ids, label))
    return out


def feature_index(paras: Sequence[Paragraph], min_count: int) -> dict[str, int]:
    counts = collections.Counter(f for p in paras for feats, _, _, _ in p.cands for f in feats)
    return {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}


def score_paras(paras: Sequence[Paragraph], index: dict[str, int], w: Sequence[float],
                bias: float) -> list[list[float]]:
    weights = {f: w[j] for f, j in index.items()}
    return [[score(feats, weights, bias) for feats, _, _, _ in p.cands] for p in paras]


def cross_validate(paras: list[Paragraph], folds: int, args: argparse.Namespace
                   ) -> list[list[float]]:
    """Out-of-fold scores for every paragraph (folds by article)."""
    scores: list[list[float] | None] = [None] * len(paras)
    for fold in range(folds):
        train_p = [p for p in paras if p.article % folds != fold]
        index = feature_index(train_p, args.min_count)
        w, b = train(examples_of(train_p, index, False), len(index), args.l2, args.epochs)
        for k, p in enumerate(paras):
            if p.article % folds == fold:
                scores[k] = score_paras([p], index, w, b)[0]
    return scores  # type: ignore[return-value]


def write_module(index: dict[str, int], w: Sequence[float], bias: float, threshold: float,
                 summary: str, args_min_weight: float) -> None:
    kept = sorted(((f, round(w[j], 3)) for f, j in index.items() if abs(w[j]) >= args_min_weight),
                  key=lambda fw: fw[0])
    lines = [
        '"""Learned weights of the speaker-candidate model (logistic regression over the',
        "feature strings of newssearch.speaker_features).",
        "",
        "Generated by benchmarks/train_speaker_model.py from the PolNeAR train split; do not",
        f"edit by hand.  {summary}",
        '"""',
        "",
        f"BIAS = {bias:.3f}",
        f"THRESHOLD = {threshold:.2f}",
        "WEIGHTS: dict[str, float] = {",
    ]
    lines += [f"    {f!r}: {v}," for f, v in kept]
    lines.append("}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {len(kept)} weights")


def print_errors(paras: Sequence[Paragraph], scores: Sequence[Sequence[float]],
                 threshold: float, n: int) -> None:
    """Out-of-fold train errors, for error analysis (never dev)."""
    shown = 0
    rng = random.Random(5)
    order = list(range(len(paras)))
    rng.shuffle(order)
    for k in order:
        p = paras[k]
        for (feats, keys, name, label), s in zip(p.cands, scores[k]):
            ok = bool(label)
            if (s > threshold) != ok:
                kind = "FP" if s > threshold else "FN"
                top = [f for f in feats if not f.startswith(("p2=", "nt="))][:14]
                print(f"{kind} {s:+.2f} {name!r} gold={sorted(p.gold)} {' '.join(top)}")
                shown += 1
        if shown >= n:
            break


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--min-count", type=int, default=10)
    parser.add_argument("--min-weight", type=float, default=0.02,
                        help="weights smaller than this are not shipped")
    parser.add_argument("--min-precision", type=float, default=0.855)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--errors", type=int, default=0)
    args = parser.parse_args(argv)
    shared = (args.shared or default_shared()).resolve()
    if not (shared / "data" / "polnear" / "train" / "text").is_dir():
        print(f"no PolNeAR train split under {shared}")
        return 1
    from newssearch.speakers import _Model
    paras = load_paragraphs(shared)    # round 1: the rules' speakers guide he/she
    index = feature_index(paras, args.min_count)
    w, b = train(examples_of(paras, index, False), len(index), args.l2, args.epochs)
    threshold, m = best_threshold(paras, [score_paras([p], index, w, b)[0] for p in paras],
                                  args.min_precision)
    print("round 1 (in-sample): recall %.3f  precision %.3f  F1 %.3f" % m)
    # round 2: the round-1 model's speakers guide he/she, as the shipped model's will
    paras = load_paragraphs(shared, _Model({f: w[j] for f, j in index.items()}, b, threshold))
    n_cands = sum(len(p.cands) for p in paras)
    print(f"{len(paras)} train paragraphs, {n_cands} candidates")
    rules = [[1.0 if "rule" in feats else -1.0 for feats, _, _, _ in p.cands] for p in paras]
    print("rules only:       recall %.3f  precision %.3f  F1 %.3f" % metrics(paras, rules, 0))
    oof = cross_validate(paras, args.folds, args)
    threshold, m = best_threshold(paras, oof, args.min_precision)
    print("model, %d-fold CV: recall %.3f  precision %.3f  F1 %.3f  (threshold %.1f)"
          % ((args.folds,) + m + (threshold,)))
    for t in range(-20, 31, 5):
        print("   threshold %+.1f: recall %.3f  precision %.3f  F1 %.3f"
              % ((t / 10,) + metrics(paras, oof, t / 10)))
    if args.errors:
        print_errors(paras, oof, threshold, args.errors)
    if args.dry_run:
        return 0
    index = feature_index(paras, args.min_count)
    w, b = train(examples_of(paras, index, False), len(index), args.l2, args.epochs)
    summary = ("Out-of-fold train scores: recall %.3f, precision %.3f, F1 %.3f." % m)
    write_module(index, w, b, threshold, summary, args.min_weight)
    return 0


if __name__ == "__main__":
    sys.exit(main())
