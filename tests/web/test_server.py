"""`newssearch serve` as a real server: start-up, messages, serving through index updates, a bounded load test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install '.[web]'")
pytest.importorskip("uvicorn", reason="the web extra is not installed: pip install '.[web]'")

from websupport import REPO, SEED, LiveServer, live_server, start_server, web_index  # noqa: E402, F401

sys.path.insert(0, str(REPO / "benchmarks"))
from web_bench import Server as BenchServer  # noqa: E402
from web_bench import load  # noqa: E402

CLI = [sys.executable, "-c", "from newssearch.cli import main; main()"]


def get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def clean_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("NEWSSEARCH_")}


def test_serve_works_from_a_fresh_clone_with_no_index_yet(tmp_path: Path) -> None:
    """As the quick start: `newssearch serve` in a clone indexes documents/ first, then serves it."""
    clone = tmp_path / "clone"
    (clone / "documents").mkdir(parents=True)
    shutil.copy(SEED, clone / "documents" / SEED.name)
    (clone / "index").mkdir()
    server = start_server(None, cwd=clone, env=clean_environment())
    try:
        assert any("indexing documents/ first" in line for line in server.banner)
        status, page, headers = get(server.url + "/?q=Belousov")
        assert status == 200 and "<mark>Belousov</mark>" in page and "unsafe-inline" not in headers[
            "content-security-policy"]
        status, body, _ = get(server.url + "/api/search?q=Belousov")
        assert status == 200 and json.loads(body)["total"] == 5
        status, body, headers = get(server.url + "/api/search?q=%22")
        assert status == 400 and headers["content-type"].startswith("application/json")
        assert json.loads(body) == {"error": "query '\"' has no words to search for", "status": 400}
    finally:
        assert server.stop() == 0


def test_without_the_web_extra_serve_says_how_to_install_it(tmp_path: Path) -> None:
    blocker = ("import sys\nclass Block:\n    def find_spec(self, name, path=None, target=None):\n"
               "        if name.split('.')[0] in ('uvicorn', 'starlette', 'jinja2'):\n"
               "            raise ImportError(name)\nsys.meta_path.insert(0, Block())\n"
               "from newssearch.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", blocker, "serve", "--index", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 6
    assert done.stderr.strip().splitlines() == [
        "newssearch: newssearch serve needs the web extra: pip install 'newssearch[web]' "
        "(or pip install '.[web]' in a clone)"]


def test_no_index_and_a_taken_port_are_one_line_errors(tmp_path: Path, live_server: LiveServer) -> None:
    done = subprocess.run([*CLI, "serve", "--index", str(tmp_path / "none"), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3 and len(done.stderr.strip().splitlines()) == 1 and "no index" in done.stderr
    port = live_server.url.rsplit(":", 1)[1]
    index = live_server.process.args[live_server.process.args.index("--index") + 1]  # type: ignore[union-attr]
    taken = subprocess.run([*CLI, "serve", "--index", index, "--port", port], capture_output=True, text=True,
                           timeout=60)
    assert taken.returncode == 6 and taken.stderr.startswith(f"newssearch: cannot listen on 127.0.0.1:{port}")
    assert len(taken.stderr.strip().splitlines()) == 1


def test_loopback_by_default_and_a_warning_when_bound_elsewhere(web_index: Path, live_server: LiveServer) -> None:
    assert live_server.url.startswith("http://127.0.0.1:")
    assert not any("warning" in line for line in live_server.banner)
    exposed = start_server(web_index, "--host", "0.0.0.0")
    try:
        assert any("warning: listening on 0.0.0.0, not loopback" in line for line in exposed.banner)
        port = exposed.url.rsplit(":", 1)[1]
        assert get(f"http://127.0.0.1:{port}/api/stats")[0] == 200  # asked on loopback only
    finally:
        exposed.stop()


def test_ctrl_c_stops_the_server_cleanly(live_server: LiveServer) -> None:
    assert get(live_server.url + "/api/search?q=harbour")[0] == 200
    assert live_server.stop() == 0


# --------------------------------------------------------------------------- serving through index updates


def write_articles(folder: Path, first: int, count: int, word: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(first, first + count):
        body = "\n\n".join(f"Harbour notice {number}, part {part}: the {word} ferry sails at dawn."
                           for part in range(1, 4))
        (folder / f"{number:04d}.txt").write_text(f"Ferry notice {number}\n\n{body}\n", encoding="utf-8")


class Poller(threading.Thread):
    """Asks for a search again and again, recording each status and total, until stopped."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.seen: list[tuple[int, Any]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            status, body, _ = get(self.url)
            self.seen.append((status, json.loads(body)["total"] if status == 200 else body[:200]))


def test_serves_through_index_updates_and_a_rebuild_picking_up_each_commit(tmp_path: Path) -> None:
    """Each answer is one committed state: the count only grows while files are added, never an error."""
    documents = tmp_path / "docs"
    write_articles(documents, 0, 20, "blue")
    location = tmp_path / "index"
    env = {**clean_environment(), "NEWSSEARCH_COMMIT_BYTES": "2000"}  # many small commits
    subprocess.run([*CLI, "index", str(documents), "--index", str(location), "-q"], check=True, env=env)
    server = start_server(location, "--workers", "2")
    poller = Poller(server.url + "/api/search?q=ferry&limit=1")
    pages = Poller(server.url + "/api/search?q=blue&limit=1")
    try:
        poller.start()
        pages.start()
        write_articles(documents, 20, 60, "green")
        subprocess.run([*CLI, "index", str(documents), "--index", str(location), "-q"], check=True, env=env)
        time.sleep(0.3)
        status, body, _ = get(server.url + "/api/search?q=green&limit=1")
        assert status == 200 and json.loads(body)["total"] == 180  # picked up without a restart
        subprocess.run([*CLI, "index", str(documents), "--index", str(location), "-q", "--rebuild"], check=True,
                       env=env)
        time.sleep(0.3)
        assert json.loads(get(server.url + "/api/search?q=ferry&limit=1")[1])["total"] == 240
    finally:
        poller.running = pages.running = False
        poller.join(30)
        pages.join(30)
        server.stop()
    errors = [item for item in poller.seen + pages.seen if item[0] != 200]
    assert not errors, (errors[:3], "".join(server.log[-60:]))
    totals = [total for _, total in poller.seen]
    assert len(totals) > 10 and totals[0] == 60 and totals[-1] == 240
    assert totals == sorted(totals)  # every answer one committed state: never fewer than before
    assert {total for _, total in pages.seen} == {60}


def test_bounded_load_on_loopback_ends_with_no_errors(web_index: Path) -> None:
    """The short version of `python benchmarks/web_bench.py --mode load` (16 clients, 3 s)."""
    queries = ["Belousov", "harbour", "cocoa", '"joint statement"', "Camara", "said", "minister"]
    with BenchServer(web_index, "--workers", "2") as server:
        from web_bench import request_paths  # noqa: PLC0415

        report = load(server, request_paths(server, queries), clients=16, seconds=3.0)
    print(f"\nload test on the fixture index: {report.line()}")
    assert not report.errors, report.errors[:3]
    assert report.requests > 16 and set(report.by_kind) == {"api", "page", "article", "speaker"}
