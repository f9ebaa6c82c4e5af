"""The shipped seed article, indexed: speakers resolved to full names and found by field queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from newssearch import NewsIndex


@pytest.fixture
def seed(seed_index: Path):
    with NewsIndex.open(seed_index) as index:
        yield index


def paragraph(index: NewsIndex, number: int):
    (hit,) = index.search(f"paragraph:{number}").hits
    return hit


def test_said_camara_resolves_to_sadio_camara(seed: NewsIndex) -> None:
    hit = paragraph(seed, 6)
    assert hit.text.startswith("“Currently, cooperation")
    assert hit.speakers == ("Sadio Camara",)


def test_belousov_noted_resolves_to_andrey_belousov(seed: NewsIndex) -> None:
    hit = paragraph(seed, 3)
    assert hit.text.startswith("Belousov noted")
    assert "Andrey Belousov" in hit.speakers


def test_closing_paragraph_has_no_speaker(seed: NewsIndex) -> None:
    hit = paragraph(seed, 8)
    assert hit.text.startswith("The AES was created")
    assert hit.speakers == ()


@pytest.mark.parametrize("query", ["speaker:Camara", 'speaker:"Sadio Camara"', "speaker:camara cooperation"])
def test_speaker_queries_find_camaras_quote(seed: NewsIndex, query: str) -> None:
    assert "russia-pledges-military-support-sahel-2025-08-15#6" in {h.pid for h in seed.search(query)}


def test_crosshead_is_the_heading_of_following_paragraphs(seed: NewsIndex) -> None:
    assert paragraph(seed, 3).heading == ""
    assert paragraph(seed, 4).heading == "Strengthening cooperation"
    assert sorted(h.paragraph for h in seed.search("heading:strengthening")) == [4, 5, 6, 7, 8]
