"""How newssearch's paragraph documents are laid out in Sphinx: index names, columns, settings.

Matching must equal the embedded index's, so Sphinx does no text analysis of its own: newssearch
inserts its analysed terms (``NewsAnalyzer``: words lower-cased, accents folded, Porter-stemmed)
joined by spaces, and compiles query words with the same analyser. The index settings below make
Sphinx keep every such term as one keyword, unchanged:

- ``charset_table`` maps every character a term can hold to itself: ``0..9``, ``_``, ``a..z``
  and every code point from U+0080 to U+2FFFF (the highest Sphinx 2.2 accepts), including the
  combining dot that ``"İ".lower()`` leaves. ``A..Z`` is there too, unmapped, because analysed
  terms never hold an ASCII capital: :func:`sphinx_term` uses one to mark the terms it rewrites.
- no morphology, no stopwords, ``min_word_len = 1``: every term is indexed, so keyword positions
  equal newssearch's term positions and phrases match alike.
- ``dict = keywords`` with ``min_prefix_len = 1`` for prefix search (``word*``) over the terms.

Two kinds of term cannot be kept as they are, and :func:`sphinx_term` rewrites them, the same
way at indexing and at query time: Sphinx cuts keywords at 42 characters (two long terms sharing
42 characters would match each other), and it splits words at characters above U+2FFFF. Such a
term becomes its first characters (up to 24, stopping before any character above U+2FFFF), a
``Z`` and 16 hex digits of a hash of the whole term: unique, at most 41 characters, and still
found by prefix searches of up to 24 characters.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import date

INDEX = "newssearch"                  # RT index on each shard, distributed index on the aggregator
META_INDEX = "newssearch_meta"        # on the aggregator: topology, manifest, writer lock
SPEAKERS_INDEX = "newssearch_speakers"  # on the aggregator: speaker key -> name
# Bump when columns or index settings change: a cluster of another layout must be rebuilt.
LAYOUT_VERSION = 1

CHARSET_TABLE = "0..9, A..Z, _, a..z, U+80..U+2FFFF"
MAX_KEYWORD_CHARS = 42      # Sphinx's SPH_MAX_WORD_LEN: longer keywords are cut
MAX_CODEPOINT = 0x2FFFF     # Sphinx 2.2's highest charset_table code point
_KEPT_PREFIX_CHARS = 24
_KEY_MASK = (1 << 63) - 1
_ABOVE_CHARSET_RE = re.compile("[\U00030000-\U0010ffff]")

# Full-text fields hold analysed terms; the stored_* string attributes hold what is shown,
# because RT indexes do not store full-text fields.
ENGLISH_FIELDS = ("title", "subtitle", "heading", "text")   # stemmed, as whoosh's TEXT fields
NAME_FIELDS = ("speaker", "authors")                         # unstemmed, as whoosh's name fields
FULLTEXT_FIELDS = ENGLISH_FIELDS + NAME_FIELDS
STRING_ATTRIBUTES = ("pid", "article_id", "path", "stored_title", "stored_subtitle", "stored_heading",
                     "stored_text", "stored_speaker", "stored_authors", "section", "source", "url")
BIGINT_ATTRIBUTES = ("article_key", "path_key", "section_key")
UINT_ATTRIBUTES = ("paragraph", "date", "speaker_count")
MVA64_ATTRIBUTES = ("speakers",)
# The order of columns in an INSERT of a paragraph document (after ``id``).
DOCUMENT_COLUMNS = FULLTEXT_FIELDS + STRING_ATTRIBUTES + BIGINT_ATTRIBUTES + UINT_ATTRIBUTES + MVA64_ATTRIBUTES


def sphinx_term(term: str) -> str:
    """The keyword Sphinx indexes for one analysed term (the term itself unless too long or exotic)."""
    if len(term) <= MAX_KEYWORD_CHARS and (term.isascii() or max(term) <= "\U0002ffff"):
        return term
    kept = term[:_KEPT_PREFIX_CHARS]
    for position, char in enumerate(kept):
        if ord(char) > MAX_CODEPOINT:
            kept = kept[:position]
            break
    return f"{kept}Z{hashlib.blake2b(term.encode('utf-8'), digest_size=8).hexdigest()}"


def field_text(terms: Sequence[str]) -> str:
    """The value inserted into a full-text field: the terms as keywords, in order, one space apart."""
    text = " ".join(terms)
    if (not terms or max(map(len, terms)) <= MAX_KEYWORD_CHARS) and (
            text.isascii() or not _ABOVE_CHARSET_RE.search(text)):
        return text  # the common case, checked in C: every term is its own keyword
    return " ".join(map(sphinx_term, terms))


def key63(value: str) -> int:
    """A stable 63-bit key of ``value`` (never 0): document ids and the article, path, section and
    speaker keys. Sphinx drops id 0 and never finds 2**64-1; 63 bits also fit its signed BIGINT."""
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") & _KEY_MASK or 1


def document_id(pid: str) -> int:
    """The Sphinx document id of paragraph ``pid``."""
    return key63(pid)


def shard_for(article_id: str, shards: int) -> int:
    """The shard holding every paragraph of ``article_id``: a stable hash, so any writer agrees."""
    return key63(article_id) % shards


def date_number(day: date | None) -> int:
    """A date as the integer ``YYYYMMDD`` (0 for no date), so ranges and months are integer filters."""
    return 0 if day is None else day.year * 10_000 + day.month * 100 + day.day


def number_date(number: int) -> date | None:
    """The date of a ``YYYYMMDD`` integer (None for 0)."""
    return None if number == 0 else date(number // 10_000, number // 100 % 100, number % 100)


def _index_lines(settings: dict[str, object]) -> list[str]:
    return [f"    {name} = {value}" for name, value in settings.items()]


def shard_index_config(path: str, rt_mem_limit: str = "256M") -> str:
    """The RT paragraph index of one shard daemon, its data files under ``path``."""
    lines = [f"index {INDEX}", "{", "    type = rt", f"    path = {path}"]
    lines += [f"    rt_field = {name}" for name in FULLTEXT_FIELDS]
    lines += [f"    rt_attr_string = {name}" for name in STRING_ATTRIBUTES]
    lines += [f"    rt_attr_bigint = {name}" for name in BIGINT_ATTRIBUTES]
    lines += [f"    rt_attr_uint = {name}" for name in UINT_ATTRIBUTES]
    lines += [f"    rt_attr_multi_64 = {name}" for name in MVA64_ATTRIBUTES]
    lines += _index_lines({"rt_mem_limit": rt_mem_limit, "dict": "keywords", "min_prefix_len": 1,
                           "min_word_len": 1, "charset_table": CHARSET_TABLE})
    return "\n".join(lines + ["}", ""])


def aggregator_index_config(agents: Iterable[str], data_path: str, connect_timeout_ms: int = 1000,
                            query_timeout_ms: int = 10_000) -> str:
    """The aggregator's distributed index over ``agents`` (``host:native_port``) and its own small
    RT indexes: the meta index (topology, manifest, writer lock) and the speaker names."""
    lines = [f"index {INDEX}", "{", "    type = distributed"]
    lines += [f"    agent = {agent}:{INDEX}" for agent in agents]
    lines += _index_lines({"agent_connect_timeout": connect_timeout_ms, "agent_query_timeout": query_timeout_ms})
    lines += ["}", "", f"index {META_INDEX}", "{", "    type = rt", f"    path = {data_path}/{META_INDEX}",
              "    rt_field = kind_text", "    rt_attr_string = kind", "    rt_attr_string = name",
              "    rt_attr_string = value", "    rt_mem_limit = 32M", "}", "",
              f"index {SPEAKERS_INDEX}", "{", "    type = rt", f"    path = {data_path}/{SPEAKERS_INDEX}",
              "    rt_field = name_text", "    rt_attr_string = name", "    rt_mem_limit = 32M", "}", ""]
    return "\n".join(lines)
