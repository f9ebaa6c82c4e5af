"""Shared fixtures: the project's own small corpus, the shipped seed article, and built indexes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newssearch import NewsIndex, index_paths

REPO = Path(__file__).resolve().parents[1]
FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
SEED = next((REPO / "documents").glob("*.txt"))
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the fixture corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, target)
    return target


@pytest.fixture
def corpus_index(corpus: Path, tmp_path: Path) -> Path:
    """An index of the fixture corpus, sections taken from folder names where files lack one."""
    from newssearch import ReadOptions

    location = tmp_path / "index"
    index_paths([corpus], location, options=ReadOptions(section_from_folder=True))
    return location


@pytest.fixture
def seed_index(tmp_path: Path) -> Path:
    """An index of the shipped seed article."""
    location = tmp_path / "seed-index"
    index_paths([SEED], location)
    return location


@pytest.fixture
def open_index(corpus_index: Path):
    with NewsIndex.open(corpus_index) as index:
        yield index


EXPLORE_FIXTURES = Path(__file__).parent / "fixtures" / "explore"


@pytest.fixture(scope="module")
def explore_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index per test module of the fixture corpus, the invented explore/ articles and the seed."""
    from newssearch import ReadOptions

    root = tmp_path_factory.mktemp("explore")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    shutil.copytree(EXPLORE_FIXTURES, root / "explore")
    (root / "documents").mkdir()
    shutil.copy(SEED, root / "documents" / SEED.name)
    location = root / "index"
    index_paths([root / "corpus", root / "explore", root / "documents"], location,
                options=ReadOptions(section_from_folder=True))
    return location
