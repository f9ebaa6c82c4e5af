"""Test collections with relevance judgments (CISI, Cranfield) and the measures taken on them.

Shared by ``relevance.py`` (the benchmark) and ``ranking_lab.py`` (the ranking experiments), so
that both read the same documents and queries and score rankings the same way. The collections
are read from ``../shared/data`` (or ``--data``/``$NEWSSEARCH_DATA``); nothing is copied.

Measures are at document level over a ranking cut at 1,000 and binary relevance (Cranfield's
codes 1-4 count as relevant, ``-1`` does not): average precision (MAP over the judged queries),
nDCG@10 (gain 1, discount ``log2(rank + 1)``), P@10 and R@100.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DATA_ENV = "NEWSSEARCH_DATA"
COLLECTIONS = ("cisi", "cranfield")
DEPTH = 1000
_TAG_RE = re.compile(r"^\.([A-Z])(?:\s+(.*))?$")


@dataclass(frozen=True)
class Document:
    """A collection document: its id, title and the lines of its text as the file has them."""

    id: str
    title: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The text's lines joined with spaces (how the issue's check turns it into an article)."""
        return " ".join(line.strip() for line in self.lines if line.strip())


@dataclass(frozen=True)
class Query:
    """A judged query: its id in the judgments and its text as written (line breaks as spaces)."""

    id: str
    text: str


@dataclass
class Collection:
    """Documents, judged queries and, per query id, the set of relevant document ids."""

    name: str
    documents: list[Document]
    queries: list[Query]
    relevant: dict[str, set[str]] = field(default_factory=dict)


def data_dir(given: str | None = None) -> Path:
    """``given``, else ``$NEWSSEARCH_DATA``, else ``../shared/data`` beside the repository."""
    return Path(given or os.environ.get(DATA_ENV) or DEFAULT_DATA)


def available(data: Path, names: Iterable[str] = COLLECTIONS) -> list[str]:
    """The collections of ``names`` whose files are under ``data``."""
    needed = {"cisi": ("CISI.ALL", "CISI.QRY", "CISI.REL"),
              "cranfield": ("cran.all.1400", "cran.qry", "cranqrel")}
    return [name for name in names if all((data / name / file).is_file() for file in needed[name])]


def load(name: str, data: Path) -> Collection:
    """Read collection ``name`` (``cisi`` or ``cranfield``) from ``data``."""
    if name == "cisi":
        return load_cisi(data / "cisi")
    if name == "cranfield":
        return load_cranfield(data / "cranfield")
    raise ValueError(f"unknown collection {name!r} (known: {', '.join(COLLECTIONS)})")


def smart_records(path: Path) -> list[tuple[str, dict[str, list[str]]]]:
    """The records of a SMART tagged file: ``(id, {tag: lines})``; repeated tags append."""
    records: list[tuple[str, dict[str, list[str]]]] = []
    tag = ""
    for raw in path.read_text(encoding="ascii", errors="replace").splitlines():
        line = raw.rstrip()
        match = _TAG_RE.match(line)
        if match and match.group(1) == "I":
            records.append((match.group(2).strip(), {}))
            tag = ""
        elif match and match.group(2) is None and records:
            tag = match.group(1)
            records[-1][1].setdefault(tag, [])
        elif records and tag:
            records[-1][1][tag].append(line)
    return records


def _joined(lines: Sequence[str]) -> str:
    return " ".join(line.strip() for line in lines if line.strip())


def _documents(path: Path) -> list[Document]:
    return [Document(id=record_id, title=_joined(fields.get("T", [])),
                     lines=tuple(line for line in fields.get("W", []) if line.strip()))
            for record_id, fields in smart_records(path)]


def load_cisi(folder: Path) -> Collection:
    """CISI: 1,460 documents (title ``.T``, abstract ``.W``); the 76 of 112 queries with judgments."""
    relevant: dict[str, set[str]] = {}
    for line in (folder / "CISI.REL").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            relevant.setdefault(parts[0], set()).add(parts[1])
    queries = [Query(record_id, _joined(fields.get("W", [])))
               for record_id, fields in smart_records(folder / "CISI.QRY") if record_id in relevant]
    return Collection("cisi", _documents(folder / "CISI.ALL"), queries, relevant)


def load_cranfield(folder: Path) -> Collection:
    """Cranfield: 1,400 documents; the k-th query of ``cran.qry`` is query k of ``cranqrel``.

    Only codes 1-4 are relevant (``-1`` is a placeholder); queries with none are left out.
    """
    relevant: dict[str, set[str]] = {}
    for line in (folder / "cranqrel").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2] in {"1", "2", "3", "4"}:
            relevant.setdefault(parts[0], set()).add(parts[1])
    queries = [Query(str(number), _joined(fields.get("W", [])))
               for number, (_, fields) in enumerate(smart_records(folder / "cran.qry"), 1)]
    return Collection("cranfield", _documents(folder / "cran.all.1400"),
                      [query for query in queries if query.id in relevant], relevant)


# --------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Scores:
    """Mean measures over a set of queries."""

    map: float
    ndcg10: float
    p10: float
    r100: float
    queries: int


def average_precision(ranking: Sequence[str], relevant: set[str], depth: int = DEPTH) -> float:
    """Sum of precision at each relevant document's rank, over the number of relevant documents."""
    found, total = 0, 0.0
    for rank, doc in enumerate(ranking[:depth], 1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def ndcg(ranking: Sequence[str], relevant: set[str], depth: int = 10) -> float:
    """Binary-gain nDCG at ``depth``."""
    dcg = sum(1 / math.log2(rank + 1) for rank, doc in enumerate(ranking[:depth], 1) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(depth, len(relevant)) + 1))
    return dcg / ideal if ideal else 0.0


def precision(ranking: Sequence[str], relevant: set[str], depth: int = 10) -> float:
    return sum(1 for doc in ranking[:depth] if doc in relevant) / depth


def recall(ranking: Sequence[str], relevant: set[str], depth: int = 100) -> float:
    return sum(1 for doc in ranking[:depth] if doc in relevant) / len(relevant) if relevant else 0.0


def evaluate(rankings: Mapping[str, Sequence[str]], relevant: dict[str, set[str]],
             query_ids: Iterable[str] | None = None) -> Scores:
    """Mean measures over ``query_ids`` (default: every judged query); a missing ranking is empty."""
    ids = list(query_ids if query_ids is not None else relevant)
    if not ids:
        return Scores(0.0, 0.0, 0.0, 0.0, 0)

    def mean(measure) -> float:  # type: ignore[no-untyped-def]
        return sum(measure(list(rankings.get(qid, ()))[:DEPTH], relevant[qid]) for qid in ids) / len(ids)

    return Scores(mean(average_precision), mean(ndcg), mean(precision), mean(recall), len(ids))


def split_queries(collection: Collection) -> tuple[list[str], list[str]]:
    """A fixed half of the judged queries to tune on and the other half held out: odd positions
    in file order tune, even positions are held out (no randomness, so anyone gets the same)."""
    ids = [query.id for query in collection.queries]
    return ids[0::2], ids[1::2]
