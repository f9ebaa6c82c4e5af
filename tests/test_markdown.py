"""Markdown output: a table of hits readable when pasted into a chat or a wiki, with everything
from documents shown as written (pipes, line breaks, HTML and Markdown syntax escaped)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newssearch import Article, NewsIndex
from newssearch.cli import main
from newssearch.output import formats_for, render
from newssearch.output.markdown import escape_markdown
from newssearch.models import ArticleView, IndexStats, SearchResults, Timeline

HOSTILE = "A | pipe, <script>alert(1)</script> & *stars* _under_ [link](x) `code`\nand a new line about harbours."


@pytest.fixture
def hostile_index(tmp_path: Path) -> Path:
    with NewsIndex.open(tmp_path / "ix", create=True) as index:
        index.add_articles([Article(id="a|1", title="Pipes | and <b>tags</b>", section="Port *news*",
                                    body=(HOSTILE, "A second paragraph on harbours."))])
    return tmp_path / "ix"


def test_escaping_leaves_nothing_that_markdown_or_html_would_act_on() -> None:
    escaped = escape_markdown(HOSTILE)
    assert "\n" not in escaped
    assert "<" not in escaped and ">" not in escaped
    assert "\\|" in escaped and "\\*stars\\*" in escaped and "\\_under\\_" in escaped and "\\`code\\`" in escaped
    assert "\\[link\\](x)" in escaped and "&lt;script&gt;" in escaped and "&amp;" in escaped


def test_query_as_markdown_is_a_table_with_one_row_per_hit(hostile_index: Path) -> None:
    result = CliRunner().invoke(main, ["query", "harbours", "--format", "markdown", "--index", str(hostile_index)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| # | Title | Date | Section | Speakers | Paragraph | Id |"
    assert len(table) == 2 + 2, "header, rule, two hits"
    for row in table[2:]:
        assert row.count(" | ") == 6, "no pipe from the data splits a cell"
    assert "**harbours**" in result.output
    assert "<script>" not in result.output and "Pipes \\| and &lt;b&gt;tags&lt;/b&gt;" in result.output


def test_every_kind_of_result_offers_markdown() -> None:
    for kind in (SearchResults, ArticleView, Timeline, IndexStats):
        assert "markdown" in formats_for(kind)


def test_article_timeline_and_stats_render_as_markdown(hostile_index: Path) -> None:
    from newssearch import index_stats, show_article, timeline

    with NewsIndex.open(hostile_index) as index:
        article = render(show_article(index, "a|1#1", query="harbours"), "markdown")
        assert article.startswith("# Pipes \\| and &lt;b&gt;tags&lt;/b&gt;")
        assert "▶ **¶1**" in article and "**harbours**" in article
        assert "| Period | Count |" in render(timeline(index, "harbours", by="year"), "markdown")
        assert "| Port \\*news\\* | 1 | 2 |" in render(index_stats(index), "markdown")


def test_html_output_escapes_document_text_and_marks_matches(hostile_index: Path) -> None:
    result = CliRunner().invoke(main, ["query", "harbours", "--format", "html", "--index", str(hostile_index)])
    assert result.exit_code == 0, result.output
    assert "<script>" not in result.output and "&lt;script&gt;" in result.output
    assert "<mark>harbours</mark>" in result.output
