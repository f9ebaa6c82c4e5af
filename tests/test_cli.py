"""The newssearch command end to end, through click's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import SEED

from newssearch.cli import (
    EXIT_NO_INDEX, EXIT_NO_MATCHES, EXIT_SKIPPED, EXIT_USAGE, main, use_color,
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out like the repository: documents/ with the seed; index/ is made by the test."""
    (tmp_path / "documents").mkdir()
    shutil.copy(SEED, tmp_path / "documents" / SEED.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSSEARCH_INDEX", raising=False)
    monkeypatch.delenv("NEWSSEARCH_DOCUMENTS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_quick_start_index_then_query_prints_highlighted_hits(workdir: Path) -> None:
    indexed = run("index")
    assert indexed.exit_code == 0, indexed.output
    assert "Indexed 1 article (8 paragraphs) from 1 file into index/" in indexed.output
    result = run("query", "Belousov")
    assert result.exit_code == 0
    assert result.output.startswith('5 paragraphs match "Belousov"')
    assert "1. Russia pledges military support for Mali, Niger, Burkina Faso" in result.output
    assert "**Belousov**" in result.output
    assert "2025-08-15 · AFRICA" in result.output
    assert "\x1b[" not in result.output, "no colour when the output is not a terminal"


def test_second_index_run_reports_nothing_to_do(workdir: Path) -> None:
    run("index")
    again = run("index")
    assert again.exit_code == 0
    assert "Indexed 0 articles (0 paragraphs) from 0 files" in again.output
    assert "unchanged: 1 file" in again.output


def test_query_filters_by_speaker_section_and_dates(workdir: Path) -> None:
    run("index")
    by_speaker = run("query", "cooperation", "--speaker", "Sadio Camara", "--json")
    assert by_speaker.exit_code == 0
    hits = json.loads(by_speaker.output)["hits"]
    assert hits and all("Sadio Camara" in hit["speakers"] for hit in hits)
    assert run("query", "Belousov", "--section", "africa").exit_code == 0
    assert run("query", "Belousov", "--section", "europe").exit_code == EXIT_NO_MATCHES
    assert run("query", "Belousov", "--since", "Aug 1 2025", "--until", "2025-08").exit_code == 0
    assert run("query", "Belousov", "--since", "16/08/2025").exit_code == EXIT_NO_MATCHES


def test_json_output_has_every_field_score_and_match_offsets(workdir: Path) -> None:
    run("index")
    result = run("query", "Camara", "--json", "--limit", "1")
    data = json.loads(result.output)
    assert data["total"] == 2 and len(data["hits"]) == 1
    hit = data["hits"][0]
    for key in ("rank", "score", "pid", "article_id", "paragraph", "title", "date", "section",
                "speakers", "heading", "subtitle", "source", "path", "text", "highlights"):
        assert key in hit
    match = hit["highlights"][0]["matches"][0]
    assert hit["text"][match["start"]:match["end"]] == "Camara"


def test_missing_index_is_one_line_and_exit_code_3(workdir: Path) -> None:
    result = run("query", "Belousov")
    assert result.exit_code == EXIT_NO_INDEX
    assert result.output.strip().count("\n") == 0
    assert "no index at index/" in result.output
    assert "Traceback" not in result.output


def test_unparseable_query_is_one_line_and_exit_code_2(workdir: Path) -> None:
    run("index")
    result = run("query", "nosuchfield:x")
    assert result.exit_code == EXIT_USAGE
    assert result.output.startswith("newssearch: unknown field 'nosuchfield'")
    bad_date = run("query", "Belousov", "--since", "someday")
    assert bad_date.exit_code == EXIT_USAGE and "as a date" in bad_date.output


def test_no_matches_is_a_message_and_exit_code_1(workdir: Path) -> None:
    run("index")
    result = run("query", "zebra")
    assert result.exit_code == EXIT_NO_MATCHES
    assert 'no paragraph matches "zebra"' in result.output


def test_skipped_files_are_listed_and_exit_code_4(workdir: Path) -> None:
    (workdir / "documents" / "broken.json").write_text("{", encoding="utf-8")
    result = run("index")
    assert result.exit_code == EXIT_SKIPPED
    assert "broken.json" in result.output and "invalid JSON" in result.output
    assert "Indexed 1 article" in result.output


def test_index_options_set_section_date_and_location(workdir: Path) -> None:
    business = workdir / "archive" / "business"
    business.mkdir(parents=True)
    (business / "001.txt").write_text("Shares rally\n\nShares rose on Monday.\n", encoding="utf-8")
    result = run("index", "archive", "--index", "other-index", "--section-from-folder", "--date", "2005-03-01")
    assert result.exit_code == 0, result.output
    found = json.loads(run("query", "shares", "--index", "other-index", "--json").output)["hits"][0]
    assert (found["section"], found["date"], found["article_id"]) == ("business", "2005-03-01", "business/001")


def test_index_location_comes_from_environment(workdir: Path) -> None:
    assert run("index", env={"NEWSSEARCH_INDEX": "env-index"}).exit_code == 0
    assert (workdir / "env-index").is_dir()
    assert run("query", "Belousov", env={"NEWSSEARCH_INDEX": "env-index"}).exit_code == 0


def test_escape_sequences_in_documents_are_shown_not_run(workdir: Path) -> None:
    (workdir / "documents" / "evil.txt").write_text(
        "Evil \x1b[2J title\n\nThe zebra \x1b]0;pwned\x07 escaped.\n", encoding="utf-8")
    run("index")
    result = run("query", "zebra")
    assert "\x1b" not in result.output
    assert "\\x1b]0;pwned\\x07" in result.output


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(Terminal()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(Terminal()) is False


def test_speakers_command_lists_speaker_per_paragraph(workdir: Path) -> None:
    result = run("speakers", str(SEED), "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 8
    camara = next(r for r in rows if r["text"].startswith("“Currently"))
    assert camara["speakers"] == ["Sadio Camara"]


def every_command(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand of ``newssearch``, as argument lists."""
    context = click.Context(group)
    found = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += every_command(command, (*prefix, name))
    return found


@pytest.mark.parametrize("command", every_command(), ids=" ".join)
def test_every_command_has_help_that_explains_it(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    usage = result.output.splitlines()[0]
    assert usage.startswith("Usage: ") and f" {' '.join(command)} " in usage + " ", usage
    assert len(result.output.splitlines()) > 5, "a usage line, a description and the options"


def test_query_command_starts_without_loading_the_indexer_or_speaker_rules() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = ("import sys, newssearch.cli, newssearch.search; "
            "print(sorted(m for m in ('newssearch.indexing.run', 'newssearch.indexing.workers', 'newssearch.speakers', 'dateutil.parser', "
            "'urllib.request') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_whoosh_gets_a_working_urlretrieve_and_others_the_real_urllib_request() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = ("import newssearch.search, whoosh.compat, urllib.request; "
            "print(hasattr(urllib.request, 'urlopen'), callable(whoosh.compat.urlretrieve))")
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert printed.split() == ["True", "True"]


def test_package_search_stays_the_function_after_every_module_is_loaded() -> None:
    import importlib  # noqa: PLC0415

    import newssearch  # noqa: PLC0415

    for name in ("indexing.run", "search.engine", "search.similar", "speakers", "search", "index", "cli"):
        importlib.import_module(f"newssearch.{name}")
    assert callable(newssearch.search) and newssearch.search.__module__ == "newssearch"
    assert set(newssearch.__all__) <= set(dir(newssearch))
    assert newssearch.IndexReport.__name__ == "IndexReport"
