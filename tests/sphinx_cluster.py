"""A real Sphinx cluster for the tests: 2 RT shards and an aggregator on free loopback ports.

Tests that need it skip, with the reason, only when ``searchd`` is not installed (Debian package
``sphinxsearch``; ``.ci/run`` installs it). Daemons are stopped by the PIDs they were started
with, killed if they ignore the stop, whatever the test did to them.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from newssearch.backends.sphinx.daemons import DaemonSettings, LocalCluster, start_cluster, stop_cluster
from newssearch.backends.sphinx.store import ParagraphRecord

requires_searchd = pytest.mark.skipif(
    shutil.which("searchd") is None,
    reason="searchd is not installed (apt-get install -y sphinxsearch; .ci/run does it)")


@contextmanager
def running_cluster(folder: Path, shards: int = 2, **settings: object) -> Iterator[LocalCluster]:
    """A cluster started in ``folder`` and stopped (killed if need be) when the block ends."""
    cluster = start_cluster(folder, shards, DaemonSettings(**settings))  # type: ignore[arg-type]
    try:
        yield cluster
    finally:
        stop_cluster(folder, timeout=5.0)


@pytest.fixture
def sphinx_cluster(tmp_path: Path) -> Iterator[LocalCluster]:
    """A fresh cluster for one test (which may stop, hang or kill its daemons)."""
    with running_cluster(tmp_path / "cluster") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def shared_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """One cluster per test module, with a small RAM chunk so that documents also reach disk chunks
    (where Sphinx behaves differently: REPLACE and DELETE must still work there)."""
    with running_cluster(tmp_path_factory.mktemp("sphinx") / "cluster", rt_mem_limit="256K") as cluster:
        yield cluster


# Invented news: sections, speakers and words chosen so that every count is known in advance.
SECTIONS = ["World", "Business", "Middle East", ""]
SPEAKERS = ["Ada Quill", "Bram Oakes", "Cleo Quill", "José Núñez"]
WORDS = ["harbour", "festival", "tariffs", "rainfall", "election", "quokka", "marmalade", "zephyr"]


def invented_records(articles: int, seed: int = 11, path_prefix: str = "/news") -> list[ParagraphRecord]:
    """Paragraph records of ``articles`` invented articles, 1 to 6 paragraphs each, ten per file."""
    rng = random.Random(seed)
    records = []
    for number in range(articles):
        article_id = f"invented/{number}"
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(900)) if rng.random() < 0.8 else None
        section = rng.choice(SECTIONS)
        for paragraph in range(1, rng.randint(1, 6) + 1):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 12))]
            speakers = tuple(rng.sample(SPEAKERS, rng.choice([0, 0, 1, 1, 2])))
            records.append(ParagraphRecord(
                pid=f"{article_id}#{paragraph}", article_id=article_id, path=f"{path_prefix}/file{number // 10}.jsonl",
                paragraph=paragraph, text=" ".join(words).capitalize() + ".", title=f"Story {number}",
                heading="Outlook" if paragraph > 3 else "", date=day, section=section, source="Invented Wire",
                url=f"https://example.invalid/{number}", authors=("Desk Writer",), speakers=speakers))
    return records
