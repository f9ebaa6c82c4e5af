"""Reading articles: the seed's header format, plain text, JSON flavours, and broken files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import FIXTURE_CORPUS, SEED

from newssearch.ingest.files import find_article_files

from newssearch.ingest.formats.text import parse_text_article

from newssearch.ingest.read import decode_article_bytes, read_file

from newssearch.models import ReadOptions

SEED_LIKE = (
    " date 2025-09-02 AFRICA\n"
    "Sahel states agree on shared water plan\n"
    "Ministers meet in Niamey to coordinate river management\n"
    "A fisherman on the Niger river. / Example Photo Agency\n"
    "September 2, 2025\n"
    "\n"
    "First paragraph.\n"
    "\n"
    "‘A crosshead’\n"
    "\n"
    "Second paragraph.\n"
)


def test_seed_header_gives_date_and_section() -> None:
    article, warnings = parse_text_article(SEED_LIKE, "a")
    assert article.date == date(2025, 9, 2)
    assert article.section == "AFRICA"
    assert warnings == []


def test_seed_front_matter_is_title_standfirst_caption_credit() -> None:
    article, _ = parse_text_article(SEED_LIKE, "a")
    assert article.title == "Sahel states agree on shared water plan"
    assert article.subtitle == "Ministers meet in Niamey to coordinate river management"
    assert article.caption == "A fisherman on the Niger river."
    assert article.source == "Example Photo Agency"


def test_body_blocks_exclude_front_matter_and_keep_crosshead() -> None:
    article, _ = parse_text_article(SEED_LIKE, "a")
    assert article.body == ("First paragraph.", "‘A crosshead’", "Second paragraph.")


def test_dateline_gives_date_when_there_is_no_header() -> None:
    text = "A title\nStandfirst here\n15 Aug 2025\n\nBody.\n"
    article, _ = parse_text_article(text, "a")
    assert article.date == date(2025, 8, 15)
    assert article.subtitle == "Standfirst here"
    assert article.caption == ""


def test_crlf_and_bom_are_read_like_lf() -> None:
    data = ("\ufeff" + SEED_LIKE.replace("\n", "\r\n")).encode("utf-8")
    text, warning = decode_article_bytes(data)
    article, _ = parse_text_article(text, "a")
    assert warning is None
    assert article.section == "AFRICA"
    assert article.body[-1] == "Second paragraph."


def test_plain_text_without_header_is_title_then_paragraphs() -> None:
    article, _ = parse_text_article("Grain prices climb\n\nWheat rose.\n\nMaize fell.\n", "b")
    assert article.title == "Grain prices climb"
    assert article.body == ("Wheat rose.", "Maize fell.")
    assert article.date is None and article.section == ""


def test_hard_wrapped_paragraph_lines_are_joined() -> None:
    article, _ = parse_text_article("Title\n\nOne line\nwrapped here.\n\nNext.\n", "c")
    assert article.body == ("One line wrapped here.", "Next.")


def test_impossible_header_date_warns_and_keeps_article() -> None:
    article, warnings = parse_text_article(" date 2025-13-45 WORLD\nTitle\n\nBody.\n", "d")
    assert article.date is None
    assert article.section == "WORLD"
    assert "2025-13-45" in warnings[0]


def test_seed_article_reads_completely() -> None:
    read = read_file(SEED)
    (article,) = read.articles
    assert read.problems == []
    assert article.date == date(2025, 8, 15)
    assert article.section == "AFRICA"
    assert article.title == "Russia pledges military support for Mali, Niger, Burkina Faso"
    assert article.source == "Reuters"
    assert article.subtitle.startswith("Parties sign joint statement")
    assert len(article.body) == 9  # 8 paragraphs and one crosshead


def test_options_fill_section_and_date_only_where_missing(tmp_path: Path) -> None:
    folder = tmp_path / "business"
    folder.mkdir()
    (folder / "001.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    options = ReadOptions(date=date(2024, 1, 2), section_from_folder=True)
    (article,) = read_file(folder / "001.txt", tmp_path, options).articles
    assert article.section == "business"
    assert article.date == date(2024, 1, 2)
    assert article.id == "business/001"
    (seed,) = read_file(SEED, options=ReadOptions(section="other", date=date(2000, 1, 1))).articles
    assert seed.section == "AFRICA" and seed.date == date(2025, 8, 15)


def test_json_lines_with_corpora_keys() -> None:
    read = read_file(FIXTURE_CORPUS / "world.jsonl")
    first, second = read.articles
    assert first.id == "fixture/world/1"
    assert first.date == date(2024, 3, 18)
    assert first.section == "World" and first.source == "Fixture Wire"
    assert first.body == ("Dock workers returned to work on Monday after a five-day strike.",
                          "The union said the new pay deal raised wages by six percent.")
    assert second.title == "Floods close mountain roads"


def test_news_please_keys() -> None:
    (article,) = read_file(FIXTURE_CORPUS / "newsplease.json").articles
    assert article.title == "City council approves new tram line"
    assert article.date == date(2023, 11, 8)
    assert article.source == "example-city-news.org"
    assert article.authors == ("Jo Reporter",)
    assert article.subtitle == "The line will link the centre with the airport."
    assert article.id == "https://example-city-news.org/tram"
    assert len(article.body) == 2  # single newlines separate news-please paragraphs


def test_trafilatura_keys() -> None:
    (article,) = read_file(FIXTURE_CORPUS / "trafilatura.json").articles
    assert article.section == "culture"
    assert article.source == "example-culture.net"
    assert article.authors == ("Sam Writer", "Alex Editor")
    assert article.date == date(2022, 6, 30)


def test_broken_json_line_is_reported_and_good_lines_kept(tmp_path: Path) -> None:
    file = tmp_path / "mixed.jsonl"
    file.write_text('{"title": "Good one", "text": "Body one."}\n{"title": "broken", \n'
                    '{"title": "No text"}\n{"title": "Good two", "text": "Body two."}\n', encoding="utf-8")
    read = read_file(file)
    assert [a.title for a in read.articles] == ["Good one", "Good two"]
    assert [(p.line, p.skipped) for p in read.problems] == [(2, True), (3, True)]
    assert "invalid JSON" in read.problems[0].reason
    assert "no text" in read.problems[1].reason


def test_malformed_json_file_is_skipped_with_reason(tmp_path: Path) -> None:
    file = tmp_path / "bad.json"
    file.write_text("{not json", encoding="utf-8")
    read = read_file(file)
    assert read.articles == []
    assert "invalid JSON" in str(read.problems[0])


def test_binary_and_empty_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    assert "binary" in read_file(tmp_path / "binary.txt").problems[0].reason
    assert "empty" in read_file(tmp_path / "empty.txt").problems[0].reason


def test_title_without_body_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "title-only.txt").write_text("Just a title\n", encoding="utf-8")
    read = read_file(tmp_path / "title-only.txt")
    assert read.articles == [] and "no body" in read.problems[0].reason


def test_latin1_file_is_decoded_and_reported() -> None:
    text, warning = decode_article_bytes("Title\n\nA \xa315m signing.\n".encode("latin-1"))
    assert "£15m" in text
    assert warning is not None and "0xa3" in warning


def test_invalid_byte_in_utf8_file_is_replaced_and_reported() -> None:
    text, warning = decode_article_bytes("Title\n\nCafé \xa3.\n".encode("utf-8").replace(b"\xc2\xa3", b"\xa3"))
    assert "Café \ufffd." in text
    assert warning is not None and "U+FFFD" in warning


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    read = read_file(tmp_path / "missing.txt")
    assert read.articles == [] and "no such file" in read.problems[0].reason


def test_folder_walk_skips_readme_and_hidden_files(tmp_path: Path) -> None:
    for name in ("a.txt", "README.TXT", ".hidden.txt", "notes.md", "b.jsonl"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [file.name for file, _ in find_article_files([tmp_path])]
    assert found == ["a.txt", "b.jsonl"]


def test_folder_walk_survives_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [file.name for file, _ in find_article_files([tmp_path])] == ["a.txt"]
