"""Candidate speakers of a paragraph and the features that the learned model scores.

A candidate is a name key (a surname, an organisation word) in one paragraph.  It comes from
the rules in :mod:`newssearch.speakers` (which cue found it), from a name mentioned outside
quotations, or from a he/she/they subject resolved to a name.  Its features are short strings
("nv=signed": the verb after the mention; "r=subject": found by the subject rule) collected
over all its mentions in the paragraph; :mod:`newssearch.speaker_model` holds their learned
weights.  The module reads the article through duck-typed attributes so that it does not
depend on the attributor's internals beyond what is listed in :class:`Mentionlike`.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Protocol, Sequence

from newssearch import speaker_lexicon as lex

_CUES = lex.REPORTING_VERBS | lex.COGNITIVE_VERBS
_SKIPPABLE = lex.BETWEEN_SUBJECT_AND_VERB
_NEXT_RE = re.compile(r"[ \xa0\n]*(?:(\([^()]{0,80}\))[ \xa0\n]*)?([^\W\d_][\w’'\-]*|\S)")
_WORD_RE = re.compile(r"[^\W\d_][\w’'\-]*")
_CUE_RE = re.compile(rf"\b{lex.alternation(_CUES)}\b")


class Mentionlike(Protocol):
    start: int
    end: int
    key: str
    is_org: bool
    person: bool
    titled: bool
    possessive: bool
    subject: bool
    clause_subject: bool
    in_quote: bool
    words: int
    gender: str | None


@dataclass(slots=True)
class Candidate:
    """One possible speaker of a paragraph."""

    key: str
    name: str
    position: int               # negative for the rules' finds, which come first
    features: set[str] = field(default_factory=set)
    span: tuple[int, int] | None = None     # the mention or pronoun in the paragraph
    ref: object = None                      # the mention the candidate stands for
    score: float = 0.0


@functools.lru_cache(maxsize=8192)
def lemma(word: str) -> str:
    """A crude stem that puts the forms of a verb together ("noted", "notes" → "not")."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[:-len(suffix)]
            return stem + "y" if suffix in ("ied", "ies") else stem
    return word


@functools.lru_cache(maxsize=8192)
def _tense(word: str) -> str:
    if word.endswith("ing"):
        return "ing"
    if word.endswith("ed") or word in ("said", "told", "wrote", "thought", "saw", "sought"):
        return "past"
    if word.endswith("s") and not word.endswith("ss"):
        return "pres"
    return "base"


def _bucket(n: int, edges: Sequence[int] = (0, 3, 20, 60)) -> int:
    return bisect.bisect_left(edges, n)


def _after(text: str, end: int, out: list[str]) -> None:
    """Features of what follows a mention: punctuation, or the verb after skipped adverbs."""
    m = _NEXT_RE.match(text, end)
    if m is None:
        out.append("n=END")
        return
    if m.group(1):
        out.append("n=paren")
    word = m.group(2)
    skipped = 0
    while word.lower() in _SKIPPABLE and skipped < 3:
        nxt = _NEXT_RE.match(text, m.end())
        if nxt is None:
            break
        skipped += 1
        m, word = nxt, nxt.group(2)
    if skipped:
        out.append("n=aux")
    if not word[0].isalpha():
        out.append("n=" + word)
        return
    if word[0].isupper():
        out.append("n=CAP")
        return
    low = word.lower()
    out.append("nv=" + low)
    out.append("nl=" + lemma(low))
    out.append("nt=" + _tense(low))
    if low in _CUES:
        out.append("n=cue")
    elif low in lex.FINDING_VERBS:
        out.append("n=finding")


def _before(text: str, start: int, out: list[str]) -> None:
    """Features of the one or two words before a mention."""
    head = text[max(0, start - 40):start].rstrip(" \xa0\n")
    if not head:
        out.append("p=START")
        return
    if not (head[-1].isalnum() or head[-1] in "’'-"):
        out.append("p=" + head[-1])
        rest = head[:-1].rstrip(" \xa0\n")
        last = head[-1]
    else:
        cut = max(head.rfind(" "), head.rfind("\xa0"), head.rfind("\n"))
        last = head[cut + 1:].lower()
        out.append("p=" + last)
        rest = head[:cut + 1].rstrip(" \xa0\n") if cut >= 0 else ""
    if rest and rest[-1].isalpha():
        cut = max(rest.rfind(" "), rest.rfind("\xa0"), rest.rfind("\n"))
        out.append("p2=" + rest[cut + 1:].lower() + "_" + last)


def _quote_context(quotes: Sequence[tuple[int, int]], start: int, end: int,
                   out: list[str]) -> None:
    """How far the nearest quotation before and after the mention is."""
    if not quotes:
        return
    out.append("hasq")
    before = min((start - e for s, e in quotes if e <= start), default=None)
    after = min((s - end for s, e in quotes if s >= end), default=None)
    if before is not None:
        out.append(f"qb{_bucket(before)}")
    if after is not None:
        out.append(f"qa{_bucket(after)}")


def _sentence_cues(ctx: "Paragraph", start: int, end: int, sentence_start: int, stop: int,
                   out: list[str]) -> None:
    """Is there a reporting verb in the rest of the sentence (outside quotations), and how many
    words away; or one earlier in the sentence?"""
    cues = ctx.cues
    k = bisect.bisect_left(cues, end)
    if k < len(cues) and cues[k] < stop:
        words = ctx.text.count(" ", end, cues[k])
        out.append(f"cue_after{_bucket(words, (1, 3, 8))}")
    if k > 0 and cues[k - 1] >= sentence_start and cues[k - 1] < start:
        out.append("cue_before")
    elif k > 1 and cues[k - 2] >= sentence_start:
        out.append("cue_before")


@dataclass(slots=True)
class Paragraph:
    """What the features of one paragraph read: its text, sentence starts, quotations and
    the positions of reporting verbs outside quotations."""

    text: str
    sentence_starts: Sequence[int]
    quotes: Sequence[tuple[int, int]]
    cues: list[int]

    @classmethod
    def build(cls, text: str, sentence_starts: Sequence[int],
              quotes: Sequence[tuple[int, int]]) -> "Paragraph":
        cues = [m.start() for m in _CUE_RE.finditer(text)
                if not quotes or not _inside(quotes, m.start())]
        return cls(text, sentence_starts, quotes, cues)


def _inside(spans: Sequence[tuple[int, int]], pos: int) -> bool:
    for s, e in spans:
        if s < pos < e:
            return True
    return False


def span_features(ctx: Paragraph, start: int, end: int, prefix: str = "") -> list[str]:
    """Context features of a mention or pronoun at ``ctx.text[start:end]``."""
    text, starts = ctx.text, ctx.sentence_starts
    out: list[str] = []
    _after(text, end, out)
    _before(text, start, out)
    _quote_context(ctx.quotes, start, end, out)
    k = bisect.bisect_right(starts, start)
    sentence_start = starts[k - 1]
    stop = starts[k] if k < len(starts) else len(text)
    _sentence_cues(ctx, start, end, sentence_start, stop, out)
    if not text[sentence_start:start].strip(" \xa0\n“\"‘'("):
        out.append("sinit")
    if prefix:
        out = [prefix + f for f in out]
    return out


def mention_features(ctx: Paragraph, m: Mentionlike) -> list[str]:
    """Context features plus what the name itself is (a person, an organisation, ...)."""
    out = span_features(ctx, m.start, m.end)
    nv = next((f for f in out if f.startswith("nl=")), None)
    if m.is_org:
        out.append("org")
    if m.person:
        out.append("person")
    if m.titled:
        out.append("titled")
    if m.possessive:
        out.append("poss")
    if m.words >= 2:
        out.append("multi")
    if m.clause_subject:
        out.append("csubj")
        if nv is not None:
            out.append("csubj&" + nv)
    if m.subject:
        out.append("subj")
    if nv is not None:
        if m.possessive:
            out.append("poss&" + nv)
        if "sinit" in out:
            out.append("sinit&" + nv)
    if "n=," in out:
        verb = _appositive_verb(ctx.text, m.end, ctx.sentence_starts)
        if verb:
            out.append("av=" + lemma(verb))
    return out


_APPOSITIVE_END_RE = re.compile(r",[ \xa0]+(?:(?:has|had|have|also|then|later|is|was|will|would)"
                                r"[ \xa0]+)*([a-z][\w’'\-]*)")


def _appositive_verb(text: str, end: int, sentence_starts: Sequence[int]) -> str | None:
    """"Camara, who delivered a speech, noted ...": the word after the appositive's closing
    comma, within the sentence."""
    k = bisect.bisect_right(sentence_starts, end)
    stop = sentence_starts[k] if k < len(sentence_starts) else len(text)
    m = _APPOSITIVE_END_RE.search(text, end + 1, stop)
    return m.group(1) if m is not None else None


def pronoun_features(ctx: Paragraph, start: int, end: int, pronoun: str) -> list[str]:
    """Features of a he/she subject resolved to the candidate."""
    out = span_features(ctx, start, end, prefix="P:")
    out.append("P:" + pronoun.lower())
    return out


def article_features(key: str, paragraph: int, counts: dict[str, int],
                     speaker_paragraphs: dict[str, list[int]]) -> list[str]:
    """How prominent the name is in the article and whether the rules found it speaking
    elsewhere."""
    out = [f"mentions{_bucket(counts.get(key, 0), (1, 2, 4, 8))}"]
    if paragraph == 0:
        out.append("para0")
    spoke = speaker_paragraphs.get(key, ())
    if any(p < paragraph for p in spoke):
        out.append("spoke_before")
    if paragraph - 1 in spoke:
        out.append("spoke_prev")
    if any(p > paragraph for p in spoke):
        out.append("spoke_after")
    return out


def paragraph_features(rule_keys: Sequence[str], n_candidates: int) -> list[str]:
    """Features of the paragraph as a whole: do the rules find anyone, how many candidates."""
    return [f"para_rules{min(len(rule_keys), 2)}", f"ncands{_bucket(n_candidates, (1, 2, 4, 8))}"]


# Finds of these rules are kept whatever the model says: the behaviours they implement are
# wanted even where PolNeAR does not count them (it puts a quotation running over paragraphs
# in the paragraph of its cue only, gives "the ministry" no name, and leaves out reports
# nested in reports: "It said that Camara ... noted that").
TRUSTED_RULES = frozenset({"r=carried-quote", "r=quoted-as-saying", "r=org-anaphor",
                           "r=inverted", "r=nested-report"})
TRUSTED_SCORE = 99.0


def score(features: set[str] | Sequence[str], weights: dict[str, float], bias: float) -> float:
    """The model's log-odds that a candidate is a speaker of its paragraph
    (``TRUSTED_SCORE`` for a find of a trusted rule)."""
    if "rule" in features and not TRUSTED_RULES.isdisjoint(features):
        return TRUSTED_SCORE
    total = bias
    for f in features:
        w = weights.get(f)
        if w is not None:
            total += w
    return total
