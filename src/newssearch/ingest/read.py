"""Reading one file into articles: its bytes (a span of them, for a large JSON Lines file shared by
workers), decoded with the encoding it has, parsed by its format's reader (the registry in
:mod:`newssearch.ingest.formats`), and given the defaults of :class:`ReadOptions`.

Every reader returns :class:`Article` objects plus a list of :class:`ReadProblem` s; a problem
either skips the file (or one JSON Lines record) or is a warning about an article that was still
read. Nothing here raises for bad input: the caller decides what to report.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from newssearch.ingest.files import article_id_for
from newssearch.ingest.formats import FileRead, format_for
from newssearch.ingest.formats.base import normalise_newlines
from newssearch.models import Article, ReadOptions, ReadProblem

MAX_FILE_BYTES = 64 * 1024 * 1024
# The dates an article may carry: from the first printed newspapers to a year after the day of
# indexing. Anything else is a typo (0025 for 2025, 2205 for 2025) and would stretch every
# timeline over centuries, so it is reported and left empty.
# A file is binary when NUL bytes, or NULs and bytes that are not UTF-8 together, are over this
# share of its first 8 KB (UTF-16 without a byte order mark: 50% NULs; compressed data: about half).
_BINARY_SHARE = 0.1
_MULTIBYTE_UTF8_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


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
    format_for(path).read(text, article_id_for(path, root_path), result, first_line)
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
        if size > MAX_FILE_BYTES and not format_for(path).splittable:
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
        return normalise_newlines(text), None
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
    return normalise_newlines(text), warning


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
