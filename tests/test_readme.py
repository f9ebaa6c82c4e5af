"""The README's promises: its API example runs as printed, and CI runs its test command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SEED

README = (REPO / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def python_blocks() -> list[str]:
    """Every Python code block of the README (```python and ```py), in the order it shows them."""
    return re.findall(r"```(?:python|py)\n(.*?)```", README, flags=re.DOTALL)


def test_every_python_block_of_the_readme_runs(tmp_path: Path) -> None:
    """In order, in one folder holding the shipped article and its index (``index/``)."""
    from newssearch import index_paths

    (tmp_path / "documents").mkdir()
    shutil.copy(SEED, tmp_path / "documents")
    index_paths([tmp_path / "documents"], tmp_path / "index")
    blocks = python_blocks()
    assert len(blocks) >= 2
    for number, block in enumerate(blocks, 1):
        script = tmp_path / f"block{number}.py"
        script.write_text(block, encoding="utf-8")
        done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"README Python block {number} failed:\n{block}\n{done.stderr}"
        assert done.stdout.strip(), f"README Python block {number} printed nothing"


def test_readme_api_example_runs_and_finds_belousov(tmp_path: Path) -> None:
    (example,) = code_blocks("python")
    assert len(example.strip().splitlines()) <= 12
    (tmp_path / "documents").mkdir()
    shutil.copy(SEED, tmp_path / "documents")
    script = tmp_path / "example.py"
    script.write_text(example, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "8 paragraphs indexed, 0 files skipped"
    assert lines[1] == "5 paragraphs match"
    assert len(lines) == 5 and lines[2].startswith("1 ")
    assert "'Belousov'" in lines[2]


def test_ci_runs_the_readme_test_command() -> None:
    test_command = code_blocks("sh")[1].strip()
    assert "pytest" in test_command
    assert test_command in (REPO / ".ci" / "run").read_text(encoding="utf-8")
