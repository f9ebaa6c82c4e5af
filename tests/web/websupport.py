"""Helpers and fixtures of the web tests (imported by name: a second conftest.py would shadow the top one)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
SEED = next((REPO / "documents").glob("*.txt"))
SERVING_RE = re.compile(r"serving .* at (http://\S+?)/ ")


def build_web_index(root: Path) -> Path:
    """The fixture corpus, the explore articles, the seed and the web fixtures (hostile markup, two Camaras)."""
    from newssearch import ReadOptions, index_paths

    for name in ("corpus", "explore", "web"):
        shutil.copytree(FIXTURES / name, root / name)
    (root / "documents").mkdir()
    shutil.copy(SEED, root / "documents" / SEED.name)
    location = root / "index"
    index_paths([root / "corpus", root / "explore", root / "web", root / "documents"], location,
                options=ReadOptions(section_from_folder=True))
    return location


@pytest.fixture(scope="module")
def web_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_index(tmp_path_factory.mktemp("web"))


class LiveServer:
    """``newssearch serve`` in a child process on a free loopback port."""

    def __init__(self, process: subprocess.Popen[str], url: str, banner: list[str]) -> None:
        self.process = process
        self.url = url
        self.banner = banner
        self.log: list[str] = []  # the rest of its stderr, read all along so that the pipe never fills
        self._reader = threading.Thread(target=lambda: self.log.extend(process.stderr or ()), daemon=True)
        self._reader.start()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(10)
        if self.process.stderr is not None:
            self.process.stderr.close()
        return self.process.returncode


def start_server(index: Path | None, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float = 60) -> LiveServer:
    """Start the server and wait for its banner (the port it took); raises with its output if it exits."""
    command = [sys.executable, "-c", "from newssearch.cli import main; main()", "serve", "--port", "0", *args]
    if index is not None:
        command += ["--index", str(index)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=cwd,
                               env=env or {**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stderr is not None
    banner: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        banner.append(line.rstrip("\n"))
        found = SERVING_RE.search(line)
        if found:
            return LiveServer(process, found.group(1), banner)
    process.kill()
    rest = process.stderr.read()
    raise AssertionError(f"server did not start: {banner} {rest}")


@pytest.fixture
def live_server(web_index: Path) -> Iterator[LiveServer]:
    server = start_server(web_index)
    yield server
    server.stop()
