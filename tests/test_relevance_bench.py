"""The relevance benchmark's reading of test collections, its measures, and its runs end to end.

The collections here are invented (a few sentences about invented topics), written in the SMART
format that CISI and Cranfield use, so the tests own their data and run without ../shared.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import ir_collections as irc  # noqa: E402
import relevance  # noqa: E402

CISI_DOCS = """.I 1
.T 
Pigeon post in mountain villages
.A
Roe, J.
.W
Carrier pigeons carried letters between mountain
villages for a century. Pigeon lofts stood in every village.
.X
1 5 1
.I 2
.T
Canal barges and cheese
.W
Barges carried cheese along the canal to the market town.
.I 3
.T
Village markets
.W
The market in each village sold cheese, honey and letters paper.
"""
CISI_QUERIES = """.I 1
.W
How did pigeons carry letters
between villages?
.I 2
.W
What carried "cheese" to market?
.I 3
.W
A query nobody judged.
"""
CISI_JUDGMENTS = "1 1 0 0.000000\n2 2 0 0.000000\n2 3 0 0.000000\n"


def write_cisi(folder: Path) -> Path:
    cisi = folder / "cisi"
    cisi.mkdir(parents=True)
    (cisi / "CISI.ALL").write_text(CISI_DOCS)
    (cisi / "CISI.QRY").write_text(CISI_QUERIES)
    (cisi / "CISI.REL").write_text(CISI_JUDGMENTS)
    return folder


def test_cisi_reading_keeps_title_and_abstract_lines_and_only_judged_queries(tmp_path: Path) -> None:
    collection = irc.load("cisi", write_cisi(tmp_path))
    first = collection.documents[0]
    assert (first.id, first.title) == ("1", "Pigeon post in mountain villages")  # ".T " with a trailing space
    assert first.text == ("Carrier pigeons carried letters between mountain villages for a century. "
                          "Pigeon lofts stood in every village.")
    assert [q.id for q in collection.queries] == ["1", "2"]
    assert collection.queries[0].text == "How did pigeons carry letters between villages?"
    assert collection.relevant == {"1": {"1"}, "2": {"2", "3"}}


def test_cranfield_queries_are_numbered_by_position_and_minus_one_is_not_relevant(tmp_path: Path) -> None:
    cran = tmp_path / "cranfield"
    cran.mkdir()
    (cran / "cran.all.1400").write_bytes(b".I 1\r\n.T\r\nwing flutter .\r\n.A\r\nroe\r\n.W\r\nwing flutter\r\n"
                                         b"at speed .\r\n.W\r\nmore text .\r\n.I 2\r\n.T\r\n.W\r\n")
    (cran / "cran.qry").write_text(".I 001\n.W\nwing flutter .\n.I 004\n.W\nshock waves .\n.I 008\n.W\nnothing .\n")
    (cran / "cranqrel").write_text("1 1 2\n2 1 -1\n3 2 4\n")
    collection = irc.load("cranfield", tmp_path)
    assert [(q.id, q.text) for q in collection.queries] == [("1", "wing flutter ."), ("3", "nothing .")]
    assert collection.relevant == {"1": {"1"}, "3": {"2"}}
    assert collection.documents[0].text == "wing flutter at speed . more text ."  # a repeated .W appends
    assert collection.documents[1].text == ""


def test_measures_match_hand_computed_values() -> None:
    ranking = ["a", "x", "b", "y"]
    relevant = {"a", "b", "c"}
    assert irc.average_precision(ranking, relevant) == pytest.approx((1 / 1 + 2 / 3) / 3)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert irc.ndcg(ranking, relevant) == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert irc.precision(ranking, relevant) == pytest.approx(0.2)
    assert irc.recall(ranking, relevant) == pytest.approx(2 / 3)
    scores = irc.evaluate({"q": ranking}, {"q": relevant, "empty": {"a"}})
    assert scores.queries == 2 and scores.map == pytest.approx((1 + 2 / 3) / 3 / 2)


def test_or_query_lowercases_operators_and_drops_punctuation() -> None:
    assert relevance.or_query('What "cheese" AND Barges?') == "what OR cheese OR and OR barges"


def test_benchmark_skips_cleanly_without_the_collections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert relevance.main(["--data", str(tmp_path)]) == 0
    assert "benchmark skipped" in capsys.readouterr().out


def test_benchmark_runs_newssearch_and_the_anchors_on_a_collection(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_cisi(tmp_path / "data")
    json_out = tmp_path / "scores.json"
    code = relevance.main(["--data", str(data), "--systems", "typed,or,whoosh,fts5", "--collections", "cisi",
                           "--keep", str(tmp_path / "work"), "--json", str(json_out)])
    assert code == 0
    table = capsys.readouterr().out
    assert "| newssearch, OR of the words | 1.000 |" in table  # each query's relevant articles come first
    assert "| SQLite FTS5 (porter unicode61, bm25()) | 1.000 |" in table
    assert "| newssearch, typed as written | 0.000 |" in table  # today: no paragraph holds every word
    assert '"typed"' in json_out.read_text()


def test_lab_reproduces_newssearch_or_ranking(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    import ranking_lab as lab

    data = write_cisi(tmp_path / "data")
    collection = irc.load("cisi", data)
    run = relevance.run_system("or", collection, tmp_path / "work",
                               relevance.parse_args(["--data", str(data)]), {})
    analyzer = lab.NewsAnalyzer(stem=True)
    index = lab.LabIndex(collection, "joined", analyzer)
    today = lab.Config(form="or", qtf=False)
    for query in collection.queries:
        ranking = lab.rank_articles(index, today, lab.query_terms(query.text, today, analyzer))
        assert ranking == run.rankings[query.id] and ranking
