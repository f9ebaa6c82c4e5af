"""The real BBC News corpus from ../shared/data, when it is there (skipped on a fresh machine)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SHARED_DATA

from newssearch.cli import main

BBC = SHARED_DATA / "bbc-news" / "bbc"

pytestmark = pytest.mark.skipif(not BBC.is_dir(), reason=f"{BBC} is not present")


def test_whole_bbc_corpus_indexes_from_the_cli_with_its_bad_byte_reported(tmp_path: Path) -> None:
    runner = CliRunner()
    indexed = runner.invoke(main, ["index", str(BBC), "--index", str(tmp_path / "ix"), "--section-from-folder"])
    assert indexed.exit_code == 0, indexed.output
    assert "Indexed 2,225 articles (10,547 paragraphs) from 2,225 files" in indexed.output
    assert "sport/199.txt: not UTF-8 (byte 0xa3 at offset 257)" in indexed.output
    found = json.loads(runner.invoke(main, ["query", "Blair", "--section", "politics", "--index",
                                            str(tmp_path / "ix"), "--json"]).output)
    assert found["total"] > 100
    assert all(hit["section"] == "politics" for hit in found["hits"])
    pound = json.loads(runner.invoke(main, ["query", '"15.8m signing"', "--index", str(tmp_path / "ix"),
                                            "--json"]).output)
    assert [hit["article_id"] for hit in pound["hits"]] == ["sport/199"]
    assert "a £15.8m signing" in pound["hits"][0]["text"], "the Latin-1 pound sign is decoded"
