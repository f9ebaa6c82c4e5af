#!/usr/bin/env python3
"""Relevance benchmark: newssearch beside bare Whoosh, SQLite FTS5 and bm25s on CISI and Cranfield.

Run from the repository root, in the environment where newssearch is installed (``pip install
-e '.[bench]'`` adds bm25s and PyStemmer; without them the bm25s row is skipped with a message):

    python benchmarks/relevance.py                               # every system, both collections
    python benchmarks/relevance.py --systems typed,or,fts5 --collections cisi
    python benchmarks/relevance.py --newssearch-args "--k1 1.2"  # options for `newssearch query`
    python benchmarks/relevance.py --cli /path/to/venv/bin/newssearch   # another build, as subprocesses
    python benchmarks/relevance.py --queries held-out --json /tmp/relevance.json

It reports MAP, nDCG@10, P@10 and R@100 at document level, top 1,000, binary relevance
(Cranfield codes 1-4 relevant), over the judged queries (CISI 76, Cranfield 225), and how many
queries got an empty ranking or an error, for:

* ``typed``: newssearch with each query as written; ``or``: the same with the query's words
  (``\\w+``, lower-cased so none is an operator) joined by `` OR ``. Both as the issue's unseen
  check runs them: each document becomes one JSON Lines article ``{id, title, text}`` (the
  text's lines joined with spaces), ``newssearch index`` indexes the file, each query runs as
  ``newssearch query TEXT --per-article --limit 1000 --format jsonl`` and articles are ranked by
  the first appearance of their ``article_id``. A query the CLI rejects (exit 2) or that finds
  nothing (exit 1) is an empty ranking. By default the CLI runs in this process through click's
  ``CliRunner`` (the same command, arguments, output and exit codes as the executable, without
  ~0.3 s of start-up per query); ``--cli PATH`` runs that executable as a subprocess instead.
* anchors, each given the query's words as a bag (OR), documents as title + text:
  ``whoosh``: bare Whoosh 2.7.4, ``StemmingAnalyzer`` (its stopwords included), BM25F defaults,
  ``MultifieldParser(["title", "text"], group=OrGroup)``; ``fts5``: SQLite FTS5 with
  ``tokenize='porter unicode61'``, columns title and text, ``ORDER BY bm25(docs)``; ``bm25s``:
  ``bm25s.BM25()`` defaults (Lucene idf, k1 1.5, b 0.75) over ``bm25s.tokenize`` with its
  English stopwords and PyStemmer's English (Snowball) stemmer.

Without the collections (``../shared/data`` beside the repository, ``--data`` or
``$NEWSSEARCH_DATA``) it says so and exits 0. Temporary files are removed unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ir_collections as irc  # noqa: E402

SYSTEMS = ("typed", "or", "whoosh", "fts5", "bm25s")
LABELS = {
    "typed": "newssearch, typed as written",
    "or": "newssearch, OR of the words",
    "whoosh": "bare Whoosh 2.7.4 (BM25F, StemmingAnalyzer)",
    "fts5": "SQLite FTS5 (porter unicode61, bm25())",
    "bm25s": "bm25s (Lucene BM25, k1 1.5, b 0.75, stopwords, Snowball)",
}
QUERY_FLAGS = ("--per-article", "--limit", str(irc.DEPTH), "--format", "jsonl")
WORD_RE = re.compile(r"\w+")
EXIT_NO_MATCHES, EXIT_BAD_QUERY = 1, 2


@dataclass
class Run:
    """One system's rankings on one collection, with the queries that got nothing or failed."""

    rankings: dict[str, list[str]] = field(default_factory=dict)
    empty: int = 0
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    seconds: float = 0.0


def or_query(text: str) -> str:
    """The query's words, lower-cased (``AND``/``OR``/``NOT`` are words then), joined by `` OR ``."""
    return " OR ".join(word.lower() for word in WORD_RE.findall(text))


def query_words(text: str) -> list[str]:
    return [word.lower() for word in WORD_RE.findall(text)]


# --------------------------------------------------------------------------- newssearch


class NewssearchCLI:
    """Runs ``newssearch`` commands in this process (click's CliRunner) or as an executable."""

    def __init__(self, executable: str | None) -> None:
        self.executable = executable
        if executable is None:
            from click.testing import CliRunner  # noqa: PLC0415

            from newssearch.cli import main  # noqa: PLC0415

            self._runner, self._main = CliRunner(), main

    def run(self, args: Sequence[str]) -> tuple[int, str, str]:
        """``(exit code, stdout, stderr)`` of ``newssearch ARGS``."""
        if self.executable is not None:
            done = subprocess.run([self.executable, *args], capture_output=True, text=True, check=False)
            return done.returncode, done.stdout, done.stderr
        result = self._runner.invoke(self._main, list(args), catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            return 99, result.stdout, f"{type(result.exception).__name__}: {result.exception}"
        return result.exit_code, result.stdout, result.stderr


def write_articles(collection: irc.Collection, folder: Path) -> Path:
    """One JSON Lines article ``{id, title, text}`` per document, text lines joined with spaces."""
    path = folder / f"{collection.name}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for doc in collection.documents:
            out.write(json.dumps({"id": doc.id, "title": doc.title, "text": doc.text}) + "\n")
    return path


def build_newssearch(cli: NewssearchCLI, articles: Path, index_dir: Path, index_args: Sequence[str]) -> str:
    """Index ``articles``; return the CLI's problem report (documents it skipped), if any."""
    code, out, err = cli.run(["index", str(articles), "--index", str(index_dir), "--quiet", *index_args])
    if code not in (0, 4):
        raise SystemExit(f"relevance: newssearch index failed (exit {code}): {err.strip() or out.strip()}")
    return err.strip() if code == 4 else ""


def run_newssearch(cli: NewssearchCLI, index_dir: Path, queries: Sequence[irc.Query],
                   as_query: Callable[[str], str], extra_args: Sequence[str]) -> Run:
    """Each query through ``newssearch query``; articles ranked by first appearance."""
    run = Run()
    for query in queries:
        code, out, err = cli.run(["query", as_query(query.text), "--index", str(index_dir),
                                  *QUERY_FLAGS, *extra_args])
        ranking: list[str] = []
        if code == 0:
            for line in out.splitlines():
                if line.strip():
                    article_id = json.loads(line)["article_id"]
                    if article_id not in ranking:
                        ranking.append(article_id)
        elif code == EXIT_NO_MATCHES:
            run.empty += 1
        else:
            run.errors += 1
            if len(run.error_examples) < 3:
                run.error_examples.append(f"query {query.id} (exit {code}): {err.strip()[:160]}")
        run.rankings[query.id] = ranking
    return run


# --------------------------------------------------------------------------- anchors


def run_whoosh(collection: irc.Collection, folder: Path) -> Run:
    """Bare Whoosh 2.7.4 as its documentation suggests, the query's words ORed over title and text."""
    from newssearch.backends.whoosh.compat import whoosh_imports  # noqa: PLC0415

    with whoosh_imports():  # whoosh's own escapes warn on Python 3.12+
        from whoosh import index as windex  # noqa: PLC0415
        from whoosh.analysis import StemmingAnalyzer  # noqa: PLC0415
        from whoosh.fields import ID, TEXT, Schema  # noqa: PLC0415
        from whoosh.qparser import MultifieldParser, OrGroup  # noqa: PLC0415

    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()),
                    text=TEXT(analyzer=StemmingAnalyzer()))
    ix = windex.create_in(str(folder), schema)
    with ix.writer() as writer:
        for doc in collection.documents:
            writer.add_document(id=doc.id, title=doc.title, text=doc.text)
    parser = MultifieldParser(["title", "text"], schema, group=OrGroup)
    run = Run()
    with ix.searcher() as searcher:
        for query in collection.queries:
            parsed = parser.parse(" ".join(query_words(query.text)))
            ranking = [hit["id"] for hit in searcher.search(parsed, limit=irc.DEPTH)]
            run.empty += not ranking
            run.rankings[query.id] = ranking
    return run


def run_fts5(collection: irc.Collection, database: Path) -> Run:
    """SQLite FTS5, ``porter unicode61``, each word quoted and ORed, ranked by ``bm25()``."""
    connection = sqlite3.connect(str(database))
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                       "tokenize='porter unicode61')")
    with connection:
        connection.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                               [(doc.id, doc.title, doc.text) for doc in collection.documents])
    run = Run()
    for query in collection.queries:
        match = " OR ".join(f'"{word}"' for word in query_words(query.text))
        ranking = [row[0] for row in connection.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, irc.DEPTH))]
        run.empty += not ranking
        run.rankings[query.id] = ranking
    connection.close()
    return run


def run_bm25s(collection: irc.Collection) -> Run:
    """bm25s with its defaults, English stopwords and PyStemmer's English stemmer."""
    import bm25s  # noqa: PLC0415
    import numpy  # noqa: PLC0415
    import Stemmer  # noqa: PLC0415

    stemmer = Stemmer.Stemmer("english")
    corpus = [f"{doc.title} {doc.text}" for doc in collection.documents]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False),
                    show_progress=False)
    vocabulary = retriever.vocab_dict
    run = Run()
    for query in collection.queries:
        tokens = bm25s.tokenize([query.text], stopwords="en", stemmer=stemmer, return_ids=False,
                                show_progress=False)[0]
        known = [token for token in tokens if token in vocabulary]
        ranking: list[str] = []
        if known:
            scores = retriever.get_scores(known)
            order = numpy.argsort(-scores, kind="stable")[:irc.DEPTH]
            ranking = [collection.documents[i].id for i in order if scores[i] > 0]
        run.empty += not ranking
        run.rankings[query.id] = ranking
    return run


def missing_modules(system: str) -> list[str]:
    """Modules an anchor needs that are not installed."""
    import importlib.util  # noqa: PLC0415

    needs = {"bm25s": ("bm25s", "Stemmer", "numpy")}.get(system, ())
    return [name for name in needs if importlib.util.find_spec(name) is None]


# --------------------------------------------------------------------------- report


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help=f"folder holding cisi/ and cranfield/ (default ${irc.DATA_ENV} "
                                       f"or ../shared/data beside the repository)")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated, from {', '.join(SYSTEMS)} (default: all)")
    parser.add_argument("--collections", default=",".join(irc.COLLECTIONS),
                        help="comma-separated: cisi, cranfield (default: both)")
    parser.add_argument("--queries", choices=("all", "tune", "held-out"), default="all",
                        help="all judged queries, or the half ranking_lab.py tunes on, or the held-out half")
    parser.add_argument("--newssearch-args", default="", metavar="ARGS",
                        help="extra arguments for every `newssearch query` (shell-quoted string)")
    parser.add_argument("--index-args", default="", metavar="ARGS",
                        help="extra arguments for `newssearch index` (shell-quoted string)")
    parser.add_argument("--cli", metavar="PATH",
                        help="run this newssearch executable as a subprocess instead of in-process")
    parser.add_argument("--keep", metavar="DIR",
                        help="write files and indexes here and keep them (an index already there is reused)")
    parser.add_argument("--json", metavar="FILE", help="also write the scores and per-query AP as JSON")
    return parser.parse_args(argv)


def chosen(value: str, known: Sequence[str], what: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"relevance: unknown {what} {', '.join(unknown)} (known: {', '.join(known)})")
    return names


def run_system(system: str, collection: irc.Collection, work: Path, args: argparse.Namespace,
               cli_state: dict[str, object]) -> Run:
    """Build ``system``'s index of ``collection`` under ``work`` and run its judged queries."""
    started = time.perf_counter()
    folder = work / collection.name / system
    folder.mkdir(parents=True, exist_ok=True)
    if system in ("typed", "or"):
        cli = cli_state.setdefault("cli", NewssearchCLI(args.cli))
        assert isinstance(cli, NewssearchCLI)
        index_dir = work / collection.name / "newssearch-index"
        if not index_dir.exists():
            report = build_newssearch(cli, write_articles(collection, folder), index_dir,
                                      shlex.split(args.index_args))
            if report:
                print(f"{collection.name}: newssearch index skipped some documents:\n{report}", file=sys.stderr)
        as_query = (lambda text: text) if system == "typed" else or_query
        run = run_newssearch(cli, index_dir, collection.queries, as_query, shlex.split(args.newssearch_args))
    elif system == "whoosh":
        run = run_whoosh(collection, folder)
    elif system == "fts5":
        run = run_fts5(collection, folder / "fts5.db")
    else:
        run = run_bm25s(collection)
    run.seconds = time.perf_counter() - started
    return run


def restrict(collection: irc.Collection, which: str) -> irc.Collection:
    """``collection`` with only the queries of ``which`` (all, the tuning half, the held-out half)."""
    if which == "all":
        return collection
    tune, held_out = irc.split_queries(collection)
    keep = set(tune if which == "tune" else held_out)
    return irc.Collection(collection.name, collection.documents,
                          [query for query in collection.queries if query.id in keep], collection.relevant)


def markdown_table(results: dict[str, dict[str, tuple[irc.Scores, Run]]], systems: Sequence[str]) -> str:
    """One row per system, MAP / nDCG@10 / P@10 / R@100 / empty+errors per collection."""
    names = list(results)
    head = "| system | " + " | ".join(
        f"{name} MAP | {name} nDCG@10 | {name} P@10 | {name} R@100 | {name} empty / errors"
        for name in names) + " |"
    rule = "|---|" + "---:|" * (5 * len(names))
    rows = [head, rule]
    for system in systems:
        cells = []
        for name in names:
            if system not in results[name]:
                cells += ["n/a"] * 5
                continue
            scores, run = results[name][system]
            cells += [f"{scores.map:.3f}", f"{scores.ndcg10:.3f}", f"{scores.p10:.3f}", f"{scores.r100:.3f}",
                      f"{run.empty} / {run.errors}"]
        rows.append(f"| {LABELS[system]} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    systems = chosen(args.systems, SYSTEMS, "system")
    wanted = chosen(args.collections, irc.COLLECTIONS, "collection")
    data = irc.data_dir(args.data)
    names = irc.available(data, wanted)
    if not names:
        print(f"relevance: no {' or '.join(wanted)} collection under {data}; benchmark skipped")
        return 0
    for system in list(systems):
        missing = missing_modules(system)
        if missing:
            print(f"relevance: {system} skipped: {', '.join(missing)} not installed (pip install -e '.[bench]')",
                  file=sys.stderr)
            systems.remove(system)
    with tempfile.TemporaryDirectory(prefix="newssearch-relevance-") as temporary:
        work = Path(args.keep) if args.keep else Path(temporary)
        results = measure(names, systems, data, work, args)
    print(f"Relevance, document level, top {irc.DEPTH}, queries: {args.queries}"
          + (f", newssearch query {args.newssearch_args}" if args.newssearch_args else ""))
    print()
    print(markdown_table(results, systems))
    if args.json:
        write_json(Path(args.json), results, args)
    return 0


def measure(names: Sequence[str], systems: Sequence[str], data: Path, work: Path,
            args: argparse.Namespace) -> dict[str, dict[str, tuple[irc.Scores, Run]]]:
    """Scores and runs per collection and system."""
    results: dict[str, dict[str, tuple[irc.Scores, Run]]] = {}
    cli_state: dict[str, object] = {}
    for name in names:
        collection = restrict(irc.load(name, data), args.queries)
        results[name] = {}
        for system in systems:
            run = run_system(system, collection, work, args, cli_state)
            scores = irc.evaluate(run.rankings, collection.relevant, [q.id for q in collection.queries])
            results[name][system] = (scores, run)
            print(f"{name:9} {system:6} MAP {scores.map:.3f}  nDCG@10 {scores.ndcg10:.3f}  "
                  f"P@10 {scores.p10:.3f}  R@100 {scores.r100:.3f}  empty {run.empty}  errors {run.errors}  "
                  f"({run.seconds:.1f} s)", file=sys.stderr)
            for example in run.error_examples:
                print(f"    {example}", file=sys.stderr)
    return results


def write_json(path: Path, results: dict[str, dict[str, tuple[irc.Scores, Run]]],
               args: argparse.Namespace) -> None:
    out: dict[str, object] = {"queries": args.queries, "newssearch_args": args.newssearch_args,
                              "index_args": args.index_args, "collections": {}}
    for name, by_system in results.items():
        collection = irc.load(name, irc.data_dir(args.data))
        out["collections"][name] = {  # type: ignore[index]
            system: {"map": scores.map, "ndcg10": scores.ndcg10, "p10": scores.p10, "r100": scores.r100,
                     "queries": scores.queries, "empty": run.empty, "errors": run.errors,
                     "ap": {qid: irc.average_precision(ranking, collection.relevant[qid])
                            for qid, ranking in run.rankings.items()}}
            for system, (scores, run) in by_system.items()}
    path.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    sys.exit(main())
