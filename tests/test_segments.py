"""The fast segment writer writes what whoosh's own writer writes, and segments commit atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURE_CORPUS, SEED

from newssearch.backends.whoosh.segments import FastSegmentWriter, commit_segments, segment_ids
from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.ingest.files import find_article_files
from newssearch.ingest.read import read_file
from newssearch.ingest.pipeline import prepare_paragraphs
from newssearch.backends.whoosh.schema import build_schema
from newssearch.schema import PATH, paragraph_document

with whoosh_imports():
    from whoosh import index as whoosh_index
    from whoosh import scoring
    from whoosh.qparser import QueryParser
    from whoosh.writing import SegmentWriter


def documents() -> list[dict[str, object]]:
    docs = []
    for file, root in [*find_article_files([FIXTURE_CORPUS]), (SEED, SEED.parent)]:
        for article in read_file(file, root).articles:
            for paragraph, speakers in prepare_paragraphs(article):
                docs.append(paragraph_document(article, paragraph, speakers, str(file)))
    return docs


def build(location: Path, writer_class: type, **writer_options: object) -> object:
    location.mkdir()
    ix = whoosh_index.create_in(str(location), build_schema())
    writer = writer_class(ix, _lk=False) if writer_class is FastSegmentWriter else writer_class(ix, **writer_options)
    for doc in documents():
        writer.add_document(**doc)
    if writer_class is FastSegmentWriter:
        commit_segments(ix, [writer.finish()])
    else:
        writer.commit()
    return whoosh_index.open_dir(str(location))


@pytest.mark.parametrize("query", [
    "Belousov", "minister", "river OR wheat", '"pay deal"', "speaker:Camara", "title:Mali",
    "section:africa defence", "heading:funding", "coop*", "date:[2024-01-01 to 2025-12-31] said",
])
def test_fast_writer_ranks_exactly_like_whoosh(tmp_path: Path, query: str) -> None:
    fast = build(tmp_path / "fast", FastSegmentWriter)
    plain = build(tmp_path / "plain", SegmentWriter)
    found = []
    for ix in (fast, plain):
        with ix.searcher(weighting=scoring.BM25F()) as searcher:
            parsed = QueryParser("text", ix.schema).parse(query)
            found.append([(hit["pid"], round(hit.score, 6)) for hit in searcher.search(parsed, limit=None)])
    assert found[0] == found[1]
    assert found[0], f"{query!r} should match something"


def test_fast_writer_stores_the_same_fields(tmp_path: Path) -> None:
    fast = build(tmp_path / "fast", FastSegmentWriter)
    plain = build(tmp_path / "plain", SegmentWriter)
    with fast.searcher() as a, plain.searcher() as b:
        assert list(a.all_stored_fields()) == list(b.all_stored_fields())
        assert a.doc_count() == b.doc_count() == len(documents())


def test_commit_deletes_only_from_the_segments_named(tmp_path: Path) -> None:
    ix = build(tmp_path / "ix", FastSegmentWriter)
    before = segment_ids(ix)
    seed_path = str(SEED)
    writer = FastSegmentWriter(ix, _lk=False)
    article = read_file(SEED).articles[0]
    for paragraph, speakers in prepare_paragraphs(article):
        writer.add_document(**paragraph_document(article, paragraph, speakers, seed_path))
    commit_segments(ix, [writer.finish()], [(PATH, seed_path)], before)
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    with ix.searcher() as searcher:
        seed_docs = [d for d in searcher.all_stored_fields() if d["path"] == seed_path]
    assert len(seed_docs) == 8, "old copies deleted, the new copy kept"


def test_cached_length_bm25f_scores_exactly_like_whoosh_bm25f(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newssearch.backends.whoosh.ranking import CachedLengthBM25F

    monkeypatch.setattr("newssearch.backends.whoosh.ranking.PRELOAD_MIN_POSTINGS", 1)
    ix = build(tmp_path / "ix", FastSegmentWriter)
    for query in ["the", "minister OR river", '"the river"', "said"]:
        parsed = QueryParser("text", ix.schema).parse(query)
        ranked = []
        for weighting in (CachedLengthBM25F(), scoring.BM25F()):
            with ix.searcher(weighting=weighting) as searcher:
                ranked.append([(hit.docnum, hit.score) for hit in searcher.search(parsed, limit=None)])
        assert ranked[0] == ranked[1] and ranked[0]


def test_intermediate_commits_never_merge_segments(tmp_path: Path) -> None:
    ix = build(tmp_path / "ix", FastSegmentWriter)
    for _ in range(6):  # many small segments: whoosh's MERGE_SMALL would merge them
        writer = FastSegmentWriter(ix, _lk=False)
        writer.add_document(**documents()[0])
        commit_segments(ix, [writer.finish()], merge=False)
        ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    assert len(ix._segments()) == 7
    commit_segments(ix, [], merge=True)
    assert len(whoosh_index.open_dir(str(tmp_path / "ix"))._segments()) < 7


def test_only_blocks_of_several_postings_are_compressed(tmp_path: Path) -> None:
    from newssearch.backends.whoosh.segments import COMPRESS_MIN_POSTINGS
    from newssearch.backends.whoosh.conjunction import _Postings

    ix = build(tmp_path / "ix", FastSegmentWriter)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        blocks = [block for (field, term) in reader.all_terms() if field == "text"
                  for block in _Postings.read(reader, (field, term.decode("utf-8"))).blocks]
    small = [block for block in blocks if block.count < COMPRESS_MIN_POSTINGS]
    large = [block for block in blocks if block.count >= COMPRESS_MIN_POSTINGS]
    assert small and large
    assert not any(block.compressed for block in small) and all(block.compressed for block in large)


def _write_postings_both_ways(compressed: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, object]]:
    """The same terms written by ``write_terms`` and by whoosh's ``W3FieldWriter``: (storage,
    segment) of each, in that order."""
    import random
    from array import array

    import newssearch.backends.whoosh.segments as segments
    from newssearch.backends.whoosh.segments import encode_positions, write_terms

    with whoosh_imports():
        from whoosh.codec.whoosh3 import W3Codec
        from whoosh.filedb.filestore import RamStorage
        from whoosh.util.numeric import byte_to_length

    monkeypatch.setattr(segments, "COMPRESS_MIN_POSTINGS", 0 if compressed else 10**9)
    rng = random.Random(5)
    field = build_schema()["text"]
    lengths = array("B", [rng.randrange(1, 120) for _ in range(3000)])
    terms = []
    for number, size in enumerate([1, 3, 7, 8, 9, 127, 128, 129, 300, 1000, 1, 1]):
        ids = array("I", sorted(rng.sample(range(3000), size)))
        kind = number % 3  # every weight 1, every weight equal, mixed
        places = [sorted(rng.sample(range(200), 1 if kind == 0 else 2 if kind == 1 else rng.randint(1, 4)))
                  for _ in ids]
        terms.append((f"term{number:02d}".encode(), ids, array("f", [float(len(p)) for p in places]),
                      [encode_positions(p) for p in places]))
    for number in range(3000):  # enough term index entries to widen whoosh's array of their places
        terms.append((f"word{number:04d}".encode(), array("I", [number]), array("f", [1.0]), [encode_positions([1])]))
    written = []
    for direct in (True, False):
        storage = RamStorage()
        codec = W3Codec(compression=1 if compressed else 0)
        segment = codec.new_segment(storage, "test")
        writer = codec.field_writer(storage, segment)
        writer.start_field("text", field)
        if direct:  # in two batches, as a large field is written
            batch = [(term, (ids, weights, values)) for term, ids, weights, values in terms]
            for part in (batch[:1000], batch[1000:]):
                write_terms(writer, part, lengths, 0, field.format.fixed_value_size())
        else:
            for term, ids, weights, values in terms:
                writer.start_term(term)
                for docnum, weight, value in zip(ids, weights, values):
                    writer.add(docnum, weight, value, byte_to_length(lengths[docnum]))
                writer.finish_term()
        writer.finish_field()
        writer.close()
        written.append((storage, segment))
    return written


@pytest.mark.parametrize("compressed", [True, False])
def test_postings_are_written_byte_for_byte_as_whooshs_field_writer_with_its_pickle_protocol(
        compressed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import newssearch.backends.whoosh.segments as segments

    monkeypatch.setattr(segments, "BLOCK_PICKLE_PROTOCOL", 2)
    files = [{name.split(".")[-1]: storage.open_file(name).read() for name in storage.list()}
             for storage, _segment in _write_postings_both_ways(compressed, monkeypatch)]
    assert files[0].keys() == files[1].keys() and files[0]
    for extension in files[0]:
        assert files[0][extension] == files[1][extension], extension


@pytest.mark.parametrize("compressed", [True, False])
def test_whoosh_reads_the_same_postings_blocks_and_term_statistics(compressed: bool,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with whoosh_imports():
        from whoosh.codec.whoosh3 import W3Codec

    field = build_schema()["text"]
    readings = []
    for storage, segment in _write_postings_both_ways(compressed, monkeypatch):
        reader = W3Codec().terms_reader(storage, segment)
        terms = {}
        for _field, term in reader.terms():
            info = reader.term_info("text", term)
            statistics = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                          info.max_weight(), info.min_id(), info.max_id())
            matcher = reader.matcher("text", term, field.format)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value(), matcher.block_max_weight(),
                                 matcher.block_min_length(), matcher.block_max_length()))
                matcher.next()
            terms[term] = (statistics, postings)
        readings.append(terms)
    assert len(readings[0]) == 3012
    assert readings[0] == readings[1]


def test_word_list_reuses_the_text_words_only_where_that_gives_the_same_words() -> None:
    from newssearch.backends.whoosh.segments import FastSegmentWriter
    from newssearch.analysis import WORD_RE

    text = "Ms. Roe’s plan, announced on Monday, costs $4.5bn"
    cases = [text, text + " Ada Roe", text + "; Ada Roe", text + "bn more", text + "_x", "Other " + text, ""]
    for value in cases:
        assert FastSegmentWriter._words(value, (text, WORD_RE.findall(text))) == WORD_RE.findall(value), value


def _segment_files(location: Path) -> dict[str, bytes]:
    """The segment's files by extension (``.col`` files by column name), read from disk."""
    files = {}
    for path in location.iterdir():
        if path.name.startswith("MAIN_") and path.is_file() and "." in path.name:
            files[path.name.split(".", 1)[1]] = path.read_bytes()
    return files


def test_per_document_files_are_written_byte_for_byte_as_whooshs(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import newssearch.backends.whoosh.document_files as columns

    monkeypatch.setattr(columns, "STORED_PICKLE_PROTOCOL", 2)  # whoosh's; stored values: test above
    fast = build(tmp_path / "fast", FastSegmentWriter)
    plain = build(tmp_path / "plain", SegmentWriter, compound=False)
    fast_files, plain_files = _segment_files(tmp_path / "fast"), _segment_files(tmp_path / "plain")
    columns = sorted(name for name in plain_files if name.endswith(".col"))
    assert {"_stored.col", "_text_len.col", "speaker.col", "date.col", "article_id.col"} <= set(columns)
    assert sorted(name for name in fast_files if name.endswith(".col")) == columns
    for name in columns:
        assert fast_files[name] == plain_files[name], name
    fast_segment, plain_segment = fast._segments()[0], plain._segments()[0]
    assert dict(fast_segment._fieldlengths) == dict(plain_segment._fieldlengths)
    assert fast_segment._fieldlengths["nonexistent"] == 0  # a defaultdict, as whoosh's


@pytest.mark.parametrize("rows", [3, 40_000])  # above 32,768 rows whoosh also writes the offsets
def test_var_bytes_columns_match_whooshs_writer_with_gaps_and_large_values(rows: int) -> None:
    import io

    from newssearch.backends.whoosh.document_files import _column_file

    with whoosh_imports():
        from whoosh.columns import NumericColumn, VarBytesColumn
        from whoosh.filedb.structfile import StructFile

    values = [None if n % 7 == 3 else (b"x" * (n % 300 if n != 1 else 70_000)) for n in range(rows)]
    numbers = [None if n % 5 == 0 else n * 1000 for n in range(rows)] + [None, None]
    for column, column_values in ((VarBytesColumn(), values), (NumericColumn("Q", default=2 ** 64 - 1), numbers)):
        buffer = io.BytesIO()
        writer = column.writer(StructFile(buffer))
        for docnum, value in enumerate(column_values):
            if value is not None:
                writer.add(docnum, value)
        writer.finish(len(column_values))
        assert _column_file(column, column_values, len(column_values)) == buffer.getvalue()


def test_a_finished_writer_is_freed_at_once_without_the_cyclic_collector(tmp_path: Path) -> None:
    import gc
    import weakref

    ix = build(tmp_path / "ix", FastSegmentWriter)
    writer = FastSegmentWriter(ix, _lk=False)
    writer.add_document(**documents()[0])
    writer.finish()
    freed = weakref.ref(writer)
    gc.disable()
    try:
        del writer
        assert freed() is None, "the writer is held by a reference cycle"
    finally:
        gc.enable()


def test_indexing_pauses_the_cyclic_collector_and_restores_it() -> None:
    import gc

    from newssearch.indexing.workers import collection_paused

    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
