"""Parse untrusted JSON without letting one bad document raise or take good ones down with it.

``json.loads`` raises more than ``JSONDecodeError`` on hostile input: ``RecursionError`` for
arrays nested thousands of levels deep, and ``ValueError`` for an integer longer than Python's
conversion limit (4,300 digits). Here every failure is a :class:`JsonProblem` with a one-line
reason; over-long integers are kept as their digits; and a top-level array whose whole parse
fails is split into its elements, so one broken element loses only itself.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Iterator
from typing import Any, TypeVar

_STRING_OR_BRACKET_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]', re.DOTALL)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
SURROGATES_REPLACED = "lone surrogate escapes (such as \\ud800) replaced by U+FFFD"

T = TypeVar("T")


class JsonProblem(ValueError):
    """A JSON document that cannot be read; ``line`` is where, when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def _int_or_digits(digits: str) -> int | str:
    """An integer, or its digits as text when it is too long for Python to convert."""
    limit = sys.get_int_max_str_digits()
    if limit and len(digits.lstrip("-")) > limit:
        return digits
    return int(digits)


def loads(text: str) -> Any:
    """``json.loads`` that raises only :class:`JsonProblem`."""
    try:
        return json.loads(text, parse_int=_int_or_digits)
    except json.JSONDecodeError as error:
        raise JsonProblem(f"invalid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise JsonProblem("invalid JSON: arrays or objects nested too deeply to read") from None
    except ValueError as error:  # nothing known raises this today; kept so a new limit cannot crash a run
        raise JsonProblem(f"invalid JSON: {str(error)[:100]}") from None


def load_document(text: str) -> Iterator[tuple[int | None, Any | JsonProblem]]:
    """The records of a JSON file: ``(number, record)``, or ``(number, problem)`` for a bad one.

    ``number`` is the record's 1-based place in a top-level array (None for a lone object).
    When the whole document cannot be parsed but it is an array whose elements can be told
    apart, each element is parsed on its own; otherwise the document is one problem.
    """
    try:
        data = loads(text)
    except JsonProblem as problem:
        elements = array_elements(text)
        if elements is None:
            yield None, problem
            return
        for number, element in enumerate(elements, 1):
            place = number if len(elements) > 1 else None
            try:
                yield place, loads(element)
            except JsonProblem as element_problem:
                yield place, element_problem
        return
    if isinstance(data, list):
        if len(data) == 1:
            yield None, data[0]
            return
        yield from enumerate(data, 1)
    else:
        yield None, data


def array_elements(text: str) -> list[str] | None:
    """The texts of a top-level JSON array's elements, found by matching brackets outside
    strings (no recursion, so any depth works); None when ``text`` is not such an array."""
    body = text.strip()
    if not body.startswith("["):
        return None
    elements: list[str] = []
    depth, start = 0, 1
    for match in _STRING_OR_BRACKET_RE.finditer(body):
        token = match.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                if match.end() != len(body):
                    return None  # something after the array
                elements.append(body[start:match.start()])
                break
        elif token == "," and depth == 1:
            elements.append(body[start:match.start()])
            start = match.end()
    if depth != 0:
        return None
    if len(elements) == 1 and not elements[0].strip():
        return []
    return elements


def replace_surrogates(text: str) -> str:
    """``text`` with lone UTF-16 surrogates (from ``\\ud800``-style escapes) replaced by U+FFFD:
    they cannot be encoded as UTF-8, so no index, terminal or file could take them."""
    return _SURROGATE_RE.sub("\ufffd", text)


def without_surrogates(record: T) -> tuple[T, bool]:
    """A dataclass instance with lone surrogates replaced in its text fields (strings and tuples
    of strings), and whether any were found."""
    changes: dict[str, object] = {}
    for field in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, field.name)
        if isinstance(value, str) and _SURROGATE_RE.search(value):
            changes[field.name] = replace_surrogates(value)
        elif isinstance(value, tuple) and any(isinstance(v, str) and _SURROGATE_RE.search(v) for v in value):
            changes[field.name] = tuple(replace_surrogates(v) if isinstance(v, str) else v for v in value)
    if not changes:
        return record, False
    return dataclasses.replace(record, **changes), True  # type: ignore[type-var]
