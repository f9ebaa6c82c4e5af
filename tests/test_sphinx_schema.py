"""The Sphinx layout: how analysed terms become keywords, stable keys and shard routing."""

from __future__ import annotations

import re
from datetime import date

import pytest

from newssearch.analysis import Normalizer
from newssearch.backends.sphinx.client import SphinxAddress
from newssearch.backends.sphinx.errors import ClusterError
from newssearch.backends.sphinx.store import paragraph_record
from newssearch.backends.sphinx.schema import (
    MAX_KEYWORD_CHARS, date_number, document_id, field_text, key63, number_date, shard_for, sphinx_term,
)

KEYWORD_RE = re.compile(r"^[0-9A-Za-z_\u0080-\U0002ffff]{1,42}$")


@pytest.mark.parametrize("term", ["covid_19", "g7", "2024", "œuvr", "i\u0307stanbul", "_", "ⅻ", "²", "x" * 42])
def test_ordinary_terms_are_their_own_keyword(term: str) -> None:
    assert sphinx_term(term) == term


def test_long_terms_keep_a_prefix_and_differ_by_a_hash() -> None:
    first, second = "a" * 50, "a" * 49 + "b"
    assert sphinx_term(first) != sphinx_term(second)
    assert sphinx_term(first).startswith("a" * 24) and len(sphinx_term(first)) <= MAX_KEYWORD_CHARS
    assert sphinx_term(first) == sphinx_term("a" * 50)  # the same at indexing and query time


def test_terms_with_characters_sphinx_splits_on_are_rewritten_to_one_keyword() -> None:
    term = "ab\U00030001cd"
    assert KEYWORD_RE.match(sphinx_term(term)) and sphinx_term(term).startswith("ab")


def test_rewritten_terms_cannot_collide_with_analysed_terms() -> None:
    # Analysed terms are lower-cased: no ASCII capital ever, and a rewritten term always has one.
    analyser = Normalizer()
    assert not any(c.isupper() and c.isascii() for c in "".join(analyser.index_terms("AB Çé ǅ Σ İ ẞ Ω")))
    assert "Z" in sphinx_term("q" * 60)


def test_field_text_is_keywords_in_order_one_space_apart() -> None:
    assert field_text(["oil", "price", "z" * 60]) == f"oil price {sphinx_term('z' * 60)}"


def test_keys_are_stable_63_bit_and_never_zero() -> None:
    assert key63("bbc/business/001#3") == key63("bbc/business/001#3")
    keys = {document_id(f"a{i}#{p}") for i in range(5000) for p in range(1, 4)}
    assert len(keys) == 15000 and all(0 < key < 2**63 for key in keys)


def test_articles_route_to_a_stable_shard_spread_evenly() -> None:
    shards = [shard_for(f"article/{i}", 3) for i in range(3000)]
    assert shards == [shard_for(f"article/{i}", 3) for i in range(3000)]
    assert all(900 < shards.count(s) < 1100 for s in range(3))


def test_dates_are_yyyymmdd_integers_and_back() -> None:
    assert date_number(date(2024, 3, 9)) == 20240309 and date_number(None) == 0
    assert number_date(20240309) == date(2024, 3, 9) and number_date(0) is None


@pytest.mark.parametrize("text, expected", [
    ("sphinx://127.0.0.1:9306", SphinxAddress("127.0.0.1", 9306)),
    ("localhost:9400", SphinxAddress("localhost", 9400)),
    ("sphinx://search.example.org", SphinxAddress("search.example.org", 9306)),
    ("sphinx://[::1]:9306", SphinxAddress("::1", 9306)),
])
def test_cluster_addresses_are_read_in_either_form(text: str, expected: SphinxAddress) -> None:
    assert SphinxAddress.parse(text) == expected
    assert SphinxAddress.parse(str(expected)) == expected


@pytest.mark.parametrize("text", ["http://x:1", "sphinx://h:0", "sphinx://h:99999", "", "h:port"])
def test_bad_cluster_addresses_get_a_one_line_error(text: str) -> None:
    with pytest.raises(ClusterError, match=r"expected sphinx://HOST:PORT"):
        SphinxAddress.parse(text)


def test_records_are_built_from_newssearchs_articles() -> None:
    from newssearch.models import Article
    from newssearch.ingest.paragraphs import split_paragraphs

    article = Article(id="a/1", title="T", body=("First.", "‘Crosshead’", "Second."), section="World",
                      date=date(2024, 5, 6), authors=("Ann Writer",))
    _, second = split_paragraphs(article.body)
    record = paragraph_record(article, second, ["Ada Quill"], "/news/a.txt")
    assert (record.pid, record.heading, record.speakers, record.date) == ("a/1#2", "Crosshead", ("Ada Quill",),
                                                                          date(2024, 5, 6))
