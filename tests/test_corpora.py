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


@pytest.fixture(scope="module")
def bbc_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newssearch import ReadOptions, index_paths  # noqa: PLC0415

    location = tmp_path_factory.mktemp("bbc") / "ix"
    index_paths([BBC], location, options=ReadOptions(section_from_folder=True))
    return location


def test_block_scanned_queries_rank_like_whoosh_on_real_news(bbc_index: Path) -> None:
    """400 queries made from random BBC paragraphs (words, phrases, OR, NOT, speakers): the same
    top 10 and totals from the posting-block scanner as from whoosh's own matchers."""
    import importlib  # noqa: PLC0415
    import random  # noqa: PLC0415
    import re  # noqa: PLC0415

    from conftest import assert_ranks_like_whoosh  # noqa: PLC0415

    from newssearch import NewsIndex  # noqa: PLC0415
    from newssearch.backends.whoosh.parsing import parse_query  # noqa: PLC0415

    search = importlib.import_module("newssearch.backends.whoosh.matching")
    rng = random.Random(20261127)
    checked = 0
    with NewsIndex.open(bbc_index) as index:
        searcher = index.backend.searcher()
        while checked < 400:
            stored = searcher.stored_fields(rng.randrange(searcher.doc_count_all()))
            words = re.findall(r"[A-Za-z]{3,}", stored.get("text", ""))
            if len(words) < 5:
                continue
            i = rng.randrange(len(words) - 3)
            speaker = stored.get("speaker", "").split("; ")[0]
            query = rng.choice([
                words[i], f"{words[i]} {words[i + 2]}", " ".join(rng.sample(words, 3)),
                f'"{words[i]} {words[i + 1]}"', f'"{" ".join(words[i:i + 3])}" {words[0]}',
                f"{words[i]} OR {words[i + 2]}", f"{words[i]} NOT {words[i + 1]}",
                f'{words[i]} speaker:"{speaker}"' if speaker else words[i],
            ])
            parsed = parse_query(searcher.schema, query)
            fast = search.block_scan(searcher, parsed, None, 10)
            assert fast is not None, query
            assert_ranks_like_whoosh(fast, searcher, parsed, None, 10)
            checked += 1
