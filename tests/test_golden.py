"""Golden files: what every command prints, in every format, on the shipped article and the
fixture corpus. They stay byte-identical through refactoring; a change on purpose is recorded with
``NEWSSEARCH_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and explained in the commit.

Timings, temporary paths, sizes and dates of indexing are replaced by placeholders."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newssearch.cli import main

from conftest import EXPLORE_FIXTURES, FIXTURE_CORPUS, SEED

GOLDEN = Path(__file__).parent / "golden"
SEED_ID = "russia-pledges-military-support-sahel-2025-08-15"
FORMATS = ("text", "json", "jsonl", "csv", "markdown")

COMMANDS: dict[str, list[str]] = {
    "query-belousov": ["query", "Belousov"],
    "query-boolean-facets": ["query", "cocoa OR cooperation OR Belousov", "--facets", "-n", "3"],
    "query-per-article-newest": ["query", "said", "--per-article", "--sort", "newest", "-n", "4"],
    "query-page-2": ["query", "said", "-n", "3", "--page", "2"],
    "query-context": ["query", "Camara", "--context", "1", "-n", "2"],
    "query-filters": ["query", "cooperation", "--section", "africa", "--since", "2025-08", "--speaker", "Camara"],
    "query-suggest": ["query", "Belosov cooperaton"],
    "query-correct": ["query", "Belosov", "--correct"],
    "query-phrase-fields": ["query", '"joint statement" OR title:Mali OR speaker:"Sadio Camara"', "-n", "3"],
    "query-fuzzy-prefix": ["query", "Belosov~ OR coop*", "-n", "3"],
    "query-date-range": ["query", "date:[2024-01-01 to 2024-12-31]", "-n", "3"],
    "similar": ["similar", f"{SEED_ID}#4", "-n", "3"],
    "similar-other-articles": ["similar", f"{SEED_ID}#4", "-n", "3", "--other-articles"],
    "timeline-month": ["timeline", "said OR cocoa"],
    "timeline-week-articles": ["timeline", "*", "--by", "week", "--articles"],
}
SINGLE_FORMAT: dict[str, list[str]] = {
    "show-marked": ["show", f"{SEED_ID}#4", "--query", "Belousov"],
    "show-article": ["show", SEED_ID],
    "stats": ["stats", "--top", "5"],
}


@pytest.fixture(scope="module")
def golden_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus, the invented explore articles and the seed, indexed from fixed paths."""
    root = tmp_path_factory.mktemp("golden")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    shutil.copytree(EXPLORE_FIXTURES, root / "explore")
    (root / "documents").mkdir()
    shutil.copy(SEED, root / "documents" / SEED.name)
    result = CliRunner().invoke(main, ["index", str(root / "corpus"), str(root / "explore"), str(root / "documents"),
                                       "--index", str(root / "index"), "--section-from-folder", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return root


def normalise(text: str, root: Path) -> str:
    text = text.replace(str(root), "<root>")
    text = re.sub(r"\b\d+\.\d{3} s\b", "<seconds> s", text)
    text = re.sub(r'"seconds": [0-9.e-]+', '"seconds": "<seconds>"', text)
    text = re.sub(r'"(last_updated|updated)": "[^"]*"', r'"\1": "<time>"', text)
    text = re.sub(r'"size_bytes": \d+', '"size_bytes": "<size>"', text)
    text = re.sub(r"\(schema (\d+), [0-9.]+ [KMG]?B, last indexed [^)]*\)", r"(schema \1, <size>, <time>)", text)
    return text


def check_golden(name: str, output: str) -> None:
    path = GOLDEN / f"{name}.out"
    if os.environ.get("NEWSSEARCH_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: record it with NEWSSEARCH_UPDATE_GOLDEN=1"
    assert output == path.read_text(encoding="utf-8"), f"{path.name} changed"


def run(root: Path, args: list[str]) -> str:
    result = CliRunner().invoke(main, [*args, "--index", str(root / "index")], env={"NO_COLOR": "1"})
    return f"exit {result.exit_code}\n{normalise(result.output, root)}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_is_unchanged(golden_index: Path, name: str, fmt: str) -> None:
    check_golden(f"{name}.{fmt}", run(golden_index, [*COMMANDS[name], "--format", fmt]))


@pytest.mark.parametrize("fmt", ("text", "json", "markdown"))
@pytest.mark.parametrize("name", sorted(SINGLE_FORMAT))
def test_single_format_command_output_is_unchanged(golden_index: Path, name: str, fmt: str) -> None:
    check_golden(f"{name}.{fmt}", run(golden_index, [*SINGLE_FORMAT[name], "--format", fmt]))


@pytest.mark.parametrize("as_json", [False, True])
def test_speakers_output_is_unchanged(as_json: bool) -> None:
    result = CliRunner().invoke(main, ["speakers", str(SEED), *(["--json"] if as_json else [])])
    check_golden(f"speakers.{'json' if as_json else 'text'}", f"exit {result.exit_code}\n{result.output}")
