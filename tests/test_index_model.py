"""Random sequences of index, edit, delete, rebuild and kill -9 against a model of what the index
must hold: after every completed run, exactly the model's paragraph ids, each once; after a kill,
an index that answers, is sound, holds no paragraph twice, and that the next run completes.

The default profile runs a bounded number of sequences for CI; ``HYPOTHESIS_PROFILE=thorough``
runs many more (see the README)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from newssearch import NewsIndex, index_paths
from newssearch.backends.whoosh.integrity import verify
from newssearch.indexing.manifest import Manifest

WORDS = ["harbour", "ferry", "quay", "tide", "gull", "pier", "crane", "dock"]
INDEXER = """
import sys
from newssearch import index_paths
index_paths([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]), rebuild=sys.argv[4] == "1")
"""


def article(name: str, paragraphs: int, version: int) -> str:
    body = "\n\n".join(f"{name} v{version} paragraph {n} about the {WORDS[(n + version) % len(WORDS)]}."
                       for n in range(1, paragraphs + 1))
    return f"Story {name}\n\n{body}\n"


class IndexModel(RuleBasedStateMachine):
    """The documents folder, the index, and the paragraph ids the index must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="newssearch-model-"))
        self.docs = self.root / "docs"
        self.docs.mkdir()
        self.location = self.root / "ix"
        self.files: dict[str, tuple[int, int]] = {}  # name -> (paragraphs, version); 0 paragraphs: empty
        self.version = 0
        self.indexed: set[str] | None = None  # the model's pids when the index last completed a run
        self.possible: set[str] = set()  # every pid the index may hold since then (killed runs)

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def expected(self) -> set[str]:
        return {f"{name}#{n}" for name, (count, _v) in self.files.items() for n in range(1, count + 1)}

    # ------------------------------------------------------------------ the documents

    @rule(name=st.sampled_from([f"a{n:02d}" for n in range(12)]), paragraphs=st.integers(1, 5))
    def write(self, name: str, paragraphs: int) -> None:
        self.version += 1
        (self.docs / f"{name}.txt").write_text(article(name, paragraphs, self.version), encoding="utf-8")
        self.files[name] = (paragraphs, self.version)

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        (self.docs / f"{name}.txt").unlink()
        del self.files[name]

    @precondition(lambda self: self.files)
    @rule(data=st.data(), content=st.sampled_from(["", "\n\n", "only a title\n"]))
    def empty(self, data: st.DataObject, content: str) -> None:
        """A file edited to hold no article: its paragraphs must go."""
        name = data.draw(st.sampled_from(sorted(self.files)))
        (self.docs / f"{name}.txt").write_text(content, encoding="utf-8")
        self.files[name] = (0, self.version)

    @rule(big=st.integers(20, 60))
    def add_many(self, big: int) -> None:
        """Enough files that a run commits several times (and a kill lands mid-run)."""
        for n in range(big):
            self.version += 1
            name = f"m{n:03d}"
            (self.docs / f"{name}.txt").write_text(article(name, 3, self.version), encoding="utf-8")
            self.files[name] = (3, self.version)

    # ------------------------------------------------------------------ the indexer

    @rule(jobs=st.sampled_from([1, 2]))
    def index(self, jobs: int) -> None:
        index_paths([self.docs], self.location, jobs=jobs)
        self.indexed = self.possible = self.expected()

    @rule()
    def rebuild(self) -> None:
        index_paths([self.docs], self.location, rebuild=True, jobs=1)
        self.indexed = self.possible = self.expected()

    @rule(jobs=st.sampled_from([1, 2]), rebuild=st.booleans(), delay=st.floats(0.2, 1.5), seed=st.integers(0, 99))
    def kill(self, jobs: int, rebuild: bool, delay: float, seed: int) -> None:
        """kill -9 of an indexer subprocess at some moment, then what a reader sees."""
        before = self.indexed
        self.possible = self.possible | self.expected()
        env = {**os.environ, "NEWSSEARCH_COMMIT_BYTES": "1500"}
        process = subprocess.Popen([sys.executable, "-c", INDEXER, str(self.docs), str(self.location), str(jobs),
                                    "1" if rebuild else "0"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay * random.Random(seed).random())
        process.send_signal(signal.SIGKILL)
        process.wait()
        if before is None and not (self.location / "newssearch.json").exists():
            return  # killed before the index was created
        try:
            held = self.pids()
        except Exception as error:  # noqa: BLE001
            if before is None:  # killed while the first run was creating the index: the next run completes it
                return
            raise AssertionError(f"the index did not answer after a kill: {error!r}") from error
        assert held <= self.possible, "nothing that was never indexed"
        self.indexed = None  # unknown until the next completed run

    # ------------------------------------------------------------------ what must hold

    def pids(self) -> set[str]:
        with NewsIndex.open(self.location) as index:
            hits = index.search("*", limit=100_000)
            pids = [hit.pid for hit in hits]
            assert len(pids) == len(set(pids)) == hits.total, "no paragraph twice"
            return set(pids)

    @invariant()
    def the_index_holds_exactly_the_model(self) -> None:
        if self.indexed is None:
            return
        assert self.pids() == self.indexed
        manifest = Manifest.load(self.location)
        assert sum(state.paragraphs for state in manifest.files.values()) == len(self.indexed)
        assert verify(self.location).ok


TestIndexModel = IndexModel.TestCase
