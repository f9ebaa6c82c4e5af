"""The index folder is newssearch's to manage, and only its own files: rebuilds that never touch a
user's files, never leave readers without an index, and leave nothing behind when killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newssearch import NewsIndex, index_paths
from newssearch.cli import EXIT_USAGE, main
from newssearch.errors import IndexFolderError
from newssearch.indexing.folder import STAGING_FOLDER
from newssearch.indexing.manifest import Manifest

from test_safety import count, write_corpus


def user_files(folder: Path) -> dict[str, str]:
    """A user's own things in ``folder``: a note, a documents folder, a file named like whoosh's."""
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    made = {"notes.txt": "my notes", "documents/story.txt": "Story\n\nA harbour paragraph.\n",
            "MAIN_notes.txt": "named like an index file"}
    for name, text in made.items():
        (folder / name).write_text(text, encoding="utf-8")
    return made


def assert_unchanged(folder: Path, made: dict[str, str]) -> None:
    for name, text in made.items():
        assert (folder / name).read_text(encoding="utf-8") == text, name


def invoke(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_rebuild_keeps_a_users_files_beside_the_index(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 5)
    location = tmp_path / "ix"
    index_paths([tmp_path / "docs"], location)
    made = user_files(location)
    result = invoke("index", str(tmp_path / "docs"), "--index", str(location), "--rebuild")
    assert result.exit_code == 0, result.output
    assert_unchanged(location, made)
    assert count(location) == 15
    assert not (location / STAGING_FOLDER).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "nothing left beside the index"


def test_plain_commits_keep_a_users_file_named_like_an_index_file(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 3)
    location = tmp_path / "ix"
    index_paths([tmp_path / "docs"], location)
    made = user_files(location)
    write_corpus(tmp_path / "docs", 6)  # more files: another commit, which cleans up old segments
    index_paths([tmp_path / "docs"], location)
    assert_unchanged(location, made)
    assert count(location) == 18


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_folder_of_other_files_is_refused_as_a_new_index(tmp_path: Path, rebuild: bool) -> None:
    write_corpus(tmp_path / "docs", 2)
    made = user_files(tmp_path / "mine")
    before = sorted(p.name for p in (tmp_path / "mine").iterdir())
    result = invoke("index", str(tmp_path / "docs"), "--index", str(tmp_path / "mine"), *(["--rebuild"] if rebuild else []))
    assert result.exit_code == EXIT_USAGE
    assert "not a newssearch index (MAIN_notes.txt, documents, notes.txt)" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == before
    assert_unchanged(tmp_path / "mine", made)


def test_library_refuses_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    with pytest.raises(IndexFolderError, match="choose an empty or new folder"):
        NewsIndex.open(tmp_path / "mine", create=True)


def test_hidden_files_do_not_stop_a_new_index(tmp_path: Path) -> None:
    (tmp_path / "ix").mkdir()
    (tmp_path / "ix" / ".gitignore").write_text("*\n")
    write_corpus(tmp_path / "docs", 1)
    index_paths([tmp_path / "docs"], tmp_path / "ix")
    assert (tmp_path / "ix" / ".gitignore").read_text() == "*\n"


def test_rebuild_of_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(tmp_path / "docs", 2)
    location = tmp_path / "ix"
    index_paths([tmp_path / "docs"], location)
    monkeypatch.chdir(location)
    result = invoke("index", str(tmp_path / "docs"), "--index", ".", "--rebuild")
    assert result.exit_code == 0, result.output
    assert count(location) == 6


def test_rebuild_into_the_parent_folder_indexing_the_current_one(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """``cd docs && newssearch index --index .. --rebuild .``: the parent holds the documents, so it
    is refused as a new index; made an index first, its other files stay where they are."""
    root = tmp_path / "root"
    write_corpus(root / "docs", 2)
    monkeypatch.chdir(root / "docs")
    refused = invoke("index", "--index", "..", "--rebuild", ".")
    assert refused.exit_code == EXIT_USAGE
    assert sorted(p.name for p in root.iterdir()) == ["docs"]
    assert len(list((root / "docs").iterdir())) == 2


def test_the_index_folder_itself_is_never_read_as_articles(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 2)
    location = tmp_path / "docs" / "ix"
    index_paths([tmp_path / "docs"], location)
    report = index_paths([tmp_path / "docs"], location)
    assert not report.problems, [str(p) for p in report.problems]


REBUILDER = """
import sys
from newssearch import index_paths
for _ in range(int(sys.argv[3])):
    index_paths([sys.argv[1]], sys.argv[2], rebuild=True, jobs=1)
print("done", flush=True)
"""


# Whoosh's reader retries when a segment file vanishes under it (a commit deleted it), leaving the
# file it had opened to the garbage collector: a ResourceWarning, not a failure.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_readers_never_fail_while_rebuilds_swap_the_index(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 60)
    location = tmp_path / "ix"
    index_paths([tmp_path / "docs"], location)
    rebuilder = subprocess.Popen([sys.executable, "-c", REBUILDER, str(tmp_path / "docs"), str(location), "6"],
                                 stdout=subprocess.DEVNULL)
    reads, failures = 0, []
    while rebuilder.poll() is None:
        try:
            totals = count(location)
            if totals != 180:
                failures.append(f"total {totals}")
        except Exception as error:  # noqa: BLE001  (any failure is what this test looks for)
            failures.append(repr(error))
        reads += 1
    assert rebuilder.returncode == 0
    assert reads > 10
    assert failures == []


def test_kill_9_during_a_rebuild_keeps_the_old_index_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 300)
    location = tmp_path / "ix"
    index_paths([tmp_path / "docs"], location, jobs=1)
    env = {**os.environ, "NEWSSEARCH_COMMIT_BYTES": "2000"}
    rebuilder = subprocess.Popen([sys.executable, "-c", REBUILDER, str(tmp_path / "docs"), str(location), "1"],
                                 env=env, stdout=subprocess.DEVNULL)
    staging_manifest = location / STAGING_FOLDER / "newssearch.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not staging_manifest.exists():
        time.sleep(0.01)
    time.sleep(0.3)
    os.kill(rebuilder.pid, signal.SIGKILL)
    rebuilder.wait()
    assert count(location) == 900, "the old index answers"
    report = index_paths([tmp_path / "docs"], location)
    assert report.files_unchanged == 300
    assert not (location / STAGING_FOLDER).exists()
    assert count(location) == 900


WORKERS = """
import sys
from newssearch import index_paths
index_paths([sys.argv[1]], sys.argv[2], jobs=2)
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_stop_at_once_when_the_indexer_is_killed(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 2000, paragraphs=6)
    indexer = subprocess.Popen([sys.executable, "-c", WORKERS, str(tmp_path / "docs"), str(tmp_path / "ix")])
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(indexer.pid)
        time.sleep(0.05)
    assert len(workers) >= 2
    time.sleep(0.5)
    os.kill(indexer.pid, signal.SIGKILL)
    indexer.wait()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and any(map(_running, workers)):
        time.sleep(0.02)
    assert not any(map(_running, workers)), "workers ran on after the indexer died"
    assert len(Manifest.load(tmp_path / "ix").files) < 2000
