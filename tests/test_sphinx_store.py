"""Paragraph documents on a real 2-shard cluster: write, replace, delete, count, facet, group, page.

Every expected number is computed here from the invented records with newssearch's own analyser,
not taken from Sphinx.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest

from newssearch.analysis import Normalizer
from newssearch.backends.sphinx.client import Connection
from newssearch.backends.sphinx.daemons import LocalCluster
from newssearch.backends.sphinx.errors import ClusterError
from newssearch.backends.sphinx.schema import INDEX, shard_for, sphinx_term
from newssearch.backends.sphinx.store import (
    ClusterStore, ParagraphQuery, ParagraphRecord, match_terms, section_key,
)
from sphinx_cluster import invented_records, requires_searchd

pytestmark = requires_searchd
ANALYSER = Normalizer()
RECORDS = invented_records(1200)  # about 4,200 paragraphs


@pytest.fixture(scope="module")
def store(shared_cluster: LocalCluster) -> Iterator[ClusterStore]:
    with ClusterStore(shared_cluster.address) as opened:
        opened.add(RECORDS)
        yield opened


def _with(word: str, records: list[ParagraphRecord] = RECORDS) -> list[ParagraphRecord]:
    return [r for r in records if ANALYSER.normalize(word) in ANALYSER.index_terms(r.text)]


def test_every_paragraph_is_stored_once_on_its_articles_shard(store: ClusterStore) -> None:
    assert store.documents() == len(RECORDS)
    for number, shard in enumerate(store.shards):
        rows = shard.select(f"SELECT article_id FROM {INDEX} LIMIT 5000 OPTION max_matches=5000").rows
        assert rows and {shard_for(article_id, 2) for (article_id,) in rows} == {number}


def test_small_ram_chunks_put_documents_on_disk_too(store: ClusterStore) -> None:
    chunks = [dict(s.rows(f"SHOW INDEX {INDEX} STATUS"))["disk_chunks"] for s in store.shards]
    assert all(int(count) >= 1 for count in chunks)  # the tests below also cover disk chunks


def test_stored_text_comes_back_whole(store: ClusterStore) -> None:
    wanted = RECORDS[123]
    page = store.search(ParagraphQuery(article_ids=(wanted.article_id,), order="oldest", limit=10))
    found = {hit.record.pid: hit.record for hit in page.hits}
    assert found[wanted.pid] == wanted


def test_any_text_comes_back_as_written_but_nul(store: ClusterStore) -> None:
    text = "It's \"50%\" C:\\path\\n\nnew line\ttab \x1a 😀 naïve \x00end"
    record = ParagraphRecord(pid="odd#1", article_id="odd", path="/odd's\\path", paragraph=1, text=text,
                             title="Rock 'n' roll", speakers=("D'Arcy O'Neil",))
    store.add([record])
    try:
        (hit,) = store.search(ParagraphQuery(article_ids=("odd",))).hits
        assert hit.record.text == text.replace("\x00", "\ufffd")  # SphinxQL strings cannot hold NUL
        assert (hit.record.path, hit.record.title, hit.record.speakers) == (record.path, record.title, record.speakers)
        assert store.count(ParagraphQuery(match=match_terms(["o", "neil"], field="speaker", mode="phrase"))) == 1
    finally:
        store.delete_articles(["odd"])


def test_titles_and_authors_are_searchable_fields(store: ClusterStore) -> None:
    assert store.count(ParagraphQuery(match=match_terms(["stori"], field="title"))) == len(RECORDS)
    assert store.count(ParagraphQuery(match=match_terms(["desk", "writer"], field="authors", mode="phrase"))) == len(
        RECORDS)
    outlook = [r for r in RECORDS if r.heading == "Outlook"]
    assert store.count(ParagraphQuery(match=match_terms(["outlook"], field="heading"))) == len(outlook) > 0


def test_word_totals_are_exact_and_equal_newssearchs_own_matching(store: ClusterStore) -> None:
    for word in ["harbour", "Festival", "tariffs", "zephyr", "elections"]:
        expected = len(_with(word))
        query = ParagraphQuery(match=match_terms([ANALYSER.normalize(word)]))
        assert store.search(query).total == store.count(query) == expected > 0


def test_phrases_prefixes_and_fields_match_the_analysed_terms(store: ClusterStore) -> None:
    phrase = [r for r in RECORDS if " harbour festiv " in f" {' '.join(ANALYSER.index_terms(r.text))} "]
    assert store.count(ParagraphQuery(match=match_terms(["harbour", "festiv"], mode="phrase"))) == len(phrase)
    prefixed = [r for r in RECORDS if any(t.startswith("tar") for t in ANALYSER.index_terms(r.text))]
    assert store.count(ParagraphQuery(match=match_terms(["tar*"], field="text"))) == len(prefixed)
    quill = [r for r in RECORDS if any(name.endswith("Quill") for name in r.speakers)]
    assert store.count(ParagraphQuery(match=match_terms(["quill"], field="speaker"))) == len(quill)
    assert store.count(ParagraphQuery(match=match_terms(["nunez"], field="speaker"))) == len(
        [r for r in RECORDS if "José Núñez" in r.speakers])


def test_filters_by_section_speaker_and_date_are_exact(store: ClusterStore) -> None:
    start, end = date(2023, 6, 1), date(2024, 2, 29)
    expected = [r for r in RECORDS if r.section == "Middle East" and "Cleo Quill" in r.speakers
                and r.date is not None and start <= r.date <= end]
    query = ParagraphQuery(sections=("middle east",), speakers=("Cleo Quill",), date_from=start, date_to=end,
                           order="newest", limit=100)
    page = store.search(query)
    assert page.total == len(expected) > 0
    assert {h.record.pid for h in page.hits} == {r.pid for r in expected}
    assert [h.record.date for h in page.hits] == sorted((r.date for r in expected if r.date), reverse=True)
    assert section_key("Middle  East") == section_key("middle east")


def test_facets_count_every_match_like_the_embedded_index(store: ClusterStore) -> None:
    matching = _with("rainfall")
    page = store.search(ParagraphQuery(match=match_terms(["rainfal"]), facets=("section", "speaker", "month"),
                                       facet_limit=1000))
    sections = Counter(r.section for r in matching if r.section)
    speakers = Counter(name for r in matching for name in r.speakers)
    months = Counter(f"{r.date:%Y-%m}" for r in matching if r.date)
    assert dict(page.facets["section"].values) == sections
    assert page.facets["section"].missing == sum(1 for r in matching if not r.section)
    assert dict(page.facets["speaker"].values) == speakers  # names from the cluster's name map
    assert page.facets["speaker"].missing == sum(1 for r in matching if not r.speakers)
    assert dict(page.facets["month"].values) == months and page.facets["month"].distinct == len(months)
    assert page.facets["month"].missing == sum(1 for r in matching if r.date is None)
    assert all(f.exact for f in page.facets.values())
    counts = [count for _, count in page.facets["month"].values]
    assert counts == sorted(counts, reverse=True)


def test_facets_with_more_values_than_max_matches_stay_exact(store: ClusterStore) -> None:
    people = [f"Person {number:04d}" for number in range(1500)]  # more than Sphinx's 1000 groups
    records = [ParagraphRecord(pid=f"crowd/{i}#1", article_id=f"crowd/{i}", path="/crowd", paragraph=1,
                               text="Vox populi.", speakers=(name, "Ada Quill") if i % 3 == 0 else (name,))
               for i, name in enumerate(people)]
    store.add(records)
    try:
        page = store.search(ParagraphQuery(match=match_terms(["vox"]), facets=("speaker",), facet_limit=3))
        speaker = page.facets["speaker"]
        assert speaker.exact and speaker.distinct == 1501 and speaker.missing == 0
        assert speaker.values == [("Ada Quill", 500), ("Person 0000", 1), ("Person 0001", 1)]  # ties by name
    finally:
        store.delete_paths(["/crowd"])


def test_per_article_gives_each_articles_best_paragraph_and_its_match_count(store: ClusterStore) -> None:
    matching = _with("quokka")
    per_article = Counter(r.article_id for r in matching)
    query = ParagraphQuery(match=match_terms(["quokka"]), per_article=True, limit=2000)
    page = store.search(query)
    assert page.total == len(per_article) == store.count(query)
    assert {h.record.article_id: h.matched_in_article for h in page.hits} == per_article
    for hit in page.hits[:50]:  # within its article, no paragraph scores higher
        siblings = store.search(ParagraphQuery(match=match_terms(["quokka"]), article_ids=(hit.record.article_id,)))
        assert hit.score == max(s.score for s in siblings.hits)


def test_article_totals_stay_exact_when_articles_outnumber_max_matches(store: ClusterStore) -> None:
    articles = {r.article_id for r in RECORDS}
    assert len(articles) > 1000  # Sphinx's grouped total_found is approximate past max_matches groups
    assert store.search(ParagraphQuery(per_article=True)).total == len(articles)


def test_pages_past_the_first_thousand_are_reachable_and_do_not_overlap(store: ClusterStore) -> None:
    everything = ParagraphQuery(order="oldest", limit=500)
    pids: list[str] = []
    for offset in range(0, len(RECORDS), 500):
        page = store.search(ParagraphQuery(order="oldest", offset=offset, limit=500))
        assert page.total == len(RECORDS)
        pids += [h.record.pid for h in page.hits]
    assert len(pids) == len(set(pids)) == len(RECORDS) > 2000
    assert store.search(everything).hits[0].record.date is None  # undated first, as 0


def test_writing_a_pid_again_replaces_it_even_on_disk(store: ClusterStore) -> None:
    old = RECORDS[5]
    new = ParagraphRecord(**{**old.__dict__, "text": "Zanzibar marmalade."})
    store.add([new])
    assert store.documents() == len(RECORDS)
    assert store.count(ParagraphQuery(match=match_terms(["zanzibar"]))) == 1
    store.add([old])
    assert store.count(ParagraphQuery(match=match_terms(["zanzibar"]))) == 0


def test_deleting_by_article_and_by_path_removes_exactly_those(shared_cluster: LocalCluster) -> None:
    extra = invented_records(40, seed=3, path_prefix="/extra")
    extra = [ParagraphRecord(**{**r.__dict__, "pid": "x" + r.pid, "article_id": "x" + r.article_id}) for r in extra]
    with ClusterStore(shared_cluster.address) as store:
        before = store.documents()
        store.add(extra)
        gone = [r for r in extra if r.article_id in ("xinvented/3", "xinvented/4")]
        assert store.delete_articles(["xinvented/3", "xinvented/4"]) == len(gone)
        path = extra[-1].path
        on_path = [r for r in extra if r.path == path and r not in gone]
        assert store.delete_paths([path]) == len(on_path)
        assert store.documents() == before + len(extra) - len(gone) - len(on_path)
        assert store.delete_paths(sorted({r.path for r in extra})) == len(extra) - len(gone) - len(on_path)
        assert store.documents() == before


def test_sphinx_keeps_every_analysed_term_as_one_keyword(store: ClusterStore) -> None:
    text = ("COVID_19 G7 2024 Straße İstanbul Œuvre naïve Ⅻ ² 3_000 x-y " + "a" * 50 + " " + "a" * 49 + "b"
            + " ab\U00030001cd 東京都")
    terms = ANALYSER.index_terms(text)
    assert store.keywords(" ".join(map(sphinx_term, terms))) == [sphinx_term(t) for t in terms]


def test_a_paragraph_with_a_long_term_is_found_by_that_term_only(store: ClusterStore) -> None:
    long_a, long_b = "pneumono" + "x" * 40, "pneumono" + "x" * 39 + "y"
    record = ParagraphRecord(pid="long#1", article_id="long", path="/long", paragraph=1, text=f"{long_a} quay")
    store.add([record])
    try:
        assert store.count(ParagraphQuery(match=match_terms([ANALYSER.normalize(long_a)]))) == 1
        assert store.count(ParagraphQuery(match=match_terms([ANALYSER.normalize(long_b)]))) == 0
        assert store.count(ParagraphQuery(match=match_terms(["pneumonox*"]))) == 1
    finally:
        store.delete_articles(["long"])


def test_bad_queries_get_one_line_errors(store: ClusterStore) -> None:
    for query, message in [(ParagraphQuery(order="sideways"), "unknown order"),
                           (ParagraphQuery(facets=("colour",)), "unknown facet"),
                           (ParagraphQuery(offset=-1), "offset must be"),
                           (ParagraphQuery(facet_limit=0), "facet_limit")]:
        with pytest.raises(ClusterError, match=message):
            store.search(query)
    with pytest.raises(ClusterError, match="unknown field"):
        match_terms(["x"], field="colour")
    with pytest.raises(ClusterError) as error:
        store.search(ParagraphQuery(match="@nosuchfield (x)"))
    assert "\n" not in str(error.value) and "nosuchfield" in str(error.value)


def test_connections_reopen_after_an_error(store: ClusterStore) -> None:
    with pytest.raises(ClusterError):
        store.aggregator.select("SELECT nonsense FROM nowhere")
    assert store.documents() == len(RECORDS)
    assert isinstance(store.aggregator, Connection)
