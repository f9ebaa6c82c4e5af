"""Did you mean: correct query words that are not in the index, from the index's own vocabulary.

A word is corrected only when the index has no such term in the field it is searched in. The
replacement is the nearest word of the ``vocabulary`` field (every unstemmed word of the text,
plus the speaker names) or, for ``speaker:`` and ``authors:`` queries, of that field's names:
fewest edits first (one edit for words of 4–5 letters, up to two for longer ones; swapping two
neighbouring letters is one edit; the first letter must be right), then the most frequent word. Nothing here runs unless asked for.
"""

from __future__ import annotations

from newssearch.models import Correction, Suggestion  # noqa: F401  (defined there; imported from here too)

import re
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.query import positive_leaves, terms_within
from newssearch.schema import (
    AUTHORS, HEADING, SPEAKER, SUBTITLE, TEXT_FIELD, TITLE, VOCABULARY, name_analyzer,
)

with whoosh_imports():
    from whoosh import query as wq
    from whoosh.support.levenshtein import damerau_levenshtein

# Fields whose words can be corrected, and where their replacements come from.
_STEMMED_FIELDS = frozenset({TEXT_FIELD, TITLE, SUBTITLE, HEADING})
_NAME_FIELDS = frozenset({SPEAKER, AUTHORS})
MIN_WORD_LENGTH = 4
_QUOTED_RE = re.compile(r'"([^"]*)"')


def suggest_query(searcher: Any, text: str, parsed: Any) -> Suggestion | None:
    """A corrected version of the query ``text`` (parsed as ``parsed``), or None if every word is known."""
    reader = searcher.reader()
    schema = searcher.schema
    corrections: list[Correction] = []
    seen: set[tuple[int, int]] = set()
    for fieldname, term, start, end in _query_words(schema, text, parsed):
        if (start, end) in seen or _known(reader, fieldname, term):
            continue
        seen.add((start, end))
        original = text[start:end]
        replacement = _best_replacement(reader, schema, fieldname, original)
        if replacement is not None:
            corrections.append(Correction(original, _same_case(original, replacement), start, end))
    if not corrections:
        return None
    corrected = text
    for correction in sorted(corrections, key=lambda c: c.start, reverse=True):
        corrected = corrected[:correction.start] + correction.replacement + corrected[correction.end:]
    return Suggestion(corrected, tuple(sorted(corrections, key=lambda c: c.start)))


def _query_words(schema: Any, text: str, parsed: Any) -> list[tuple[str, str, int, int]]:
    """(field, indexed term, start, end) of each correctable word the query looks for."""
    words: list[tuple[str, str, int, int]] = []
    quotes = [(m.start(1), m.group(1)) for m in _QUOTED_RE.finditer(text)]
    used_quotes: set[int] = set()
    for leaf in positive_leaves(parsed):
        fieldname = getattr(leaf, "fieldname", None)
        if fieldname not in _STEMMED_FIELDS and fieldname not in _NAME_FIELDS:
            continue
        if type(leaf) is wq.Term and leaf.startchar is not None and leaf.endchar is not None:
            words.append((fieldname, _as_text(leaf.text), leaf.startchar, leaf.endchar))
        elif isinstance(leaf, wq.Phrase):
            words.extend(_phrase_words(schema, leaf, quotes, used_quotes))
    return words


def _phrase_words(schema: Any, phrase: Any, quotes: list[tuple[int, str]],
                  used: set[int]) -> list[tuple[str, str, int, int]]:
    """Find the quoted text a phrase came from; the parser does not record where it was."""
    analyzer = schema[phrase.fieldname].analyzer
    wanted = [_as_text(word) for word in phrase.words]
    for number, (offset, quoted) in enumerate(quotes):
        if number in used:
            continue
        # whoosh reuses one Token object: copy what is needed as it goes by
        tokens = [(t.text, t.startchar, t.endchar) for t in analyzer(quoted, chars=True, mode="query")]
        if [text for text, _, _ in tokens] == wanted:
            used.add(number)
            return [(phrase.fieldname, text, offset + start, offset + end) for text, start, end in tokens]
    return []


def _known(reader: Any, fieldname: str, term: str) -> bool:
    return (fieldname, term) in reader


def _best_replacement(reader: Any, schema: Any, fieldname: str, original: str) -> str | None:
    folded = [token.text for token in name_analyzer()(original)]
    if len(folded) != 1 or len(folded[0]) < MIN_WORD_LENGTH or folded[0].isdigit():
        return None
    word = folded[0]
    source = fieldname if fieldname in _NAME_FIELDS else VOCABULARY
    analyzer = schema[fieldname].analyzer
    # Fewest edits first: look two edits away (the slower search) only when one finds nothing.
    # The automaton counts a swap of two letters (rsoe -> rose) as two edits; they count as one.
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1)}
    swaps = {swap for swap in swaps if swap != word and _known(reader, source, swap)}
    for maxdist in (1, 2) if len(word) >= 6 else (1,):
        candidates = []
        with whoosh_imports():
            for candidate in sorted(terms_within(reader, source, word, maxdist, prefix=1) | swaps):
                if candidate == word:
                    continue
                indexed = [token.text for token in analyzer(candidate, mode="query")]
                if len(indexed) != 1 or not _known(reader, fieldname, indexed[0]):
                    continue
                distance = damerau_levenshtein(word, candidate)
                candidates.append((distance, -reader.frequency(source, candidate), candidate))
        if candidates:
            return min(candidates)[2]
    return None


def _same_case(original: str, replacement: str) -> str:
    """``replacement`` written in the case of ``original``: Belosov -> Belousov, NATOO -> NATO."""
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _as_text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
