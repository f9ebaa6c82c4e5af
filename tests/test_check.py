"""Damage is noticed and said, never answered from silently: opening checks sizes, ``check``
checks every byte, ``check --repair`` re-reads exactly the affected sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newssearch import NewsIndex, index_paths
from newssearch.cli import EXIT_NO_INDEX, main
from newssearch.errors import IndexDamagedError
from newssearch.indexing.folder import TOC_RE
from newssearch.backends.whoosh.integrity import verify
from newssearch.indexing.manifest import MANIFEST_FILE, Manifest

from test_safety import count, write_corpus


@pytest.fixture
def two_segments(tmp_path: Path) -> tuple[Path, Path]:
    """An index of docs/a (first run) and docs/b (second run): one segment each."""
    docs, location = tmp_path / "docs", tmp_path / "ix"
    write_corpus(docs / "a", 4)
    index_paths([docs], location)
    write_corpus(docs / "b", 6)
    index_paths([docs], location)
    assert count(location) == 30
    assert len(Manifest.load(location).segments) == 2
    return docs, location


def segment_of(location: Path, folder: str) -> tuple[str, list[str]]:
    """The id and sources of the segment holding ``folder``'s files."""
    for segment_id, record in Manifest.load(location).segments.items():
        if all(f"/{folder}/" in source for source in record.sources):
            return segment_id, record.sources
    raise AssertionError(folder)


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    else:  # the same size, other bytes
        path.write_bytes(data[:4] + bytes(b ^ 0x5A for b in data[4:]))


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def assert_one_line(result: object, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    lines = result.output.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_sound_index_checks_sound(two_segments: tuple[Path, Path]) -> None:
    _docs, location = two_segments
    result = cli("check", "--index", str(location))
    assert result.exit_code == 0
    assert result.output.startswith(f"Index {location}/ is sound (2 segments, 30 paragraphs, 10 files).")


@pytest.mark.parametrize("part", [".pst", "._stored.col", ".trm", "._text_len.col", ".section.col"])
def test_a_truncated_segment_file_is_noticed_on_opening_and_repaired(two_segments: tuple[Path, Path],
                                                                    part: str) -> None:
    docs, location = two_segments
    segment_id, sources = segment_of(location, "b")
    damage(location / f"{segment_id}{part}", "truncate")
    with pytest.raises(IndexDamagedError, match="run `newssearch check`"):
        NewsIndex.open(location)
    assert_one_line(cli("query", "harbour", "--index", str(location)), EXIT_NO_INDEX, f"{segment_id}{part} has")
    assert_one_line(cli("index", str(docs), "--index", str(location)), EXIT_NO_INDEX, "newssearch check")
    checked = cli("check", "--index", str(location))
    assert checked.exit_code == EXIT_NO_INDEX
    assert "is damaged" in checked.output and "6 source files to read again" in checked.output
    repaired = cli("check", "--repair", "--index", str(location))
    assert repaired.exit_code == 0, repaired.output
    assert "read again: 6 files, 18 paragraphs" in repaired.output
    assert count(location) == 30 and count(location, "zebra5") == 3
    assert verify(location).ok


def test_bytes_changed_in_place_fail_a_query_in_one_line_and_check_finds_them(two_segments: tuple[Path, Path]) -> None:
    docs, location = two_segments
    segment_id, _sources = segment_of(location, "a")
    damage(location / f"{segment_id}.pst", "flip")
    assert_one_line(cli("query", "harbour", "--index", str(location)), EXIT_NO_INDEX,
                    "could not be read", "run `newssearch check`")
    report = verify(location)
    assert f"{segment_id}.pst does not match the checksum its commit recorded" in report.problems
    assert sorted(report.affected_files) == sorted(str(p) for p in (docs / "a").iterdir())
    assert cli("check", "--repair", "--index", str(location)).exit_code == 0
    assert count(location) == 30 and verify(location).ok


@pytest.mark.parametrize("how", ["truncate", "flip", "empty"])
def test_a_damaged_table_of_contents_is_one_line_and_a_repair_rebuilds(two_segments: tuple[Path, Path], how: str) -> None:
    _docs, location = two_segments
    toc = next(p for p in location.iterdir() if TOC_RE.match(p.name))
    if how == "empty":
        toc.write_bytes(b"")
    else:
        damage(toc, how)
    assert_one_line(cli("query", "harbour", "--index", str(location)), EXIT_NO_INDEX, "table of contents")
    assert cli("check", "--index", str(location)).exit_code == EXIT_NO_INDEX
    repaired = cli("check", "--repair", "--index", str(location))
    assert repaired.exit_code == 0, repaired.output
    assert "rebuilt the index from the files its manifest lists" in repaired.output
    assert count(location) == 30


@pytest.mark.parametrize("change", [
    lambda m: m.update(files=[]),
    lambda m: m.update(schema_version="4"),
    lambda m: next(iter(m["files"].values())).update(size="12"),
    lambda m: m.update(segments={"x": {"files": {"a": 3}}}),
    lambda m: m.update(pending={"generation": "x"}),
])
def test_a_manifest_with_wrong_types_is_one_line_and_a_repair_rebuilds_it(two_segments: tuple[Path, Path],
                                                                         change: object) -> None:
    docs, location = two_segments
    data = json.loads((location / MANIFEST_FILE).read_text())
    change(data)  # type: ignore[operator]
    (location / MANIFEST_FILE).write_text(json.dumps(data))
    assert_one_line(cli("query", "harbour", "--index", str(location)), EXIT_NO_INDEX, "manifest", "is damaged")
    assert_one_line(cli("stats", "--index", str(location)), EXIT_NO_INDEX, "manifest")
    repaired = cli("check", "--repair", "--index", str(location))
    assert repaired.exit_code == 0, repaired.output
    assert count(location) == 30
    report = index_paths([docs], location)
    assert report.files_indexed == 10, "every file is read again"
    assert count(location) == 30 and verify(location).ok


def test_a_manifest_that_is_not_json_is_one_line(two_segments: tuple[Path, Path]) -> None:
    _docs, location = two_segments
    (location / MANIFEST_FILE).write_text('{"files": {', encoding="utf-8")
    assert_one_line(cli("query", "harbour", "--index", str(location)), EXIT_NO_INDEX, "manifest", "damaged")


def test_a_repair_reports_a_source_that_is_gone(two_segments: tuple[Path, Path]) -> None:
    docs, location = two_segments
    segment_id, _sources = segment_of(location, "b")
    damage(location / f"{segment_id}.pst", "truncate")
    (docs / "b" / "0003.txt").unlink()
    repaired = cli("check", "--repair", "--index", str(location))
    assert repaired.exit_code == EXIT_NO_INDEX
    assert f"missing source, its paragraphs are gone from the index: {docs / 'b' / '0003.txt'}" in repaired.output
    assert count(location) == 27 and verify(location).ok


def test_paragraph_counts_that_disagree_with_the_manifest_are_found_and_repaired(two_segments: tuple[Path, Path]) -> None:
    _docs, location = two_segments
    manifest = Manifest.load(location)
    path = sorted(manifest.files)[0]
    manifest.files[path].paragraphs = 7
    manifest.save(location)
    report = verify(location)
    assert report.problems == [f"{path}: the index holds 3 paragraphs, the manifest says 7"]
    assert report.affected_files == {path}
    repaired = cli("check", "--repair", "--index", str(location))
    assert "read again: 1 file, 3 paragraphs" in repaired.output
    assert verify(location).ok and count(location) == 30
