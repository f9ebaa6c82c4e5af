"""Indexing that loses nothing: locks, crashes, concurrent readers, and every kind of bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newssearch import IndexLockedError, NewsIndex, index_paths
from newssearch.cli import EXIT_LOCKED, EXIT_SKIPPED, main
from newssearch.indexing.lock import LOCK_FILE, IndexLock
from newssearch.indexing.manifest import Manifest


def write_corpus(folder: Path, articles: int, paragraphs: int = 3) -> None:
    """``articles`` small plain-text articles, each naming its own number."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(articles):
        body = "\n\n".join(f"Article {n} paragraph {p} mentions zebra{n} and the harbour."
                           for p in range(1, paragraphs + 1))
        (folder / f"{n:04d}.txt").write_text(f"Title {n}\n\n{body}\n", encoding="utf-8")


def count(location: Path, query: str = "harbour") -> int:
    with NewsIndex.open(location) as index:
        return index.search(query, limit=1).total


# --------------------------------------------------------------------------- locking


def test_second_indexer_fails_naming_the_pid_holding_the_lock(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 2)
    index_paths([tmp_path / "docs"], tmp_path / "ix")
    with IndexLock(tmp_path / "ix"):
        with pytest.raises(IndexLockedError, match=f"locked by PID {os.getpid()}"):
            index_paths([tmp_path / "docs"], tmp_path / "ix")


def test_locked_index_is_exit_code_5_from_the_cli(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 1)
    with IndexLock(tmp_path / "ix"):
        result = CliRunner().invoke(main, ["index", str(tmp_path / "docs"), "--index", str(tmp_path / "ix")])
    assert result.exit_code == EXIT_LOCKED
    assert "locked by PID" in result.output and "--wait" in result.output


def test_wait_gives_up_after_the_time_asked(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 1)
    started = time.monotonic()
    with IndexLock(tmp_path / "ix"):
        with pytest.raises(IndexLockedError, match="waited 0.3 s"):
            index_paths([tmp_path / "docs"], tmp_path / "ix", wait=0.3)
    assert time.monotonic() - started >= 0.3


def test_wait_succeeds_when_the_other_indexer_finishes(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 1)
    (tmp_path / "ix").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from newssearch.indexing.lock import IndexLock\n"
        "with IndexLock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(1.0)"),
        str(tmp_path / "ix")], stdout=subprocess.PIPE, text=True)
    with holder:
        assert holder.stdout.readline().strip() == "locked"
        report = index_paths([tmp_path / "docs"], tmp_path / "ix", wait=30)
    assert report.paragraphs == 3


def test_stale_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 1)
    (tmp_path / "ix").mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "ix" / LOCK_FILE).write_text(f"{dead.pid}\n")
    report = index_paths([tmp_path / "docs"], tmp_path / "ix")
    assert report.stale_lock_pid == dead.pid
    assert report.paragraphs == 3


# --------------------------------------------------------------------------- crashes and readers

INDEXER = """
import sys
from newssearch import index_paths
index_paths([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]))
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_kill_9_mid_run_leaves_a_usable_index_and_the_next_run_completes(tmp_path: Path, jobs: int) -> None:
    write_corpus(tmp_path / "docs", 400)
    location = tmp_path / "ix"
    env = {**os.environ, "NEWSSEARCH_COMMIT_BYTES": "2000"}
    indexer = subprocess.Popen([sys.executable, "-c", INDEXER, str(tmp_path / "docs"), str(location), str(jobs)],
                               env=env)
    manifest = location / "newssearch.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if manifest.exists() and json.loads(manifest.read_text())["files"]:
            break
        time.sleep(0.02)
    os.kill(indexer.pid, signal.SIGKILL)
    indexer.wait()
    committed = count(location)
    assert 0 < committed < 1200, "a committed part, not the whole"
    recorded = len(Manifest.load(location).files)
    assert committed == 3 * recorded, "the manifest lists exactly what the index holds"
    report = index_paths([tmp_path / "docs"], location, jobs=jobs)
    assert report.files_unchanged == recorded
    assert report.files_indexed == 400 - recorded
    assert count(location) == 1200
    assert count(location, "zebra399") == 3, "no duplicates"


def test_search_during_indexing_sees_the_last_commit(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", 200)
    location = tmp_path / "ix"
    index_paths([tmp_path / "docs"], location)
    write_corpus(tmp_path / "more", 300)
    env = {**os.environ, "NEWSSEARCH_COMMIT_BYTES": "5000"}
    indexer = subprocess.Popen([sys.executable, "-c", INDEXER, str(tmp_path / "more"), str(location), "1"], env=env)
    seen = []
    with NewsIndex.open(location) as index:
        while indexer.poll() is None:
            seen.append(index.search("harbour", limit=1).total)
    assert indexer.wait() == 0
    assert seen and all(600 <= n <= 1500 for n in seen)
    assert seen == sorted(seen), "commits only ever add"
    assert count(location) == 1500


def test_parallel_workers_and_many_commits_index_everything_once(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(tmp_path / "docs", 120)
    lines = [json.dumps({"id": f"j{n}", "title": f"Line {n}", "text": f"Jsonline {n} about the harbour."})
             for n in range(3000)]
    (tmp_path / "docs" / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("NEWSSEARCH_COMMIT_BYTES", "20000")
    monkeypatch.setattr("newssearch.indexing.plan.JSONL_SPAN_BYTES", 4096)
    report = index_paths([tmp_path / "docs"], tmp_path / "ix", jobs=2)
    assert report.workers == 2 and report.commits > 3
    assert report.paragraphs == 120 * 3 + 3000
    assert count(tmp_path / "ix") == 120 * 3 + 3000
    assert count(tmp_path / "ix", "jsonline") == 3000


# --------------------------------------------------------------------------- bad input


@pytest.fixture
def bad_corpus(tmp_path: Path) -> Path:
    """Good articles mixed with every kind of broken file."""
    folder = tmp_path / "bad"
    write_corpus(folder, 2)
    (folder / "latin1.txt").write_bytes("Caf\xe9 title\n\nA \xa315m signing by the harbour.\n".encode("latin-1"))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "baddate.txt").write_text(" date 2025-02-30 WORLD\nImpossible date\n\nStill by the harbour.\n")
    good = json.dumps({"title": "Good line", "text": "Good text by the harbour."})
    (folder / "mixed.jsonl").write_text(f"{good}\n{{broken\n{good}\n", encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return folder


def test_bad_input_is_reported_with_file_line_and_reason_and_good_content_kept(bad_corpus: Path,
                                                                              tmp_path: Path) -> None:
    report = index_paths([bad_corpus], tmp_path / "ix")
    reasons = {(Path(p.path).name, p.line): p.reason for p in report.problems}
    assert "binary" in reasons[("binary.txt", None)]
    assert "empty" in reasons[("empty.txt", None)]
    assert "invalid JSON" in reasons[("mixed.jsonl", 2)]
    assert "2025-02-30" in reasons[("baddate.txt", None)]
    assert "Windows-1252" in reasons[("latin1.txt", None)]
    assert {Path(p.path).name for p in report.skipped} == {"binary.txt", "empty.txt", "mixed.jsonl"}
    # good articles: 2 generated (3 paragraphs each) + latin1 + baddate + 2 good JSON lines
    assert count(tmp_path / "ix") == 6 + 1 + 1 + 2
    with NewsIndex.open(tmp_path / "ix") as index:
        assert index.search("£15m").total == 1


def test_cli_lists_problems_at_the_end_and_exits_4(bad_corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["index", str(bad_corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == EXIT_SKIPPED
    skipped = result.output[result.output.index("Skipped:"):]
    assert "mixed.jsonl:2: invalid JSON" in skipped
    assert "binary.txt: binary file" in skipped


def test_unreadable_file_is_reported_and_the_rest_indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(tmp_path / "docs", 2)
    secret = tmp_path / "docs" / "secret.txt"
    secret.write_text("Secret\n\nHidden harbour.\n")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # root can read anything, so refuse by hand
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = index_paths([tmp_path / "docs"], tmp_path / "ix")
    assert [(Path(p.path).name, p.reason) for p in report.skipped] == [("secret.txt", "permission denied")]
    assert count(tmp_path / "ix") == 6


def test_fifty_megabyte_single_paragraph_file_is_indexed_whole(tmp_path: Path) -> None:
    word = "x" * 999
    body = " ".join([word] * 50_000)  # 50 MB, one paragraph
    (tmp_path / "huge.txt").write_text(f"Huge\n\nstartword {body} endword\n", encoding="ascii")
    report = index_paths([tmp_path / "huge.txt"], tmp_path / "ix")
    assert report.problems == []
    assert report.paragraphs > 1
    with NewsIndex.open(tmp_path / "ix") as index:
        assert index.search("startword").total == 1
        assert index.search("endword").total == 1


def _crash_after(step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the indexer die right after ``step`` of its first commit: "manifest" (the pending
    change written, nothing committed) or "commit" (committed, manifest not yet rewritten)."""
    import newssearch.backends.whoosh.writer as indexer

    class Killed(BaseException):
        pass

    real_commit = indexer.commit_segments

    def commit(*args, **kwargs):
        if step == "manifest":
            raise Killed
        real_commit(*args, **kwargs)
        raise Killed

    monkeypatch.setattr(indexer, "commit_segments", commit)
    return Killed


@pytest.mark.parametrize("step", ["manifest", "commit"])
def test_manifest_matches_the_index_whichever_write_a_crash_interrupts(tmp_path: Path, step: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(tmp_path / "docs", 5)
    index_paths([tmp_path / "docs"], tmp_path / "ix")
    write_corpus(tmp_path / "more", 4)
    killed = _crash_after(step, monkeypatch)
    with pytest.raises(killed):
        index_paths([tmp_path / "more"], tmp_path / "ix", jobs=1)
    monkeypatch.undo()
    files = Manifest.load(tmp_path / "ix").files
    assert count(tmp_path / "ix") == 3 * len(files), "the manifest lists exactly what the index holds"
    assert len(files) == (5 if step == "manifest" else 9)
    report = index_paths([tmp_path / "docs", tmp_path / "more"], tmp_path / "ix")
    assert report.files_unchanged == len(files)
    assert count(tmp_path / "ix") == 27 and count(tmp_path / "ix", "zebra3") == 6, "no duplicates"


def test_a_pending_change_that_was_never_committed_is_dropped_before_the_next_commit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newssearch import Article

    write_corpus(tmp_path / "docs", 2)
    index_paths([tmp_path / "docs"], tmp_path / "ix")
    write_corpus(tmp_path / "more", 3)
    killed = _crash_after("manifest", monkeypatch)
    with pytest.raises(killed):
        index_paths([tmp_path / "more"], tmp_path / "ix", jobs=1)
    monkeypatch.undo()
    with NewsIndex.open(tmp_path / "ix") as index:  # this commit creates the generation the pending change named
        index.add_articles([Article(id="extra", title="Extra", body=("A harbour story.",))])
    assert len(Manifest.load(tmp_path / "ix").files) == 2
    assert count(tmp_path / "ix") == 7
