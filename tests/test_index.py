"""Building the index and keeping it up to date incrementally."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newssearch import Article, IndexNotFoundError, NewsIndex, SchemaMismatchError, index_paths
from newssearch.indexing.manifest import MANIFEST_FILE as META_FILE


def pids(location: Path, query: str) -> list[str]:
    with NewsIndex.open(location) as index:
        return sorted(hit.pid for hit in index.search(query, limit=100))


def test_first_run_indexes_every_article_file(corpus: Path, tmp_path: Path) -> None:
    report = index_paths([corpus], tmp_path / "ix")
    assert report.files_indexed == 5
    assert report.articles == 6
    assert report.paragraphs == 5 + 3 + 4 + 2 + 2
    assert report.problems == []
    with NewsIndex.open(tmp_path / "ix") as index:
        assert index.paragraph_count == report.paragraphs


def test_second_run_with_nothing_changed_does_no_work(corpus: Path, tmp_path: Path) -> None:
    index_paths([corpus], tmp_path / "ix")
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.files_indexed, report.paragraphs, report.files_unchanged) == (0, 0, 5)


def test_touched_but_identical_file_is_not_reindexed(corpus: Path, tmp_path: Path) -> None:
    index_paths([corpus], tmp_path / "ix")
    file = corpus / "business" / "grain-prices.txt"
    os.utime(file, (1_000_000_000, 1_000_000_000))
    report = index_paths([corpus], tmp_path / "ix")
    assert report.files_indexed == 0 and report.files_unchanged == 5


def test_changed_file_replaces_its_paragraphs(corpus: Path, tmp_path: Path) -> None:
    index_paths([corpus], tmp_path / "ix")
    file = corpus / "business" / "grain-prices.txt"
    file.write_text("Grain prices fall\n\nBarley replaced wheat in this version.\n", encoding="utf-8")
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.files_indexed, report.paragraphs) == (1, 1)
    assert pids(tmp_path / "ix", "barley") == ["business/grain-prices#1"]
    assert pids(tmp_path / "ix", "maize") == []
    with NewsIndex.open(tmp_path / "ix") as index:
        assert index.paragraph_count == 16 - 3 + 1


def test_deleted_file_paragraphs_go_away(corpus: Path, tmp_path: Path) -> None:
    index_paths([corpus], tmp_path / "ix")
    (corpus / "world.jsonl").unlink()
    report = index_paths([corpus], tmp_path / "ix")
    assert report.files_removed == 1
    assert pids(tmp_path / "ix", "helicopter") == []
    with NewsIndex.open(tmp_path / "ix") as index:
        assert index.paragraph_count == 12


def test_broken_file_is_skipped_and_the_rest_indexed(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.json").write_text("{oops", encoding="utf-8")
    report = index_paths([corpus], tmp_path / "ix")
    assert report.files_indexed == 5
    assert [Path(p.path).name for p in report.skipped] == ["broken.json"]


def test_file_that_breaks_later_loses_its_old_paragraphs_and_says_so(corpus: Path, tmp_path: Path) -> None:
    index_paths([corpus], tmp_path / "ix")
    assert pids(tmp_path / "ix", "tram") != []
    (corpus / "newsplease.json").write_text("{oops", encoding="utf-8")
    report = index_paths([corpus], tmp_path / "ix")
    assert [p.reason for p in report.skipped] == [
        "invalid JSON: Expecting property name enclosed in double quotes",
        "no article read from it now; the 2 paragraphs indexed from it before are removed"]
    assert pids(tmp_path / "ix", "tram") == []
    assert index_paths([corpus], tmp_path / "ix").problems == [], "reported once, when it changed"


def test_rebuild_starts_from_scratch(corpus: Path, tmp_path: Path) -> None:
    index_paths([corpus], tmp_path / "ix")
    report = index_paths([corpus / "business"], tmp_path / "ix", rebuild=True)
    assert report.files_indexed == 1
    with NewsIndex.open(tmp_path / "ix") as index:
        assert index.paragraph_count == 3
    assert not list(tmp_path.glob(".ix.*")), "no staging folder is left behind"


def test_add_articles_replaces_an_article_with_the_same_id(tmp_path: Path) -> None:
    with NewsIndex.open(tmp_path / "ix", create=True) as index:
        index.add_articles([Article(id="a1", title="Old", body=("Cabbages are green.",))])
        index.add_articles([Article(id="a1", title="New", body=("Carrots are orange.", "Beets are red."))])
        assert index.paragraph_count == 2
        assert [h.title for h in index.search("carrots")] == ["New"]
        assert len(index.search("cabbages").hits) == 0


def test_opening_a_missing_index_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="newssearch index"):
        NewsIndex.open(tmp_path / "nothing")


def test_index_of_another_schema_version_asks_for_rebuild(corpus: Path, tmp_path: Path) -> None:
    index_paths([corpus], tmp_path / "ix")
    meta_file = tmp_path / "ix" / META_FILE
    meta = json.loads(meta_file.read_text())
    meta["schema_version"] = 0
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(SchemaMismatchError, match="--rebuild"):
        NewsIndex.open(tmp_path / "ix")
    index_paths([corpus], tmp_path / "ix", rebuild=True)
    assert pids(tmp_path / "ix", "helicopter") == ["fixture/world/2#2"]
