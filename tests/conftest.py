"""Shared fixtures: the project's own small corpus, the shipped seed article, and built indexes."""

from __future__ import annotations

import os
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from newssearch import Article, NewsIndex, index_paths

pytest_plugins = ["sphinx_cluster"]  # fixtures starting a real Sphinx cluster (tests/sphinx_cluster.py)

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


# An invented archive for the fast query paths: a few very common words (many posting blocks),
# some middling, some rare, and quoted invented people.
COMMON = ["said", "the", "minister", "market"]
MIDDLING = ["prime", "oil", "prices", "interest", "rates", "talks", "harbour", "festival"]
RARE = ["zephyr", "quokka", "marmalade"]
PEOPLE = ["Ada Quill", "Bram Oakes", "Cleo Quill"]


def invented_paragraph(rng: random.Random) -> str:
    words = [rng.choice(COMMON) if rng.random() < 0.5 else rng.choice(MIDDLING) for _ in range(rng.randint(4, 40))]
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), "prime minister")
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), "oil prices said")
    if rng.random() < 0.02:
        words.append(rng.choice(RARE))
    quote = f" “The {rng.choice(MIDDLING)} matter,” said {rng.choice(PEOPLE)}." if rng.random() < 0.25 else ""
    return " ".join(words) + "." + quote


def invented_articles(rng: random.Random, start: int, count: int, version: str = "") -> list[Article]:
    return [Article(id=f"a{number}", title=f"Story {number}{version}", section=rng.choice(["world", "business"]),
                    date=date(2024, 1, 1) + timedelta(days=rng.randrange(700)) if rng.random() < 0.7 else None,
                    body=tuple(invented_paragraph(rng) for _ in range(rng.randint(1, 6)))) for number in range(start, start + count)]


@pytest.fixture(scope="session")
def many_segments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 3,000 invented paragraphs over several segments, some articles replaced (deleted documents)."""
    rng = random.Random(7)
    location = tmp_path_factory.mktemp("conjunction") / "index"
    with NewsIndex.open(location, create=True) as index:
        index.add_articles(invented_articles(rng, 0, 400))
        index.add_articles(invented_articles(rng, 400, 300))
        index.add_articles(invented_articles(rng, 350, 100, version=" (updated)"))  # replaces 350-449
        index.add_articles(invented_articles(rng, 700, 150))
    return location


def assert_same_ranking(fast: list[tuple[float, int]], slow: list[tuple[float, int]]) -> None:
    """Same scores position by position; same documents in the same order, except that documents
    whose scores differ only by rounding (a sum added in another order) may swap."""
    assert [score for score, _ in fast] == pytest.approx([score for score, _ in slow], rel=1e-12)

    def canonical(ranked: list[tuple[float, int]]) -> list[tuple[float, int]]:
        return sorted((-round(score, 9), docnum) for score, docnum in ranked)

    if fast:
        cutoff = -round(fast[-1][0], 9)  # the tie group at the end may be cut at another member
        assert [item for item in canonical(fast) if item[0] < cutoff] == [
            item for item in canonical(slow) if item[0] < cutoff]
        assert [score for score, _ in fast] == sorted((score for score, _ in fast), reverse=True)


def assert_ranks_like_whoosh(found: tuple[list[tuple[float, int]], int], searcher: object, parsed: object,
                             restriction: object, limit: int | None) -> None:
    """``found`` (ranked matches, total) is what whoosh's own matchers give for ``parsed``."""
    import importlib

    search = importlib.import_module("newssearch.backends.whoosh.matching")
    if limit is None:
        slow = search.all_matches(searcher, parsed, restriction)
        slow_total = len(slow)
    else:
        results = search.ranked_and_counted(searcher, parsed, limit, restriction)
        slow, slow_total = list(results.top_n), search.total_matches(results, limit)
    assert found[1] == slow_total
    assert_same_ranking(found[0], slow)


# Property-based tests: a bounded, reproducible run by default (CI); HYPOTHESIS_PROFILE=thorough
# runs many more examples, on demand.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=12, stateful_step_count=10, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=400, stateful_step_count=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Examples per property test of the readers, queries and commands (tests/test_properties_*.py),
# whose examples are cheap next to the model's sequences above: 200 in CI (about 15 s), 5,000 with
# HYPOTHESIS_PROFILE=thorough.
_PROPERTY_EXAMPLES = {"ci": 200, "thorough": 5_000}


def property_settings(share: float = 1.0) -> settings:
    """Settings for a property test: the profile's number of examples times ``share`` (for tests
    whose examples are slow), no example database, reproduction blobs printed."""
    examples = _PROPERTY_EXAMPLES.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 200)
    return settings(max_examples=max(5, int(examples * share)), database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
