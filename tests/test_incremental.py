"""What a run reads again, keeps and removes: unreadable input keeps its paragraphs, input read
as nothing loses them, changed reading options re-read files, links and clashing ids are
indexed once and uniquely."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from newssearch import NewsIndex, ReadOptions, index_paths, show_article
from newssearch.cli import EXIT_SKIPPED
from newssearch.indexing.manifest import Manifest

from test_safety import count, write_corpus

CLI = "from newssearch.cli import main; main()"


def run_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as a user whom file permissions stop: as root, without the capabilities that
    override them (root reads any file otherwise)."""
    command = [sys.executable, "-c", CLI, *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be made to fail")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path]:
    write_corpus(tmp_path / "docs" / "open", 3)
    write_corpus(tmp_path / "docs" / "locked", 2)
    index_paths([tmp_path / "docs"], tmp_path / "ix")
    assert count(tmp_path / "ix") == 15
    return tmp_path / "docs", tmp_path / "ix"


def test_a_folder_that_cannot_be_listed_keeps_its_paragraphs(indexed: tuple[Path, Path]) -> None:
    docs, location = indexed
    (docs / "locked").chmod(0)
    try:
        result = run_unprivileged("index", str(docs), "--index", str(location))
    finally:
        (docs / "locked").chmod(0o755)
    assert result.returncode == EXIT_SKIPPED, result.stderr
    assert f"{docs / 'locked'}: cannot list this folder (Permission denied); the paragraphs indexed from it are kept" \
        in result.stderr
    assert "removed: 0 deleted files" in result.stdout
    assert count(location) == 15
    assert len(Manifest.load(location).files) == 5
    assert index_paths([docs], location).files_unchanged == 5


def test_a_changed_file_that_cannot_be_read_keeps_its_paragraphs(indexed: tuple[Path, Path]) -> None:
    docs, location = indexed
    changed = docs / "open" / "0000.txt"
    changed.write_text("Title\n\nA new version about lemurs.\n", encoding="utf-8")
    changed.chmod(0)
    try:
        result = run_unprivileged("index", str(docs), "--index", str(location))
    finally:
        changed.chmod(0o644)
    assert result.returncode == EXIT_SKIPPED, result.stderr
    assert "cannot read (Permission denied); the paragraphs indexed from it are kept" in result.stderr
    assert count(location) == 15 and count(location, "lemurs") == 0
    report = index_paths([docs], location)
    assert report.files_indexed == 1
    assert count(location, "lemurs") == 1 and count(location) == 12


def test_an_emptied_file_loses_its_paragraphs_and_is_reported(indexed: tuple[Path, Path]) -> None:
    docs, location = indexed
    (docs / "open" / "0001.txt").write_text("", encoding="utf-8")
    report = index_paths([docs], location)
    assert [p.reason for p in report.skipped] == [
        "empty file", "no article read from it now; the 3 paragraphs indexed from it before are removed"]
    assert count(location) == 12
    assert Manifest.load(location).files[str(docs / "open" / "0001.txt")].paragraphs == 0


def test_a_deleted_folder_still_removes_its_paragraphs(indexed: tuple[Path, Path]) -> None:
    docs, location = indexed
    shutil.rmtree(docs / "locked")
    report = index_paths([docs], location)
    assert report.files_removed == 2 and not report.problems
    assert count(location) == 9


def dated(location: Path) -> set[date | None]:
    with NewsIndex.open(location) as index:
        return {hit.date for hit in index.search("harbour", limit=100)}


def test_a_new_default_date_reads_unchanged_files_again(indexed: tuple[Path, Path]) -> None:
    docs, location = indexed
    report = index_paths([docs], location, options=ReadOptions(date=date(2024, 5, 1)))
    assert report.files_indexed == 5 and report.files_unchanged == 0
    assert dated(location) == {date(2024, 5, 1)}
    again = index_paths([docs], location, options=ReadOptions(date=date(2024, 5, 1)))
    assert again.files_unchanged == 5
    assert count(location) == 15


def test_section_from_folder_reads_files_again(indexed: tuple[Path, Path]) -> None:
    docs, location = indexed
    index_paths([docs], location, options=ReadOptions(section_from_folder=True))
    with NewsIndex.open(location) as index:
        assert {hit.section for hit in index.search("harbour", limit=100)} == {"open", "locked"}


def test_a_link_to_an_indexed_file_indexes_it_once(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 2)
    (tmp_path / "docs" / "zz-link.txt").symlink_to(tmp_path / "docs" / "0000.txt")
    report = index_paths([tmp_path / "docs"], tmp_path / "ix")
    assert report.files_indexed == 2
    assert [p.reason for p in report.warnings] == [f"the same file as {tmp_path / 'docs' / '0000.txt'} (a link); indexed once"]
    assert count(tmp_path / "ix") == 6


def write_json(path: Path, records: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")


def pids_of(location: Path, query: str) -> list[str]:
    with NewsIndex.open(location) as index:
        return sorted(hit.pid for hit in index.search(query, limit=100))


def test_two_files_with_one_article_id_keep_both_articles_with_unique_ids(tmp_path: Path) -> None:
    write_json(tmp_path / "docs" / "a.jsonl", [{"id": "story-1", "title": "Alpha", "text": "Otters in the harbour."}])
    write_json(tmp_path / "docs" / "b.jsonl", [{"id": "story-1", "title": "Beta", "text": "Herons in the harbour."}])
    report = index_paths([tmp_path / "docs"], tmp_path / "ix")
    assert [p.reason for p in report.warnings] == [
        f"article id 'story-1' is already used by {tmp_path / 'docs' / 'a.jsonl'}; indexed as 'story-1~2'"]
    assert pids_of(tmp_path / "ix", "harbour") == ["story-1#1", "story-1~2#1"]
    with NewsIndex.open(tmp_path / "ix") as index:
        assert [p.text for p in show_article(index, "story-1").paragraphs] == ["Otters in the harbour."]
    assert index_paths([tmp_path / "docs"], tmp_path / "ix").files_unchanged == 2


def test_an_id_already_in_the_index_is_not_taken_by_a_new_file(tmp_path: Path) -> None:
    write_json(tmp_path / "docs" / "b.jsonl", [{"id": "s", "title": "Old", "text": "Herons in the harbour."}])
    index_paths([tmp_path / "docs"], tmp_path / "ix")
    write_json(tmp_path / "docs" / "a.jsonl", [{"id": "s", "title": "New", "text": "Otters in the harbour."}])
    index_paths([tmp_path / "docs"], tmp_path / "ix")
    with NewsIndex.open(tmp_path / "ix") as index:
        assert show_article(index, "s").title == "Old"
        assert show_article(index, "s~2").title == "New"


def test_one_id_twice_in_a_file_is_indexed_twice_under_two_ids(tmp_path: Path) -> None:
    write_json(tmp_path / "docs" / "a.jsonl", [{"id": "s", "title": "One", "text": "Otters in the harbour."},
                                               {"id": "s", "title": "Two", "text": "Herons in the harbour."}])
    report = index_paths([tmp_path / "docs"], tmp_path / "ix")
    assert [p.reason for p in report.warnings] == [
        "article id 's' is already used by another article of this file; indexed as 's~2'"]
    assert pids_of(tmp_path / "ix", "harbour") == ["s#1", "s~2#1"]


def test_one_id_in_two_spans_of_a_large_file_is_made_unique(tmp_path: Path) -> None:
    filler = [{"id": f"f{n}", "title": f"Filler {n}", "text": "Gulls " * 100} for n in range(2500)]
    records = [{"id": "s", "title": "First", "text": "Otters in the harbour."}, *filler,
               {"id": "s", "title": "Last", "text": "Herons in the harbour."}]
    write_json(tmp_path / "docs" / "big.jsonl", records)
    assert (tmp_path / "docs" / "big.jsonl").stat().st_size > 1.5 * 2**20
    index_paths([tmp_path / "docs"], tmp_path / "ix", jobs=2)
    assert pids_of(tmp_path / "ix", "harbour") == ["s#1", "s~2#1"]
    with NewsIndex.open(tmp_path / "ix") as index:
        assert show_article(index, "s").title == "First"
        assert index.paragraph_count == 2502
