"""Read news articles from files: plain text (with or without the seed's header), JSON and JSON Lines.

Every reader returns :class:`Article` objects plus a list of :class:`ReadProblem` s; a problem
either skips the file (or one JSON Lines record) or is a warning about an article that was still
read. Nothing here raises for bad input: the caller decides what to report.
"""

from __future__ import annotations

from newssearch.dates import (  # noqa: F401  (defined there; imported from here too)
    EARLIEST_ARTICLE_DATE, LATEST_ARTICLE_DATE_AHEAD, MAX_DATE_TEXT, article_date, article_date_window, parse_date_text,
    parse_datetime,
)
from newssearch.models import Article, ReadOptions, ReadProblem  # noqa: F401  (defined there; imported from here too)

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from newssearch.indexing.folder import is_own_file
from newssearch.json_input import SURROGATES_REPLACED, JsonProblem, load_document, loads, without_surrogates

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
# Files found by walking a folder that are documentation about the data, not articles.
NOT_ARTICLE_STEMS = frozenset({"readme", "license", "licence", "source", "copying", "notice"})
MAX_FILE_BYTES = 64 * 1024 * 1024
# The dates an article may carry: from the first printed newspapers to a year after the day of
# indexing. Anything else is a typo (0025 for 2025, 2205 for 2025) and would stretch every
# timeline over centuries, so it is reported and left empty.
# A file is binary when NUL bytes, or NULs and bytes that are not UTF-8 together, are over this
# share of its first 8 KB (UTF-16 without a byte order mark: 50% NULs; compressed data: about half).
_BINARY_SHARE = 0.1

_HEADER_RE = re.compile(r"^\s*date\s+(\S+)(?:\s+(.*?))?\s*$", re.IGNORECASE)
_CAPTION_RE = re.compile(r"^(?P<caption>.*\S)\s+/\s*(?P<credit>[^/]{1,80})$")
_YEAR_RE = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_MULTIBYTE_UTF8_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n\s*")


@dataclass
class FileRead:
    """What one file yielded."""

    path: str
    articles: list[Article] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)


# --------------------------------------------------------------------------- finding files


def find_article_files(paths: Iterable[str | os.PathLike[str]],
                       unreadable: list[tuple[Path, OSError]] | None = None) -> Iterator[tuple[Path, Path]]:
    """Yield ``(file, root)`` for each article file under ``paths``, in sorted order.

    Folders are walked recursively without following symlinked folders (so loops are
    impossible); hidden files and data documentation (README, LICENSE, ...) are skipped.
    A path named explicitly is always yielded, whatever its name. Folders that cannot be
    listed are added to ``unreadable`` (when given) with the error.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path, unreadable):
                yield file, path
        else:
            yield path, path.parent


def _walk(folder: Path, unreadable: list[tuple[Path, OSError]] | None) -> Iterator[Path]:
    def report(error: OSError) -> None:
        if unreadable is not None:
            unreadable.append((Path(error.filename or folder), error))

    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False, onerror=report):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            file = Path(dirpath, name)
            if _looks_like_article_file(file):
                yield file


def _looks_like_article_file(file: Path) -> bool:
    if file.name.startswith(".") or is_own_file(file.name):  # an index folder's manifest is not an article
        return False
    if file.stem.lower() in NOT_ARTICLE_STEMS:
        return False
    return file.suffix.lower() in ARTICLE_SUFFIXES


def article_id_for(file: Path, root: Path) -> str:
    """A stable, readable id: the path relative to the indexed folder, without extension."""
    try:
        relative = file.relative_to(root)
    except ValueError:
        relative = Path(file.name)
    return relative.with_suffix("").as_posix()


# --------------------------------------------------------------------------- reading files


def read_file(file: str | os.PathLike[str], root: str | os.PathLike[str] | None = None,
              options: ReadOptions = ReadOptions(), *, span: tuple[int, int] | None = None,
              first_line: int = 1) -> FileRead:
    """Read every article in ``file``; ``root`` is the folder ids are made relative to.

    ``span`` reads only bytes ``[start, end)`` of a JSON Lines file (whole lines), whose first
    line is line number ``first_line``; this is how large files are indexed in parallel.
    """
    path = Path(file)
    root_path = Path(root) if root is not None else path.parent
    result = FileRead(str(path))
    if _SURROGATE_RE.search(str(path)):  # its id and path could not be indexed (not encodable as UTF-8)
        result.problems.append(ReadProblem(str(path), "file name is not UTF-8; rename the file to index it"))
        return result
    try:
        data = _read_bytes(path, span)
    except _Unreadable as error:
        result.problems.append(ReadProblem(str(path), str(error), unreadable=not isinstance(error, _Refused)))
        return result
    try:
        text, warning = decode_article_bytes(data, allow_empty=span is not None)
    except _Unreadable as error:
        result.problems.append(ReadProblem(str(path), str(error)))
        return result
    if warning:
        result.problems.append(ReadProblem(str(path), warning, skipped=False))
    article_id = article_id_for(path, root_path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        _read_json_lines(text, article_id, result, first_line)
    elif suffix in JSON_SUFFIXES:
        _read_json(text, article_id, result)
    else:
        _read_text(text, article_id, result)
    result.articles = [_apply_options(a, path, root_path, options) for a in result.articles]
    return result


def json_lines_spans(file: str | os.PathLike[str], target_bytes: int) -> list[tuple[int, int, int]]:
    """Cut a JSON Lines file into ``(start, end, first_line)`` byte spans of whole lines, about
    ``target_bytes`` each, for :func:`read_file`'s ``span``.

    A UTF-16 file (it starts with a byte order mark) is not cut: its newlines are two bytes,
    which a byte-wise cut would split, and its later spans would lack the mark that says how to
    decode them. It gets no spans, so it is read whole, by one worker.
    """
    spans: list[tuple[int, int, int]] = []
    with open(file, "rb") as handle:
        if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return []
        handle.seek(0)
        start, line = 0, 1
        while True:
            block = handle.read(target_bytes)
            if not block:
                break
            block += handle.readline()  # finish the line the block cut
            spans.append((start, start + len(block), line))
            start += len(block)
            line += block.count(b"\n")
    return spans


class _Unreadable(Exception):
    pass


class _Refused(_Unreadable):
    """Read as far as needed to know it is not an article file newssearch takes."""


def _read_bytes(path: Path, span: tuple[int, int] | None = None) -> bytes:
    try:
        if path.is_dir():
            raise _Unreadable("is a folder")  # listed when it was a file
        if span is not None:
            with open(path, "rb") as handle:
                handle.seek(span[0])
                return handle.read(span[1] - span[0])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.suffix.lower() not in JSONL_SUFFIXES:
            raise _Refused(f"file is {size / 2**20:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit "
                              f"for one article file (JSON Lines files have no limit)")
        return path.read_bytes()
    except _Unreadable:
        raise
    except PermissionError:
        raise _Unreadable("permission denied") from None
    except FileNotFoundError:
        raise _Unreadable("no such file") from None
    except OSError as error:
        raise _Unreadable(error.strerror or str(error)) from None


def decode_article_bytes(data: bytes, allow_empty: bool = False) -> tuple[str, str | None]:
    """Decode a file's bytes to text with normalised newlines; return ``(text, warning)``.

    UTF-8 (with or without BOM) and UTF-16 with BOM are decoded as such. A file that is not
    valid UTF-8 is decoded as Windows-1252 when it holds no UTF-8 multi-byte sequence at all
    (a legacy single-byte file), otherwise as UTF-8 with U+FFFD replacing the bad bytes.
    Binary and empty files raise. A file is binary when its first 8 KB hold NUL bytes and NULs
    plus bytes that are not UTF-8 make more than 10% of them: a stray NUL or a bad byte in a text
    file (one JSON Lines record, say) is left for the reader to report where it is.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return _normalise_newlines(text), None
    sample = data[:8192]
    nuls = sample.count(0)
    if nuls > len(sample) * _BINARY_SHARE:
        raise _Unreadable("binary file (contains NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip() and not allow_empty:
        raise _Unreadable("empty file")
    warning = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if nuls and nuls + sample.decode("utf-8", errors="replace").count("\ufffd") > len(sample) * _BINARY_SHARE:
            raise _Unreadable("binary file (contains NUL bytes)") from None
        if _MULTIBYTE_UTF8_RE.search(data) is None:
            text = data.decode("cp1252", errors="replace")
            warning = f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); read as Windows-1252"
        else:
            text = data.decode("utf-8", errors="replace")
            warning = f"invalid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); bad bytes replaced by U+FFFD"
    return _normalise_newlines(text), warning


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def _apply_options(article: Article, path: Path, root: Path, options: ReadOptions) -> Article:
    section = article.section or options.section or ""
    if not section and options.section_from_folder:
        section = _folder_section(path, root)
    return replace(article, section=section, date=article.date or options.date, path=str(path))


def _folder_section(path: Path, root: Path) -> str:
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return ""
    return parts[-2] if len(parts) >= 2 else ""


# --------------------------------------------------------------------------- plain text


def _read_text(text: str, article_id: str, result: FileRead) -> None:
    try:
        article, warnings = parse_text_article(text, article_id)
    except ValueError as error:
        result.problems.append(ReadProblem(result.path, str(error)))
        return
    result.articles.append(article)
    result.problems.extend(ReadProblem(result.path, w, skipped=False) for w in warnings)


def parse_text_article(text: str, article_id: str) -> tuple[Article, list[str]]:
    """Parse one plain-text article; return it with warnings. Raise ValueError if it has no body.

    Layout (every part optional except title and body)::

         date 2025-08-15 AFRICA      header: "date", ISO date, section
        Title
        Standfirst
        Photo caption / Credit
        August 15, 2025              dateline
        <blank line>
        Body paragraphs separated by blank lines (crossheads included)
    """
    warnings: list[str] = []
    # Every kind of white space is stripped (a vertical tab or U+2028 left before the title made it empty).
    blocks = [b.split("\n") for b in _BLANK_LINE_RE.split(text.strip()) if b.strip()]
    if not blocks:
        raise ValueError("no text")
    header_date: date | None = None
    section = ""
    header = _HEADER_RE.match(blocks[0][0])
    if header:
        header_date, problem = _parse_header_date(header.group(1))
        if problem:
            warnings.append(problem)
        section = (header.group(2) or "").strip()
        blocks[0] = blocks[0][1:]
        if not blocks[0]:
            blocks.pop(0)
    if not blocks:
        raise ValueError("no title")
    front, body_blocks = blocks[0], blocks[1:]
    title = front[0].strip()
    if not title:
        raise ValueError("no title")
    meta_lines = [line.strip() for line in front[1:] if line.strip()]
    if not body_blocks and meta_lines:
        # No blank line after the title: the following lines are the body, one paragraph each.
        body_blocks, meta_lines = [[line] for line in meta_lines], []
    body = tuple(" ".join(part.strip() for part in block if part.strip()) for block in body_blocks)
    if not body:
        raise ValueError("no body: the title is not followed by any paragraph")
    subtitle, caption, credit, dateline_date = _classify_front_matter(meta_lines)
    if dateline_date is not None:
        dateline_date, problem = article_date(dateline_date, "dateline date")
        if problem:
            warnings.append(problem)
    return Article(
        id=article_id,
        title=title,
        body=body,
        subtitle=subtitle,
        date=header_date or dateline_date,
        section=section,
        source=credit,
        caption=caption,
    ), warnings


def _parse_header_date(value: str) -> tuple[date | None, str | None]:
    try:
        parsed: date | None = date.fromisoformat(value)
    except ValueError:
        parsed = parse_date_text(value)
    if parsed is None:
        return None, f"header date {_shown(value)} is not a valid date; date left empty"
    return article_date(parsed, f"header date {_shown(value)}")


def _classify_front_matter(lines: Sequence[str]) -> tuple[str, str, str, date | None]:
    """Sort the lines between title and body into standfirst, caption + credit, and dateline."""
    standfirst: list[str] = []
    caption = credit = ""
    dateline: date | None = None
    for line in lines:
        caption_match = _CAPTION_RE.match(line)
        if caption_match and not caption:
            caption, credit = caption_match.group("caption"), caption_match.group("credit").strip()
        elif dateline is None and (parsed := _parse_dateline(line)) is not None:
            dateline = parsed
        else:
            standfirst.append(line)
    return " ".join(standfirst), caption, credit, dateline


def _parse_dateline(line: str) -> date | None:
    if len(line) > 60 or not _YEAR_RE.search(line):
        return None
    return parse_date_text(line, fuzzy=len(line) <= 40)


def _shown(value: str, width: int = 40) -> str:
    """``repr(value)``, cut to about ``width`` characters so that a message stays one short line."""
    return repr(value if len(value) <= width else value[:width] + "…")


# --------------------------------------------------------------------------- JSON and JSON Lines


def _read_json(text: str, article_id: str, result: FileRead) -> None:
    """One object or a list of them; in a list, ``line`` numbers the records."""
    records = 0
    for number, record in load_document(text):
        records += 1
        if isinstance(record, JsonProblem):
            result.problems.append(ReadProblem(result.path, record.reason, line=number or record.line))
            continue
        _add_record(record, article_id if number is None else f"{article_id}:{number}", result, line=number)
    if not records:
        result.problems.append(ReadProblem(result.path, "no article: the JSON holds an empty list"))


def _read_json_lines(text: str, article_id: str, result: FileRead, first_line: int = 1) -> None:
    for line_number, line in enumerate(text.split("\n"), first_line):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except JsonProblem as problem:
            result.problems.append(ReadProblem(result.path, problem.reason, line=line_number))
            continue
        _add_record(record, f"{article_id}:{line_number}", result, line=line_number)


def _add_record(record: object, fallback_id: str, result: FileRead, line: int | None) -> None:
    try:
        article, warnings = article_from_record(record, fallback_id)
    except ValueError as error:
        result.problems.append(ReadProblem(result.path, str(error), line=line))
        return
    result.articles.append(article)
    result.problems.extend(ReadProblem(result.path, w, line=line, skipped=False) for w in warnings)


def article_from_record(record: object, fallback_id: str) -> tuple[Article, list[str]]:
    """Make an article from a JSON object with the keys of the corpora, news-please or trafilatura."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, found {type(record).__name__}")
    title = _text_value(record, "title", "headline")
    if not title:
        raise ValueError("record has no title")
    body_text = _text_value(record, "text", "maintext", "body", "content")
    if not body_text:
        raise ValueError("record has no text (looked for text, maintext, body, content)")
    warnings: list[str] = []
    raw_date = _text_value(record, "date", "date_publish", "published", "date_published")
    record_date = parse_date_text(raw_date) if raw_date else None
    if raw_date and record_date is None:
        warnings.append(f"date {_shown(raw_date)} is not a valid date; date left empty")
    elif record_date is not None:
        record_date, problem = article_date(record_date)
        warnings.extend([problem] if problem else [])
    url = _text_value(record, "url")
    article, replaced = without_surrogates(Article(
        id=_text_value(record, "id") or url or fallback_id,
        title=" ".join(title.split()),
        body=split_body_text(body_text),
        subtitle=_text_value(record, "subtitle", "description", "standfirst"),
        date=record_date,
        section=_first_category(record.get("section") or record.get("categories")),
        source=_text_value(record, "source", "source_domain", "sitename", "hostname"),
        url=url,
        authors=_authors(record.get("authors", record.get("author"))),
    ))
    return article, warnings + ([SURROGATES_REPLACED] if replaced else [])


def split_body_text(text: str) -> tuple[str, ...]:
    """Split body text into blocks: at blank lines if it has any, else at each newline."""
    text = _normalise_newlines(text).strip()
    parts = _BLANK_LINE_RE.split(text) if _BLANK_LINE_RE.search(text) else text.split("\n")
    return tuple(" ".join(p.split()) for p in parts if p.strip())


def _text_value(record: dict[str, object], *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return ""


def _first_category(value: object) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if not isinstance(value, str):
        return ""
    return re.split(r"[;,]", value)[0].strip()


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r";|\band\b", value)
    if not isinstance(value, list):
        return ()
    return tuple(a.strip() for a in value if isinstance(a, str) and a.strip())
