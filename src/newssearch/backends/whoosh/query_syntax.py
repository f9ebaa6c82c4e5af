"""Make whoosh's query parser total: every query string parses or fails with a one-line reason.

Whoosh 2.7.4's parser raises on many typos instead of reporting them: ``NOT NOT y`` and ``> Mali``
(``IndexError``), ``x ANDNOT ANDMAYBE y`` (``AssertionError``), ``(date:>2025)``
(``NotImplementedError``), ``date:<2016-1-5`` or ``date:>abc`` (its own ``TimeError`` and bare
``Exception``), and thousands of nested parentheses (``RecursionError``). The plugins here run
inside whoosh's parser and replace each broken piece of the syntax tree with an error node whose
message :func:`newssearch.backends.whoosh.parsing.parse_query` reports; dates in the query are read the way
``--since``/``--until`` read them; and the limits below keep every query cheap.

Whoosh internals relied on: the syntax node classes of ``whoosh.qparser.syntax`` (``GroupNode``,
``WordNode``, ``RangeNode``, ``FieldnameNode``, ``Wrapper``, ``BinaryGroup``, ``Operator``,
``attach``), the plugins' node classes (``GtLtPlugin.GtLtNode``, ``FuzzyTermPlugin.FuzzyTermNode``,
``PhrasePlugin.PhraseNode``), ``BinaryGroup.qclass``, and the filter priorities (operators at 600).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newssearch.backends.whoosh.compat import whoosh_imports
from newssearch.errors import QueryError

with whoosh_imports():
    from whoosh import query as wq
    from whoosh.qparser import GtLtPlugin, Plugin, syntax
    from whoosh.qparser.plugins import FuzzyTermPlugin, PhrasePlugin

MAX_QUERY_LENGTH = 1_000  # characters
MAX_QUERY_DEPTH = 20  # parentheses inside each other
MAX_FUZZY_EDITS = 2  # word~2; each edit more multiplies the words a fuzzy term expands to
_OPERATOR_NAMES = {"AndNotGroup": "ANDNOT", "AndMaybeGroup": "ANDMAYBE", "RequireGroup": "REQUIRE",
                   "NotGroup": "NOT"}

DateRangeMaker = Callable[[Any, Any, bool, bool], Any]
"""Builds the query for ``date:`` from (start text or None, end text or None, start excluded,
end excluded); raises :class:`QueryError` for a value that is not a date."""


def check_query_size(text: str) -> None:
    """Raise :class:`QueryError` for a query too long or too deeply nested to parse cheaply."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(text):,} characters long, over the limit of {MAX_QUERY_LENGTH:,}")
    depth = deepest = 0
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif not quoted and char == ")":
            depth = max(0, depth - 1)
    if deepest > MAX_QUERY_DEPTH:
        raise QueryError(f"the query nests parentheses {deepest} deep, over the limit of {MAX_QUERY_DEPTH}")


class _Problem(syntax.SyntaxNode):
    """A piece of the query that cannot be searched for, with the reason."""

    def __init__(self, message: str, node: Any = None) -> None:
        self.message = message
        self.startchar = getattr(node, "startchar", None)
        self.endchar = getattr(node, "endchar", None)

    def r(self) -> str:
        return f"PROBLEM {self.message!r}"

    def query(self, parser: Any) -> Any:
        return wq.error_query(self.message)


class _DateNode(syntax.SyntaxNode):
    """``date:VALUE``, ``date:>VALUE`` or ``date:[A to B]``, read by :data:`DateRangeMaker`."""

    def __init__(self, node: Any, make_range: DateRangeMaker) -> None:
        self.startchar, self.endchar = node.startchar, node.endchar
        self.boost = getattr(node, "boost", 1.0)
        if isinstance(node, syntax.RangeNode):
            self.bounds = (node.start, node.end, node.startexcl, node.endexcl)
        else:
            self.bounds = (node.text, node.text, False, False)
        self.make_range = make_range

    def r(self) -> str:
        return f"DATE {self.bounds!r}"

    def query(self, parser: Any) -> Any:
        try:
            return self.make_range(*self.bounds)
        except QueryError as error:
            return wq.error_query(str(error))


class SafeGtLtPlugin(GtLtPlugin):
    """``field:>value`` and the like; a ``>`` or ``<`` with no field name before it is an error
    (whoosh's own filter raised ``IndexError`` there, and ignored ``>`` inside parentheses)."""

    def do_gtlt(self, parser: Any, group: Any) -> Any:
        filtered = group.empty_copy()
        position = 0
        while position < len(group):
            node = group[position]
            following = group[position + 1] if position + 1 < len(group) else None
            if isinstance(node, syntax.GroupNode):
                filtered.append(self.do_gtlt(parser, node))
            elif not isinstance(node, self.GtLtNode):
                filtered.append(node)
            elif (len(filtered) and isinstance(filtered[-1], syntax.FieldnameNode)
                  and following is not None and following.has_text):
                filtered.append(self.make_range(following, node.rel))
                position += 1
            else:
                filtered.append(_Problem(f"{node.rel!r} must come between a field name and a value, "
                                         f"as in date:>2025-01-01", node))
            position += 1
        return filtered


class _QueryOnce:
    """For ANDNOT, ANDMAYBE and REQUIRE groups: whoosh's ``BinaryGroup.query`` builds each side's
    query twice, so a chain of them took exponential time (15 ANDNOTs: 3 s, 20: minutes)."""

    nodes: list[Any]
    qclass: Any

    def query(self, parser: Any) -> Any:
        first, second = self.nodes[0].query(parser), self.nodes[1].query(parser)
        if first is None or second is None:
            built = second if first is None else first
            return syntax.attach(built if built is not None else wq.NullQuery, self)
        return syntax.attach(self.qclass(first, second), self)


_QUERY_ONCE = {kind: type(kind.__name__, (_QueryOnce, kind), {})
               for kind in (syntax.AndNotGroup, syntax.AndMaybeGroup, syntax.RequireGroup)}


def _minus_before_group(node: Any, following: Any) -> bool:
    """Whether ``node`` is a ``-`` written right before a parenthesis (``-(a OR b)``); a group
    starts where its first word does, one character after the ``(``."""
    return (isinstance(node, syntax.WordNode) and node.text == "-" and isinstance(following, syntax.GroupNode)
            and following.startchar is not None and node.endchar is not None
            and following.startchar == node.endchar + 1)


class QueryChecks(Plugin):
    """The last filter of the parser: mend or report what whoosh would crash on or search wrongly.

    - ``NOT``, ``ANDNOT``, ``ANDMAYBE`` without the words they need become errors;
    - ``-word`` (and ``-(group)``) means ``NOT word``, as in web search, instead of ``word``;
    - ``date:`` values are read by ``make_range`` (the reading of ``--since``/``--until``);
    - a fuzzy term may allow at most :data:`MAX_FUZZY_EDITS` edits;
    - a phrase in a field that keeps no word positions (``no_phrases``) is an error (whoosh
      raised its own ``QueryError`` when it ran the search).
    """

    def __init__(self, date_field: str, make_range: DateRangeMaker, no_phrases: frozenset[str] = frozenset()) -> None:
        self.date_field = date_field
        self.make_range = make_range
        self.no_phrases = no_phrases

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        return [(self.check, 10_000)]  # after every whoosh filter (operators are at 600)

    def check(self, parser: Any, group: Any) -> Any:
        checked = group.empty_copy()
        position = 0
        while position < len(group):
            node = group[position]
            following = group[position + 1] if position + 1 < len(group) else None
            if _minus_before_group(node, following):
                checked.append(syntax.NotGroup([self._checked(following)]))
                position += 1
            else:
                checked.append(self._checked(node))
            position += 1
        return self._whole(checked)

    def _checked(self, node: Any) -> Any:
        if isinstance(node, syntax.GroupNode):
            return self.check(None, node)
        if getattr(node, "fieldname", None) == self.date_field:
            return self._date(node)
        if isinstance(node, PhrasePlugin.PhraseNode) and node.fieldname in self.no_phrases:
            return _Problem(f"{node.fieldname}: keeps no word positions, so it cannot search for a phrase", node)
        if isinstance(node, syntax.Operator):
            return _Problem(f"{node.text} needs a word, phrase or group on each side", node)
        if isinstance(node, GtLtPlugin.GtLtNode):
            return _Problem(f"{node.rel!r} must come between a field name and a value", node)
        if isinstance(node, FuzzyTermPlugin.FuzzyTermNode) and node.maxdist > MAX_FUZZY_EDITS:
            return _Problem(f"a fuzzy term allows at most {MAX_FUZZY_EDITS} edits ({node.text}~{MAX_FUZZY_EDITS}), "
                            f"not {node.maxdist}", node)
        if isinstance(node, syntax.WordNode) and len(node.text) > 1 and node.text.startswith("-"):
            word = syntax.WordNode(node.text.lstrip("-"))
            word.fieldname, word.boost = node.fieldname, node.boost
            word.startchar, word.endchar = node.startchar, node.endchar
            return syntax.NotGroup([word])
        return node

    def _whole(self, group: Any) -> Any:
        """``group``, or an error when it is an operator that lacks what it applies to."""
        name = _OPERATOR_NAMES.get(type(group).__name__)
        if isinstance(group, syntax.Wrapper) and len(group) != 1:
            return _Problem(f"{name or 'an operator'} must be followed by a word, phrase or group", group)
        if isinstance(group, syntax.BinaryGroup) and len(group) != 2:
            return _Problem(f"{name or 'an operator'} needs a word, phrase or group on each side", group)
        if type(group) in _QUERY_ONCE:
            group.__class__ = _QUERY_ONCE[type(group)]
        return group

    def _date(self, node: Any) -> Any:
        if isinstance(node, (syntax.WordNode, syntax.RangeNode, PhrasePlugin.PhraseNode)):
            return _DateNode(node, self.make_range)
        return _Problem("date: takes a date or a range, as in date:2025-08, date:>2025-01-01 or "
                        "date:[2025-01 to 2025-06]", node)
