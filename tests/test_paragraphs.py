"""Splitting a body into numbered paragraphs under crossheads."""

from __future__ import annotations

import pytest

from newssearch.ingest.paragraphs import crosshead_text, split_paragraphs


def test_paragraphs_are_numbered_from_one_skipping_crossheads() -> None:
    paragraphs = split_paragraphs(["One.", "‘Strengthening cooperation’", "Two.", "Three."])
    assert [(p.number, p.text, p.heading) for p in paragraphs] == [
        (1, "One.", ""),
        (2, "Two.", "Strengthening cooperation"),
        (3, "Three.", "Strengthening cooperation"),
    ]


def test_a_later_crosshead_replaces_the_earlier_one() -> None:
    paragraphs = split_paragraphs(["'First part'", "A.", "\"Second part\"", "B."])
    assert [p.heading for p in paragraphs] == ["First part", "Second part"]


@pytest.mark.parametrize("block", [
    "“We will win.”",                       # a quoted sentence is a paragraph
    "“Yes,” she said.",                     # quote with attribution
    "‘' + 'a very long quoted line that has far too many words to be a heading at all’",
    "Plain short line",                     # crossheads are quoted
])
def test_quoted_sentences_and_plain_lines_are_not_crossheads(block: str) -> None:
    assert crosshead_text(block) is None


def test_straight_and_curly_quoted_short_lines_are_crossheads() -> None:
    assert crosshead_text("‘Funding gap’") == "Funding gap"
    assert crosshead_text("'Funding gap'") == "Funding gap"
    assert crosshead_text("“Funding gap”") == "Funding gap"


def test_overlong_paragraph_is_cut_at_spaces_without_losing_words() -> None:
    from newssearch.ingest.paragraphs import MAX_PARAGRAPH_CHARS

    text = " ".join(f"word{i}" for i in range(MAX_PARAGRAPH_CHARS // 2))
    paragraphs = split_paragraphs([text, "Next."])
    assert len(paragraphs) > 2
    assert all(len(p.text) <= MAX_PARAGRAPH_CHARS for p in paragraphs)
    assert " ".join(p.text for p in paragraphs[:-1]) == text
    assert paragraphs[-1].text == "Next." and paragraphs[-1].number == len(paragraphs)
