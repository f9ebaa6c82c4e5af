"""The README's examples hold for the shipped article: every query of the syntax table finds
something in documents/, and every ``$ newssearch …`` example prints what the README shows."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SEED

from newssearch.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")
SECONDS_RE = re.compile(r"\d+\.\d{3} s\b")


def table_queries() -> list[str]:
    """The queries in the first column of the README's query table (templates with … left out)."""
    table = README[README.index("| query | finds paragraphs … |"):]
    rows = [line for line in table.splitlines()[2:] if line.startswith("|")][:20]
    rows = rows[:next((i for i, row in enumerate(rows) if not row.startswith("| `")), len(rows))]
    return [query for row in rows for query in re.findall(r"`([^`]+)`", row.split(" | ")[0]) if "…" not in query]


def command_examples() -> list[tuple[str, list[str]]]:
    """Each ``$ newssearch …`` code block: the command and the lines shown under it."""
    blocks = re.findall(r"```\n\$ (newssearch [^\n]*)\n(.*?)```", README, flags=re.DOTALL)
    return [(command, shown.rstrip("\n").split("\n")) for command, shown in blocks]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like a fresh clone: documents/ with the shipped article, indexed into index/."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "documents").mkdir()
    shutil.copy(SEED, folder / "documents" / SEED.name)
    result = CliRunner().invoke(main, ["index", str(folder / "documents"), "--index", str(folder / "index")])
    assert result.exit_code == 0, result.output
    return folder


def run_in(folder: Path, command: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(folder)
    monkeypatch.delenv("NEWSSEARCH_INDEX", raising=False)
    return CliRunner().invoke(main, shlex.split(command)[1:], prog_name="newssearch")


def test_the_readme_has_a_query_table_and_command_examples() -> None:
    assert len(table_queries()) >= 20
    assert len(command_examples()) >= 4


@pytest.mark.parametrize("query", table_queries() + ["Camará", "Belosov cooperaton"])
def test_every_query_of_the_readme_finds_something_in_the_shipped_article(
        shipped: Path, query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_in(shipped, f"newssearch query --correct -- {shlex.quote(query)}", monkeypatch)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command, shown", command_examples(), ids=[c for c, _ in command_examples()])
def test_every_readme_command_prints_what_the_readme_shows(shipped: Path, command: str, shown: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_in(shipped, command, monkeypatch)
    printed = SECONDS_RE.sub("0.000 s", result.output).rstrip("\n").split("\n")
    expected = [SECONDS_RE.sub("0.000 s", line) for line in shown]
    if expected[-1] == "…":
        expected = expected[:-1]
        printed = printed[:len(expected)]
    assert printed == expected
