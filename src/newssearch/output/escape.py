"""Document text is never trusted: what every output format does to text before it shows it.

Control characters (terminal escape sequences among them), newlines, bidirectional overrides and
isolates (U+202A–U+202E, U+2066–U+2069, which reorder what a terminal shows), line and paragraph
separators, and lone surrogates (from bytes that are not UTF-8 in a file name or an argument)
are shown as visible ``\\x1b`` / ``\\u202e`` escapes. Tabs, and the left-to-right and
right-to-left marks that right-to-left text needs, are kept. JSON escapes what ``json`` leaves
raw but a terminal would act on; a spreadsheet cell never starts like a formula.
"""

from __future__ import annotations

import json
import re

_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_C1_RE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_controls(text: str) -> str:
    """Make control characters visible (``\\x1b``, ``\\u202e``) so they cannot act on the terminal."""
    return _CONTROL_RE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def quoted(query: str) -> str:
    """The query in double quotes, or single quotes when it contains double quotes itself."""
    mark = "'" if '"' in query else '"'
    return f"{mark}{escape_controls(query)}{mark}"


def to_json(data: object, *, indent: int | None = 2) -> str:
    """JSON with non-ASCII text as is; what ``json`` leaves raw but a terminal would act on (DEL,
    C1 controls, bidirectional overrides, line separators) or cannot encode (lone surrogates)
    escaped as ``\\u``."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _C1_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def spreadsheet_safe(value: object) -> object:
    """Numbers as they are; text with control characters escaped and formula starts defused."""
    if not isinstance(value, str):
        return value
    text = escape_controls(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
