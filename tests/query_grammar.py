"""Hypothesis strategies that write queries the way people (and adversaries) type them.

The grammar covers what newssearch's query syntax offers — words, phrases, the boolean
operators, ``field:value``, dates and date ranges, fuzzy and prefix terms, boosts, groups —
and what it does not: stray operators and brackets, unknown fields, impossible dates, odd
Unicode, deep nesting and long queries.
"""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = ["Belousov", "cooperation", "Mali", "Niger", "defence", "Russia", "Camara", "Sahel", "said",
         "statement", "joint", "cocoa", "minister", "the", "a", "x", "y", "Malí", "coop", "Belosov"]
FIELDS = ["speaker", "section", "title", "heading", "subtitle", "source", "authors", "date", "paragraph",
          "article_id", "pid", "text", "url", "path", "nosuchfield", "Speaker", "DATE", "vocabulary"]
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "and", "or", "not", "&&", "||", "!", "-", "+"]
JUNK = list('<>[]{}():"^~*?\\/\'!@#$%&=|;,.') + ["TO", "to", "now", "today", "\u202e", "\x00", "\x1b[31m",
                                                 "\t", "\n", "\u00a0", "\udcff", "🙂", "ß", "İ", "\u0301"]
DATE_VALUES = ["2025", "2025-08", "2025-08-15", "2016-1-5", "2016-02-30", "2025-13-01", "0001-01-01",
               "9999-12-31", "10000-01-01", "abc", "now", "today", "Aug 15 2025", "15/08/2025", "20250815",
               "2025-08-15T10:00", "-5", "1" * 30, "March", "", "2025-W33", "2025-08-15 10:30"]


def _date_clause() -> st.SearchStrategy[str]:
    value = st.one_of(st.sampled_from(DATE_VALUES), st.dates().map(str),
                      st.text(alphabet="0123456789-/: ", max_size=12))
    single = st.builds(lambda rel, v: f"date:{rel}{v}", st.sampled_from(["", ">", "<", ">=", "<=", "=>"]), value)
    ranged = st.builds(lambda o, a, sep, b, c: f"date:{o}{a} {sep} {b}{c}", st.sampled_from("[{"), value,
                       st.sampled_from(["TO", "to", "", "-"]), value, st.sampled_from("]}"))
    return st.one_of(single, ranged)


def _leaf() -> st.SearchStrategy[str]:
    word = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12))
    return st.one_of(
        word,
        st.builds(lambda w: f'"{w}"', st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join)),
        st.builds(lambda f, w: f"{f}:{w}", st.sampled_from(FIELDS), word),
        st.builds(lambda f, w: f'{f}:"{w}"', st.sampled_from(FIELDS), st.sampled_from(WORDS)),
        _date_clause(),
        st.builds(lambda w, n: f"{w}~{n}", st.sampled_from(WORDS), st.sampled_from(["", "0", "1", "2", "3", "9", "99", "x"])),
        st.builds(lambda w, s: f"{w[:s]}*", st.sampled_from(WORDS), st.integers(0, 4)),
        st.builds(lambda w, b: f"{w}^{b}", st.sampled_from(WORDS), st.sampled_from(["2", "0.5", "", "x", "1e308"])),
        st.sampled_from(JUNK + OPERATORS),
    )


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(children, min_size=2, max_size=4).map(" ".join),
        st.builds(lambda a, op, b: f"{a} {op} {b}", children, st.sampled_from(OPERATORS), children),
        st.builds(lambda op, a: f"{op} {a}", st.sampled_from(OPERATORS), children),
        children.map(lambda q: f"({q})"),
        st.builds(lambda f, q: f"{f}:({q})", st.sampled_from(FIELDS), children),
    )


def queries() -> st.SearchStrategy[str]:
    """Queries from the grammar, nested and combined, now and then deeply nested or long."""
    grammatical = st.recursive(_leaf(), _combine, max_leaves=12)
    deep = st.builds(lambda n, q, op: f"{op}(" * n + q + ")" * n, st.integers(20, 3000), grammatical,
                     st.sampled_from(["", "NOT ", "x AND "]))
    chained = st.builds(lambda n, op, q: f"{op} " * n + q, st.integers(2, 2000), st.sampled_from(OPERATORS), grammatical)
    long = st.builds(lambda words: " ".join(words), st.lists(st.sampled_from(WORDS + OPERATORS), min_size=50, max_size=400))
    return st.one_of(grammatical, grammatical, grammatical, deep, chained, long, st.text(max_size=40))
