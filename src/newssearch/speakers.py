"""Paragraph-level speaker attribution: who is quoted, or whose statement is reported, in
each paragraph of a news article.

Rule-based and standard-library only.  For one article:

1. every capitalised name run is read once into a registry of mentions (titles, honorifics
   and party tags stripped; people and organisations told apart; gender from honorifics and
   first names); the registry resolves a surname to the fullest form the article gives;
2. in each paragraph, quotations are located (curly or straight marks, quotations left open
   at the end of a paragraph), and every cue outside them (reporting verbs such as "said",
   "noted", "told"; acts and stances that state a position, such as "blocked", "plans",
   "has been critical of"; "according to", "quoted ... as saying", "Name: “...”", a transcript's
   "NAME: ...", a signed "“...” ― Name", "In a new X poll, ...") is tied to its source: the subject
   before the cue, the name after an inverted cue ("...,” said Camara"), the head of a subject
   with appositives ("Camara, who ..., said"), a pronoun (resolved to the latest compatible
   person, preferring subjects), or an organisational subject ("the ministry said", "the
   statement said"), resolved to the organisation the article names.  Passive cues give
   their agent ("was first reported by X"); participles and infinitives give the sentence
   subject ("..., saying", "was prompted to say"); what a cue reports (indirect speech, the
   clause before a closing "..., X said.") holds no further sources and no pronoun
   antecedents (docs/speakers.md lists the rules);
3. a quotation left open at the end of a paragraph carries its speaker into the following
   paragraphs that continue it.

All regular expressions are compiled at import; per paragraph the work is a few regex scans
plus dictionary look-ups.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from newssearch import speaker_lexicon as lex

__all__ = ["attribute_speakers"]

# ---------------------------------------------------------------------------------------
# Regular expressions
# ---------------------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_SP = r"[ \xa0]"
_ABBREVIATION = (r"(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev"
                 r"|St|Jr|Sr|Maj|Cmdr|Atty|Amb|Supt|Insp|Det|Pres|Sec)\.")
_DOMAIN = r"(?:\.(?:com|org|net)(?!\w))?"     # outlets named by their site: "Factcheck.org"
_NAME_TOKEN = (rf"(?:(?:[{_UPPER}]\.){{2,}}|{_ABBREVIATION}|[{_UPPER}]\.(?={_SP})"
               rf"|[{_UPPER}](?:[\w\-]|[’'](?=\w))+{_DOMAIN})")
_PARTICLE = "|".join(sorted(lex.PARTICLES, key=len, reverse=True))
_NAME_RUN = rf"(?=[{_UPPER}])(?<![\w’'.\-])(?:{_NAME_TOKEN})(?:{_SP}+(?:(?:{_PARTICLE}){_SP}+)*{_NAME_TOKEN})*"
_PARTY_TAG_RE = re.compile(r"^(?:[RDI]|Rep|Dem|Ind)-[A-Z]")

_WORD_RE = re.compile(r"[^\W\d_][\w’'\-]*")
_QUOTE_MARK_RE = re.compile(r"[“”\"]|''|``")
_SENTENCE_END_RE = re.compile(r"([.!?…;:])[”\"’']*[ \xa0\n]+")
_LOWER_ENDING_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr Sen Sens Rep Reps Gov Gen Lt Col Sgt Capt Adm Prof Rev St Jr Sr Maj Atty Amb Supt "
    "Insp Det Pres No Vol vs etc Inc Corp Co Ltd Jan Feb Mar Apr Aug Sep Sept Ft Mt Oct Nov Dec".split())
_ABBREVIATION_END_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|St|Jr|Sr"
    r"|Maj|Atty|Amb|Supt|Insp|Det|Pres|No|Vol|vs|etc|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Aug|Sept?|Ft|Mt"
    r"|Oct|Nov|Dec)|\b[A-Z]|(?:[A-Z]\.)+[A-Z])$")


def _alternation(words: frozenset[str]) -> str:
    """A regex matching any of ``words``, factored as a trie so that matching is fast."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict) -> str:
        ends = "" in node
        alternatives = [re.escape(ch) + branch(sub) for ch, sub in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        if ends:
            return f"(?:{body})?"
        return body

    return f"(?:{branch(trie)})"


def _name_scan_pattern() -> str:
    """_NAME_RUN for scanning a whole paragraph, written to open with a character class (a
    capital), which lets the regex engine skip quickly from capital to capital; the rest of
    the first token keeps the alternatives of _NAME_TOKEN in the same order."""
    rests: dict[str, list[str]] = {}
    for abbreviation in _ABBREVIATION[3:-4].split("|"):        # "Mr" → after "M": "r"
        rests.setdefault(abbreviation[0], []).append(abbreviation[1:])
    abbreviations = "|".join(f"(?<={first})(?:{'|'.join(rest)})" for first, rest in rests.items())
    first_token_rest = (rf"(?:\.(?:[{_UPPER}]\.)+|(?:{abbreviations})\.|\.(?={_SP})"
                        rf"|(?:[\w\-]|[’'](?=\w))+{_DOMAIN})")
    return (rf"[{_UPPER}](?<![\w’'.\-].){first_token_rest}"
            rf"(?:{_SP}+(?:(?:{_PARTICLE}){_SP}+)*{_NAME_TOKEN})*")


_NAME_RUN_RE = re.compile(_name_scan_pattern())
_TAIL_WINDOW = 120          # characters before a cue that tail patterns look at
_MEDIA_NOUNS = "post interview statement tweet email e-mail letter op-ed speech video appearance"
_BETWEEN_TRIGGERS = lex.BETWEEN_SUBJECT_AND_VERB | lex.MONTHS_AND_DAYS | frozenset(
    f"week month year night morning evening afternoon n’t ago {_MEDIA_NOUNS}".split())
_AFFILIATION_TRIGGERS = lex.AFFILIATION_HEADS | lex.GROUP_NOUNS


_CUE_WORDS = (lex.REPORTING_VERBS | lex.COGNITIVE_VERBS | lex.STANCE_VERBS | lex.FINDING_VERBS
              | lex.PHRASE_CUES)
_CUE_RE = re.compile(rf"(?<![\w’'\-])(?:{_alternation(_CUE_WORDS)})\b")
# The same cues for scanning a whole paragraph: led by the character before the cue, which
# lets the regex engine skip quickly to word starts (the text is scanned with a space in front).
_CUE_SCAN_RE = re.compile(rf"[^\w’'\-]({_alternation(_CUE_WORDS)})\b")
_ACCORDING_TO_RE = re.compile(rf"\b[Aa]ccording{_SP}+to{_SP}+")
_QUOTED_AS_SAYING_RE = re.compile(
    rf"\bquoted{_SP}+(?:the{_SP}+)?({_NAME_RUN}){_SP}+as{_SP}+(?:saying|telling)\b")
_COLON_QUOTE_RE = re.compile(
    rf"(?:^|{_SP}[-–—]{_SP}|[-–—]{_SP}?|[.?!]{_SP}+|\b[Mm]ore{_SP}+from{_SP}+|[”\"]{_SP}+"
    rf"|{_SP}(?:and|&){_SP})"
    rf"({_NAME_RUN})(?:{_SP}*\([^()]{{1,20}}\))?:{_SP}*[“\"]")
_SIGNATURE_RE = re.compile(         # "“...” ― Jane Roe", a quotation signed after a dash
    rf"[”\"]{_SP}*[―—–]{_SP}*({_NAME_RUN})(?={_SP}*(?:$|[“\"(,\n]))")
_COLON_BEFORE_QUOTE_RE = re.compile(r":[ \xa0]*[“\"]")
_COLON_LINE_RE = re.compile(rf"[“\"]?({_NAME_RUN}):{_SP}(?=(?:\S+{_SP}+){{6}})")
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December)")
_BETWEEN_RE = re.compile(
    rf"(?:[’'](?:s|ve|d|ll)(?=[ \xa0]|$)|[ \xa0\n]+(?:{_alternation(lex.BETWEEN_SUBJECT_AND_VERB)}|n’t|on{_SP}+{_DAY}(?:{_SP}+(?:night|morning|evening|afternoon))?"
    rf"|last{_SP}+(?:week|month|year|night)|this{_SP}+(?:past{_SP}+)?(?:week|month|year)"
    rf"|in{_SP}+(?:(?:early|late|mid){_SP}+)?(?:{_MONTH}{_SP}+)?(?:19|20)\d\d|in{_SP}+{_MONTH}"
    rf"|(?:(?:less|more){_SP}+than{_SP}+)?(?:a|an|one|two|three|four|five|six|several|few|\d+)"
    rf"{_SP}+(?:day|week|month|year|days|weeks|months|years){_SP}+ago"
    rf"|{_DAY}(?:{_SP}+(?:night|morning|evening|afternoon))?"
    rf"|in{_SP}+an?{_SP}+(?:[\w\-’']+{_SP}+){{0,3}}(?:{_MEDIA_NOUNS.replace(' ', '|')}))"
    rf"|{_SP}*\([^()]*\))*[ \xa0\n]*$")
_TAIL_PRONOUN_RE = re.compile(r"(?<![\w’'])(he|she|they|it|who|He|She|They|It)$")
_TAIL_ORG_ANAPHOR_RE = re.compile(
    rf"(?<![\w’'])(?:[Tt]he|[Ii]ts|[Tt]heir){_SP}+(?:[a-z\-]+{_SP}+)?"
    rf"({_alternation(lex.ORG_ANAPHORS)})$")
_TAIL_AFFILIATION_RE = re.compile(
    rf"(?:(?<![\w’'])[Tt]he{_SP}+({_NAME_RUN}){_SP}+({_alternation(lex.AFFILIATION_HEADS)})"
    rf"|({_NAME_RUN})[’']s?{_SP}+(?:[a-z\-]+{_SP}+)?"
    rf"({_alternation(lex.AFFILIATION_HEADS | lex.GROUP_NOUNS)})"
    rf"|((?:{_NAME_RUN}/)*{_NAME_RUN}){_SP}+(?:[a-z\-]+{_SP}+)?({_alternation(lex.GROUP_NOUNS)}))$")
_TAIL_OTHERS_RE = re.compile(
    rf"(?:{_SP}+(?:and|&){_SP}+(?:other|others|several|many|some|a{_SP}+few)(?:{_SP}+[\w\-’']+)*?"
    rf"|,{_SP}*among{_SP}+others,?|{_SP}+in{_SP}+particular|{_SP}+both|{_SP}+all|{_SP}+each"
    rf"|{_SP}+alike|{_SP}+together)$")
_TAIL_COMPANIONS_RE = re.compile(
    rf"(?<![\w’'])(?:{_NAME_RUN})(?:[’']s{_SP}+[a-z]+)?{_SP}+(?:and|&){_SP}+"
    rf"(?:(?:his|her|its|their|some|other|several|many|leading|top|senior|fellow|\d+){_SP}+)?"
    rf"(?:[a-z\-]+{_SP}+){{0,2}}(?:[a-z\-]+s|team|Democrats|Republicans)$")
_BRIDGE_WORD_RE = re.compile(r"(?<![\w’'])(?:[Tt]he|former|late|fellow|co-host|host|[Bb]oth)$")
_TAIL_COORDINATED_VERB_RE = re.compile(r"[a-z,)][ \xa0]+(?:and|but)$")
_BY_AGENT_RE = re.compile(
    rf"\b(?:asked|interviewed|questioned|endorsed|criticized|criticised|praised|attacked"
    rf"|accused|blasted|slammed|quoted)"
    rf"(?:{_SP}+[a-z][\w\-]*){{0,3}}?(?:{_SP}+(?:in|on)(?:{_SP}+[A-Z][\w\-]*)+)?{_SP}+by{_SP}+"
    rf"(?:both{_SP}+)?(?:the{_SP}+)?(?=[A-Z])")
_PREPOSITION_BEFORE_RE = re.compile(
    r"(?<![\w’'])(?:for|of|to|with|by|from|at|in|on|about|against|than|like|behind|toward"
    r"|towards|under|over|into|among|between|whom|via|per|including|’s|'s)[ \xa0]+"
    r"(?:(?:the|a|an)[ \xa0]+(?:[a-z\-]+[ \xa0]+)?)?$")
_APPOSITIVE_START_RE = re.compile(
    r"[ \xa0]*(?:who|which|whose|a|an|the|his|her|its|their|one|now|then|also|himself|herself"
    r"|[a-z]|\d|\(|[RDI]-|[A-Z][\w.\-’']*(?:[ \xa0]+[A-Z][\w.\-’']*)*[’']s?[ \xa0]"
    r"|[A-Z][\w.\-]*[ \xa0]+(?:[A-Z][\w.\-]*[ \xa0]+)*[a-z])")
_INVERTED_GAP_RE = re.compile(
    rf"{_SP}+(?:(?:the|a|an){_SP}+)?(?:[\w’'\-.]+{_SP}+){{0,7}}?(?:[\w’'\-.]+,{_SP}+)?$")
_INVERTED_END_RE = re.compile(
    rf"[ \xa0]*(?:[,.;:!?)”\"(—–]|$|-{{2}}|{_SP}-{_SP})|{_SP}+(?:in|on|at|during|who|last"
    r"|yesterday|today|after|before|when|while|to|of|from|for|and|as|with|recently|earlier|later"
    r"|this|told|wrote|said|says|added|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
    r"|Sunday|magazine|newspaper)\b")
_ACCORDING_NP_RE = re.compile(
    rf"(?:(?:the|a|an|one|new|latest|recent|yearly|annual|national|online|early|several"
    rf"|internal|an?|\d[\w\-]*){_SP}+)*"
    rf"([^,.;:!?()—–“”\"]+?)(?=[ \xa0]*(?:[,.;:!?()—–“”\"]|$)"
    rf"|{_SP}+(?:released|conducted|out|published|taken|by|from|in|on|at|of|that|which|who"
    rf"|for|as|to|and|but|with|since|among|last|this)\b)")
_OPENING_PHRASE_RE = re.compile(
    r"[ \xa0“\"]*(?:[A-Z][a-z]+ing[ \xa0]+[a-z]"
    r"|(?:In|At|On|After|Before|During|From|Since|With|While|When|As)\b)[^,]*,")
_AS_SUBJECT_RE = re.compile(r"[ \xa0“\"]*(?:Or,[ \xa0]+)?[Aa]s[ \xa0]+")
_ROLE_AFTER_OWNER_RE = re.compile(rf"(?:[’']s?)?(?:{_SP}+[a-z][a-z\-]*){{1,3}}{_SP}+(?=[A-Z])")
_PASSIVE_RE = re.compile(r"(?<![\w’'])(?:was|were|is|are|be|been|being)(?![\w’'])")
_IRREGULAR_PARTICIPLES = frozenset("told said written thought known seen shown found sought".split())
_ADJECTIVAL_PARTICIPLES = frozenset("assured".split())
_PASSIVE_AGENT_RE = re.compile(
    rf"(?:{_SP}+[a-z][\w\-]*){{0,3}}?{_SP}+by{_SP}+(?:the{_SP}+)?((?:[a-z][\w\-]*{_SP}+){{0,2}})"
    rf"(?=[A-Z])")
_NOT_ADVERBS = frozenset(
    "family rally ally supply reply apply belly bully jelly fly holy early daily".split())
_ASIDE_RE = re.compile(
    r",[ \xa0]+(?:for[ \xa0]+example|for[ \xa0]+instance|however|in[ \xa0]+turn|meanwhile|too|though"
    r"|in[ \xa0]+fact|in[ \xa0]+particular|of[ \xa0]+course|in[ \xa0]+response|in[ \xa0]+a[ \xa0]+statement"
    r"|in[ \xa0]+an[ \xa0]+interview|this[ \xa0]+(?:past[ \xa0]+)?(?:week|month|year)|last[ \xa0]+(?:week|month|year)"
    r"|on[ \xa0]+\w+day|through[ \xa0]+(?:a|an|his|her|their|its)[ \xa0]+(?:spokesman|spokeswoman"
    r"|spokesperson|aide|lawyer|attorney|representative)),$")
_OPENING_PREPOSITIONS = frozenset(
    "in at on from for with by after before during since under over near outside inside "
    "across through throughout beyond among between about against like unlike despite".split())
_HEADLINE_LENGTH = 200          # longest paragraph read as a possible title-case headline
_EMBEDDED_QUOTE = 80            # longest quotation read as a title inside a subject
_CLOSING_TAIL = 60              # longest sentence rest after a closing "..., X said"
_CLOSING_SUBJECT = 60
_CLOSING_VERBS = lex.INVERTED_VERBS | frozenset(
    "told tells say think thinks believe believes reported reports wrote found".split())
_CLOSING_SUBJECT_RE = re.compile(r"[ \xa0]+(?:he|she|they|[A-Z][^,;:“”\"]*|the[ \xa0][^,;:“”\"]*)[ \xa0]+")
_APPOSITIVE_BEFORE_RE = re.compile(r",[ \xa0]+(?:now|then|also|the|a|an)[ \xa0][^,;:“”\"()]*$")
_DOCUMENT_OWNER = (                 # "the latest NBC News/Wall Street Journal", "Gallup’s own"
    rf"(?:(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat|[Ll]ast{_SP}+year’s|[Ll]ast{_SP}+year's){_SP}+)?"
    rf"(?:(?:[a-z][\w\-]*|\d{{4}}|{_MONTH}){_SP}+){{0,3}}?"
    rf"((?:{_NAME_RUN})(?:/(?:{_NAME_RUN}))*){_SP}+(?:[a-z][\w\-]*{_SP}+){{0,2}}?")
_DOCUMENT_SUBJECT_RE = re.compile(
    rf"[ \xa0“\"]*{_DOCUMENT_OWNER}"
    rf"(poll|polls|survey|surveys|study|analysis|report|records|data|statistics|average|tally"
    rf"|count|review|investigation|audit|figures|estimates)\b")
_IN_DOCUMENT_RE = re.compile(      # "In a new Harbor Gazette poll, ..."
    rf"(?<![\w’'])[Ii]n{_SP}+{_DOCUMENT_OWNER}(poll|survey|average|tally|count|study|analysis)\b")
_DOCUMENT_NOUN_RE = re.compile(r"(?<![\w’'\-])(?:poll|survey|average|tally|count|study|analysis)\b")
_IN_WORD_RE = re.compile(r"(?<![\w’'])[Ii]n[ \xa0]")
_DOCUMENT_VERBS = lex.FINDING_VERBS | frozenset(
    "revealed reveals suggested suggests indicated indicates estimates estimated".split())
_CLAUSE_PUNCTUATION_RE = re.compile(r"[;:“”\"]|,[ \xa0]+(?:and|but|which|who)\b")
_PARTICIPLE_FOLLOWER_RE = re.compile(
    r",|[ \xa0]+(?:by|in|at|with|from|to|for|on|over|after|about|into|out|up|down|off)[ \xa0]")
_REFLEXIVE_RE = re.compile(r"[ \xa0]+(?:itself|himself|herself|themselves|ourselves|myself)\b")
_WITH_BEFORE_RE = re.compile(r"(?<![\w’'])with[ \xa0]+$")
_AS_REPORTED_BY_RE = re.compile(
    rf"(?:\b[Aa]s{_SP}+|,{_SP}+)(?:(?:first|previously|originally|earlier){_SP}+)?"
    rf"(?:reported|noted|revealed){_SP}+by{_SP}+(?:the{_SP}+)?(?=[A-Z])")
_DOTTED_ACRONYM_RE = re.compile(r"(?:[A-Z]\.){2,}")          # "F.B.I.", "S.E.C."
_DOTTED_PLACES = frozenset("U.S. U.K. D.C. U.S.A. L.A. N.Y.".split())
_AFTER_OPENING_RE = re.compile(r",[ \xa0]+(?:[Tt]he[ \xa0]+)?$")
_STATE_HEADS = frozenset("government authorities ministry military police".split())
_UNCLOSED_APPOSITIVE_RE = re.compile(r",[ \xa0]+(?:the|a|an|who|whose)[ \xa0]")
_SAID_VERBS = lex.INVERTED_VERBS | frozenset("say told tells".split())
_SAID_AFTER_RE = re.compile(     # after a name: auxiliaries and adverbs, then a said-type cue
    rf"(?:[ \xa0](?:{_alternation(lex.BETWEEN_SUBJECT_AND_VERB)}"
    rf"|(?!(?:{'|'.join(sorted(_NOT_ADVERBS))})(?![\w’'\-]))[a-z]{{3,}}ly)(?![\w’'\-]))*"
    rf"[ \xa0]{_alternation(_SAID_VERBS & _CUE_WORDS)}\b")
_DATELINE_RE = re.compile(
    r"(?:[A-Z][A-Z.'\-]+(?:[ \xa0][A-Z][A-Z.'\-]+)*"
    r"(?:,[ \xa0][A-Z][A-Za-z.]*(?:[ \xa0][A-Z][A-Za-z.]*)?)?(?:,[ \xa0][A-Z][a-z]{2,8}\.?[ \xa0]\d{1,2})?"
    r"[ \xa0]*(?:\([^()]{1,30}\))?"
    r"|[A-Z][a-z]+(?:[ \xa0][A-Z][a-z]+)?(?:,[ \xa0][A-Z][A-Za-z.]*)?[ \xa0]*\([^()]{1,30}\))"
    r"[ \xa0]*[—–-]{1,2}[ \xa0]+")
_NOT_SPEECH_AFTER_RE = re.compile(           # "adding to her lead", "claiming his third win"
    r"[ \xa0]+(?:to|his|her|their|its|the|a|an|another|victory|control)\b")
_LINE_LABELS = frozenset("""note correction update editor name source sources photo video
    watch read related stat""".split())
_STATEMENT_SUBJECT_RE = re.compile(
    r"(?:(?<![\w’'])(?:[Ii]t|[Tt]hey)|statement|report|ministry|department|agency|office)"
    r"(?:[ \xa0]+[a-z]+){0,3}[ \xa0]*$")
_ORG_RULES = frozenset("org-anaphor group-pronoun subject-org affiliation document".split())
_RELATIVE_AFTER_RE = re.compile(r",[ \xa0]+(?:who|whose|the|a|an)[ \xa0]")
_TITLE_MODIFIERS = frozenset("""assistant associate managing executive senior general national
    deputy vice chief political foreign international campaign communications press""".split())
_PARTICIPLE_LEAD_RE = re.compile(
    r"(?<![\w’'])(?:by|before|after|while|in|ad|ads|release|statement|email|e-mail|letter|"
    r"petition|tweet|post|video|memo|op-ed|message|editorial)$")
_INFINITIVE_LEAD_RE = re.compile(
    r"(?<![\w’'])(?:seemed|appeared|decided|declined|refused|wanted|"
    r"tried|went|used|continued|began|started|rushed|moved|sought|hoped|prompted|quick|"
    r"trying|tries|attempting|attempted|"
    r"willing|unwilling|ready|eager|careful|able|unable|better|as)[ \xa0]+(?:[a-z]+[ \xa0]+)?to$")
_CAUSED_SUBJECT_RE = re.compile(
    rf"(?<![\w’'])(?:led|leads|prompted|prompts|forced|forces|caused|causes|inspired|drove|spurred)"
    rf"{_SP}+(?:the{_SP}+(?:[a-z\-]+{_SP}+){{0,2}})?((?:{_NAME_RUN})(?:{_SP}*\([^()]*\))?){_SP}+to$")
_SUBORDINATE_OPENING_RE = re.compile(      # "Though X has said ..., Y reported that ..."
    r"[ \xa0“\"]*(?:(?:But|And|Yet|So|Still|Then|Later|Instead|Meanwhile|[A-Z][a-z]+ly),?[ \xa0]+)?"
    r"(?:[Tt]hough|[Aa]lthough|[Ee]ven[ \xa0]though|[Ww]hile|[Ww]hereas|[Ww]hen|[Aa]fter|[Bb]efore|[Aa]s"
    r"|[Bb]ecause|[Ss]ince|[Ii]f|[Uu]nless|[Uu]ntil|[Oo]nce)\b")
_OPENING_INVERTED_RE = re.compile(r"(Said|Says|Added|Wrote|Writes|Stated|Explained|Noted)(?=[ \xa0]+[A-Z])")
_OPENER_RE = re.compile(r"(?:He|She|They|It|We|I|The|But|And|This|That|His|Her|Their)\b")
_LOWER_START_RE = re.compile(r"[a-z]")
_LOWER_WORDS_RE = re.compile(r"(?:[a-z][\w\-]*[ \xa0]+)+")
_SUBJECT_OPENING_RE = re.compile(r"[ \xa0“\"]*(?:(?:[Tt]he|[Aa]nd|[Bb]ut)[ \xa0]+)*")
_COMPLEMENT_BEFORE_RE = re.compile(rf"{_SP}+(?:of|for|on){_SP}+(?:(?:the|a){_SP}+)?$")
_COMPLEMENT_RE = re.compile(rf"{_SP}+(?:of|for|on){_SP}+(?:(?:the|a){_SP}+)?(?=[A-Z])")
_INVERTED_PRONOUN_RE = re.compile(r"[ \xa0]+(he|she|they)\b")
_CLAUSE_BREAK_RE = re.compile(r";|,[ \xa0]+(?:and|but|while|whereas|although|though)[ \xa0]|[”\"][ \xa0]"
                              r"|(?<!that)[ \xa0]after[ \xa0]")
_CLAUSE_OPENING_RE = re.compile(
    r"(?:^|,|\b(?:and|but|when|as|that|because|while|after|before|if|since|although|though"
    r"|where|so))[ \xa0“\"]*$")
_VERB_AFTER_RE = re.compile(
    r"[ \xa0]+(?!(?:of|and|or|in|on|at|to|for|with|by|from|as|than|who|which|that|whose"
    r"|whom|into|about|over|under|the|a|an)\b)[a-z]")
_REPORTED_SPEECH_RE = re.compile(
    rf"(?:{_SP}+(?:also|in{_SP}+a{_SP}+statement|on{_SP}+{_DAY}),?)*{_SP}+that{_SP}+"
    rf"(?:(?:the|a|an|[A-Z][\w\-]*){_SP}+)*[A-Z]")
_OF_BEFORE_RE = re.compile(r"[ \xa0]+(?:of|from|at)[ \xa0]+(?:the[ \xa0]+)?$")
_OF_AFTER_RE = re.compile(r"[ \xa0]+(?:of|from|at)[ \xa0]+(?:the[ \xa0]+)?(?=[A-Z])")
_DETERMINERS = ("the ", "The ", "a ", "A ", "an ", "An ", "the\xa0", "The\xa0", "a\xa0", "an\xa0")
_NOUN_LIKE_PLURALS = frozenset(word + "s" for word in lex.NOUN_LIKE_BASE_FORMS) | frozenset(
    "speeches remarks praises".split())
_DETERMINER_BEFORE_RE = re.compile(r"(?<![\w’'])(?:[Tt]he|[Aa]n?)[ \xa0]$")
_NOUN_AFTER_RE = re.compile(r"[ \xa0]+([a-z][a-z\-]*)")
_DESCRIPTION_NOUNS = (lex.TITLE_WORDS | lex.PERSON_NOUNS | lex.GROUP_NOUNS | lex.AFFILIATION_HEADS
                      | lex.ORG_ANAPHORS | lex.DESCRIPTION_NOUNS)
_GENDERED_PRONOUN_RE = re.compile(r"(?<![\w’'])(he|his|him|she|her|hers)(?![\w’'])|[.!?][ \xa0]")
_SENTENCE_PRONOUN_RE = re.compile(r"[ \xa0“\"]*(He|She|They|It)\b")


def _fold(text: str) -> str:
    """Case- and accent-insensitive form of a name word."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


# ---------------------------------------------------------------------------------------
# Name mentions
# ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Mention:
    """One name in the article: a person or an organisation."""

    paragraph: int
    start: int          # of the whole capitalised run (title included)
    end: int            # end of the run (possessive included)
    name: str           # title-free name as written
    key: str            # folded last word: the surname of a person
    is_org: bool
    gender: str | None  # "M", "F" or None
    words: int          # number of words in ``name``
    titled: bool = False
    subject: bool = False           # sentence-initial, or subject of a reporting verb
    clause_subject: bool = False    # also: opens a clause and a verb follows
    in_quote: bool = False
    possessive: bool = False
    person: bool = False
    speaker: bool = False
    in_content: bool = False        # inside reported speech ("X said that Y ...")
    modifier: bool = False          # modifies a noun after a determiner: "the Florida senator"


def _core(word: str) -> tuple[str, bool]:
    """A run word without its possessive ending, and whether it had one."""
    if word.endswith(("’s", "'s")):
        return word[:-2], True
    return word, False


def _is_title(word: str) -> bool:
    return _fold(word.rstrip(".")) in lex.TITLE_WORDS


def _is_org_word(word: str) -> bool:
    return _fold(word) in lex.ORG_HEADS or (len(word) >= 2 and word.isupper() and word.isalpha()) \
        or word.endswith((".com", ".org", ".net")) \
        or (_DOTTED_ACRONYM_RE.fullmatch(word) is not None and word not in _DOTTED_PLACES)


@dataclass(slots=True)
class _Article:
    """What the attribution of one article reads and accumulates."""

    paragraphs: Sequence[str]
    text: str
    mentions: list[list[_Mention]] = field(default_factory=list)
    by_end: list[dict[int, _Mention]] = field(default_factory=list)
    sentence_starts: list[list[int]] = field(default_factory=list)
    quotes: list[tuple[list[tuple[int, int]], bool]] = field(default_factory=list)
    full_names: dict[str, list[_Mention]] = field(default_factory=dict)
    statement_org: str | None = None
    last_group_source: tuple[int, str | None] | None = None
    common_here: dict[str, bool] = field(default_factory=dict)
    person_keys: set[str] = field(default_factory=set)

    def is_common_word(self, word: str) -> bool:
        """Is a sentence-initial capitalised word a common word in this article: in the list
        of common openers or written in lower case somewhere, and never capitalised
        mid-sentence?"""
        known = self.common_here.get(word)
        if known is None:
            low = word.lower()
            common = low in lex.COMMON_SENTENCE_STARTS or low.endswith(("ing", "ly")) or (
                _occurs(self.text, low, lambda before: True))
            if common and _occurs(self.text, word, lambda before: before in _MID_SENTENCE):
                common = False          # capitalised mid-sentence too: a name
            known = self.common_here[word] = common
        return known


# Single capitalised words that are never a name on their own ("The", "But", "Officials").
_NEVER_NAMES = frozenset(w.capitalize() for w in lex.NOT_NAMES
                         if w not in ("mr", "mrs", "ms", "dr")) | {"I", "A"}
_MID_SENTENCE = frozenset("abcdefghijklmnopqrstuvwxyz,")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789’'-")


def _occurs(text: str, word: str, accept) -> bool:
    """Does ``word`` occur as a whole word in ``text`` where ``accept(character two places
    before it)`` holds?"""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or text[at - 1] not in _WORD_CHARS) and \
                (end == len(text) or text[end] not in _WORD_CHARS) and \
                accept(text[at - 2] if at >= 2 else ""):
            return True
        at = text.find(word, end)
    return False


_NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
_HONORIFICS = frozenset("mr mrs ms miss dr prof rev sen rep gov senator representative governor".split())


def _first_name_before(words: list[str]) -> bool:
    """Is the word before the last a known first name ("Theresa May")?"""
    if len(words) < 2:
        return False
    first = _fold(words[-2])
    return first in lex.MALE_FIRST_NAMES or first in lex.FEMALE_FIRST_NAMES


# Name runs analysed and remembered: a news corpus has tens of thousands of distinct runs (BBC:
# about 22,000), and a run evicted before it recurs is analysed again; an entry is ~230 bytes.
_RUN_CACHE_SIZE = 65536


@functools.lru_cache(maxsize=_RUN_CACHE_SIZE)
def _analyse_run(run: str) -> tuple | None:
    """The name a capitalised run gives, without article context: (name, key, is_org,
    gender, words, titled, possessive), or None.  Titles, honorifics, leading function
    words, dates and party tags are stripped."""
    words = run.split()
    for i, w in enumerate(words[:-1]):          # "Trump’s Chief Strategist X": keep X
        if w.endswith(("’s", "'s")):
            words = words[i + 1:]
            break
    last, possessive = _core(words[-1])
    words[-1] = last
    title_dropped = False
    while words:
        low = _fold(words[0].rstrip("."))
        if low in lex.NOT_NAMES and not (low in ("mr", "mrs", "ms") and len(words) > 1):
            words.pop(0)
            title_dropped = title_dropped or low in lex.TITLE_WORDS
        else:
            break
    while len(words) > 1 and _fold(words[-1].rstrip(".,")) in _NAME_SUFFIXES:
        words.pop()                             # "James B. Comey Jr."
    while words and _fold(words[-1]) in lex.MONTHS_AND_DAYS and not _first_name_before(words):
        words.pop()                             # "Tuesday", but not "Theresa May"
    while words and _fold(words[0]) in lex.MONTHS_AND_DAYS:
        words.pop(0)
    if not words or _PARTY_TAG_RE.match(words[0]) or \
            all(_fold(w) in lex.GROUP_WORDS for w in words):
        return None
    gender, titled = None, title_dropped        # "Senator Jane Roe"
    is_org = _is_org_word(words[-1])
    if not is_org:
        folded = [_fold(w.rstrip(".")) for w in words]
        title_at = max((i for i, low in enumerate(folded) if low in lex.TITLE_WORDS), default=-1)
        if title_at == len(words) - 1 and title_at > 0 and folded[title_at - 1] in _HONORIFICS:
            title_at -= 1                       # "Mr. King", "Sen. Judge": a surname
        if title_at >= 0:
            for low in folded[:title_at + 1]:
                if low in lex.MALE_HONORIFICS:
                    gender = "M"
                elif low in lex.FEMALE_HONORIFICS:
                    gender = "F"
            if title_at < len(words) - 1:
                words = words[title_at + 1:]
                folded = folded[title_at + 1:]
                titled = True
            elif title_at == 0 or folded[title_at - 1] in lex.TITLE_WORDS or (
                    folded[0] not in lex.MALE_FIRST_NAMES
                    and folded[0] not in lex.FEMALE_FIRST_NAMES
                    and all(w[:1].isupper() and w[1:].islower() for w in words)
                    and folded[title_at - 1] in _TITLE_MODIFIERS):
                return None                     # a bare title, "Assistant Managing Editor"
        if "." in words[-1][:-1] or len(words[-1]) < 2 or words[-1].endswith("."):
            return None                         # initials, "U.S."
        if gender is None and len(words) >= 2:
            if folded[0] in lex.MALE_FIRST_NAMES:
                gender = "M"
            elif folded[0] in lex.FEMALE_FIRST_NAMES:
                gender = "F"
    return (" ".join(words), _fold(words[-1].rstrip(".")), is_org, gender, len(words), titled,
            possessive)


def _read_run(run: str, start: int, paragraph: int, sentence_initial: bool,
              article: _Article) -> _Mention | None:
    """Turn one capitalised run into a mention, or None if it names nobody.  A common word
    opening a sentence ("Officials", "Asked") is dropped first."""
    if sentence_initial:
        while True:
            first, _, rest = run.partition(" ")
            bare = first.rstrip(".")
            if not bare or bare.lower() in lex.TITLE_WORDS or not article.is_common_word(bare):
                break
            if not rest:
                return None
            run, start = rest.lstrip(" \xa0"), start + len(run) - len(rest.lstrip(" \xa0"))
    analysed = _analyse_run(run)
    if analysed is None:
        return None
    name, key, is_org, gender, words, titled, possessive = analysed
    return _Mention(paragraph, start, start + len(run), name, key, is_org, gender, words,
                    titled=titled, possessive=possessive)


def _ends_in_abbreviation(text: str, period: int) -> bool:
    """Does the word before the period at ``period`` abbreviate ("Mr.", "Sept.", "D.C.")?  A
    word ending in a small letter can only be one of the listed abbreviations, which is
    checked without the regular expression."""
    before = period - 1
    if before < 0 or not text[before].isalpha():
        return False
    if text[before].islower():
        start = before
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        return text[start:period] in _LOWER_ENDING_ABBREVIATIONS
    return _ABBREVIATION_END_RE.search(text, max(0, period - 12), period) is not None


def _sentence_starts(text: str) -> list[int]:
    """Offsets where sentences (or ;/: clauses) start in a paragraph."""
    starts = [0]
    dateline = _DATELINE_RE.match(text)
    if dateline is not None:            # "HARBOR CITY, Ore. (AP) — ..."
        starts.append(dateline.end())
    for m in _SENTENCE_END_RE.finditer(text):
        end = m.end()
        if end < len(text) and not (text[end].isalnum() or text[end] in "“\"‘'("):
            continue
        if m.group(1) == "." and _ends_in_abbreviation(text, m.start(1)) \
                and not _OPENER_RE.match(text, end):    # "... in Washington D.C. He said"
            continue
        starts.append(end)
    return sorted(set(starts)) if dateline is not None else starts


def _quote_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Quoted regions of a paragraph and whether a quotation is left open at its end."""
    if '"' not in text and "“" not in text and "”" not in text and "''" not in text \
            and "``" not in text:
        return [], False
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for m in _QUOTE_MARK_RE.finditer(text):
        mark = m.group()
        if mark in ("“", "``"):
            if opened is None:
                opened = m.start()
            elif m.start() > 0 and text[m.start() - 1] in ",.!?" \
                    and text[m.end():m.end() + 1] in (" ", "\xa0", ""):
                spans.append((opened, m.end()))     # "…,“ said X": a mistyped closing mark
                opened = None
        elif mark == "”":
            if opened is not None:
                spans.append((opened, m.end()))
            elif m.start() > 0 and text[m.start() - 1] in " \xa0(" \
                    and text[m.end():m.end() + 1].isalnum():
                opened = m.start()              # ' ”word': a mistyped opening mark
                continue
            elif spans:                         # closes a quotation with a nested one
                spans[-1] = (spans[-1][0], m.end())
            else:                               # a quotation continued from before
                spans.append((0, m.end()))
            opened = None
        elif opened is None:                       # straight marks alternate
            opened = m.start()
        else:
            spans.append((opened, m.end()))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
        return spans, True
    return spans, False


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    for s, e in spans:
        if s < pos < e:
            return True
    return False


def _read_article(paragraphs: Sequence[str]) -> _Article:
    """First pass: every name mention of the article, with the per-name indexes."""
    article = _Article(paragraphs, "\n".join(paragraphs))
    votes: dict[str, set[str]] = {}
    for i, p in enumerate(paragraphs):
        quotes = _quote_spans(p)
        article.quotes.append(quotes)
        sentence_starts = _sentence_starts(p)
        article.sentence_starts.append(sentence_starts)
        starts = set(sentence_starts)
        dateline = _DATELINE_RE.match(p)
        dateline_end = dateline.end() if dateline is not None else 0
        mentions: list[_Mention] = []
        for m in _NAME_RUN_RE.finditer(p):
            run = m.group()
            if run in _NEVER_NAMES:
                continue
            start = m.start()
            cut = bisect.bisect_right(sentence_starts, start)
            if cut < len(sentence_starts) and sentence_starts[cut] < m.end():
                run = run[:sentence_starts[cut] - start].rstrip(" \xa0")  # "D.C. He"
            initial = start in starts or (start > 0 and p[start - 1] in "“\"‘'(" and (
                start - 1 in starts or start == 1))
            if initial and " " not in run and run.endswith(("ed", "ing")) \
                    and _PARTICIPLE_FOLLOWER_RE.match(p, m.end()):
                continue                # "Chastened, ...", "Chastened by ...": a participle
            mention = _read_run(run, start, i, initial, article)
            if mention is None:
                continue
            mention.in_quote = bool(quotes[0]) and _inside(quotes[0], start)
            governed = mention.start > start and \
                p[start:mention.start].split()[-1].lower() in _OPENING_PREPOSITIONS
            if p.endswith(_DETERMINERS, max(0, mention.start - 4), mention.start) \
                    and _DETERMINER_BEFORE_RE.search(p, max(0, mention.start - 4), mention.start):
                noun = _NOUN_AFTER_RE.match(p, mention.end)
                mention.modifier = noun is not None and noun.group(1) in _DESCRIPTION_NOUNS
            if mention.start < dateline_end:
                mention.modifier = True         # the place of a dateline
            if mention.modifier or governed:    # "the Florida senator", "In Honolulu, he"
                mention.subject = mention.clause_subject = False
            elif not mention.is_org and not mention.possessive:
                mention.subject = initial or _SAID_AFTER_RE.match(p, mention.end) is not None
                mention.clause_subject = mention.subject or (
                    bool(_VERB_AFTER_RE.match(p, mention.end))
                    and bool(_CLAUSE_OPENING_RE.search(p, max(0, start - 12), start)))
            else:
                mention.subject = mention.clause_subject = initial
            mentions.append(mention)
        article.mentions.append(mentions)
        article.by_end.append({m.end: m for m in mentions})
        _vote_genders(p, mentions, quotes[0], votes)
    _classify_people(article, votes)
    return article


def _vote_genders(text: str, mentions: list[_Mention], quotes: list[tuple[int, int]],
                  votes: dict[str, set[str]]) -> None:
    """"Belousov noted his ...": the first he/she pronoun after a subject mention, in the
    same sentence and before any other name, tells that person's gender."""
    for k, m in enumerate(mentions):
        if not m.clause_subject or m.in_quote or m.is_org or m.gender is not None:
            continue
        stop = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
        pronoun = _GENDERED_PRONOUN_RE.search(text, m.end, min(stop, m.end + 160))
        if pronoun is not None and pronoun.group(1) and not _inside(quotes, pronoun.start()):
            male = pronoun.group(1) in ("he", "his", "him")
            votes.setdefault(m.key, set()).add("M" if male else "F")


def _is_adverb(word: str) -> bool:
    """A lower-case -ly adverb ("eventually", "loudly"), which may stand between a subject and
    its verb."""
    return len(word) > 4 and word.endswith("ly") and word.islower() and word.isalpha() \
        and word not in _NOT_ADVERBS


def _classify_people(article: _Article, votes: dict[str, set[str]]) -> None:
    """Mark person mentions, index full names and spread genders to surname mentions."""
    person_keys = article.person_keys
    for mentions in article.mentions:
        for m in mentions:
            if m.is_org:
                continue
            first = m.name.split(" ", 1)[0].lower()
            if m.titled or m.gender is not None or (
                    m.words >= 2 and (first in lex.MALE_FIRST_NAMES or
                                      first in lex.FEMALE_FIRST_NAMES)):
                person_keys.add(m.key)
            if m.words >= 2:
                article.full_names.setdefault(m.key, []).append(m)
    latest: dict[str, str | None] = {}
    for mentions in article.mentions:
        for m in mentions:
            if m.is_org:
                continue
            if m.key in person_keys:
                m.person = True
            if m.gender is None and len(votes.get(m.key, ())) == 1:
                m.gender = next(iter(votes[m.key]))     # a vote genders, but makes no person
            if m.words >= 2 or m.gender is not None:
                latest[m.key] = m.gender
            elif m.key in latest:
                m.gender = latest[m.key]


# ---------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------

def _fullest_name(article: _Article, mention: _Mention) -> str:
    """The fullest form the article gives of a person's name."""
    if mention.is_org:
        return mention.name
    fulls = article.full_names.get(mention.key)
    if not fulls:
        return mention.name
    chosen = fulls[0]
    for f in fulls:
        if (f.paragraph, f.start) > (mention.paragraph, mention.start):
            break
        chosen = f
    first = chosen.name.split()[0]
    best = chosen.name
    for f in fulls:
        if len(f.name) > len(best) and f.name.split()[0] == first:
            best = f.name
    return best if len(best) >= len(mention.name) else mention.name


def _after_the(text: str, start: int) -> bool:
    """Does "the" stand just before ``start`` ("The New Yorker")?"""
    return text.endswith(("the ", "The ", "the\xa0", "The\xa0"), max(0, start - 4), start)


def _resolve_personal_pronoun(article: _Article, paragraph: int, pos: int,
                              pronoun: str) -> _Mention | None:
    """The latest earlier person compatible with he/she, preferring subjects."""
    want = "M" if pronoun == "he" else "F"
    fallback = None
    for i in range(paragraph, max(-1, paragraph - 15), -1):
        for m in reversed(article.mentions[i]):
            if i == paragraph and m.end > pos:
                continue
            if not (m.person or m.speaker) or ((m.in_quote or m.in_content) and not m.speaker) \
                    or m.is_org or m.modifier \
                    or not m.person and (_fold(m.name.rsplit(" ", 1)[-1]) in lex.GROUP_WORDS
                                         or _after_the(article.paragraphs[i], m.start)):
                continue                # not "the Oregon Republican", "The New Yorker"
            if m.gender is not None and m.gender != want:
                continue
            if fallback is None:
                fallback = m
            if m.subject or m.speaker:
                return m
            if paragraph - i > 2:
                return fallback
    return fallback


# ---------------------------------------------------------------------------------------
# Finding the source of one cue
# ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Found:
    """Speakers found in one paragraph, in text order, unique by name key."""

    names: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    rules: list[str] = field(default_factory=list)

    def add(self, name: str, key: str, rule: str) -> None:
        if key not in self.keys:
            self.keys.add(key)
            self.names.append(name)
            self.rules.append(rule)


@dataclass(slots=True)
class _Cue:
    """One reporting cue in a paragraph and the clause text before it."""

    paragraph: int
    text: str
    word: str
    start: int
    end: int
    left_start: int
    sentence_start: int


def _add_mention(article: _Article, mention: _Mention, found: _Found, rule: str) -> None:
    mention.speaker = True
    found.add(_fullest_name(article, mention), mention.key, rule)
    if mention.is_org:
        article.last_group_source = (mention.paragraph, mention.name)


def _mention_at(article: _Article, i: int, pos: int) -> _Mention | None:
    """The mention whose run covers ``pos``."""
    for m in article.mentions[i]:
        if m.start <= pos < m.end:
            return m
        if m.start > pos:
            break
    return None


def _last_word(text: str, start: int, end: int) -> str:
    """The last space-separated word of ``text[start:end]``."""
    cut = max(text.rfind(" ", start, end), text.rfind("\xa0", start, end),
              text.rfind("\n", start, end))
    return text[max(cut + 1, start):end]


_TAIL_TRIGGERS = frozenset("others other alike together both all each particular".split())


def _strip_between(text: str, left_start: int, end: int) -> int:
    """Move ``end`` back over adverbs, auxiliaries, dates and parentheticals that may stand
    between a subject and its verb ("Trump (R) has also said" → after "Trump")."""
    while True:
        while end > left_start and text[end - 1] in " \xa0\n":
            end -= 1
        word = _last_word(text, left_start, end)
        if not word:
            return end
        if word[-1] == ")" or word.lower() in _BETWEEN_TRIGGERS or word[:1] in "’'" \
                or (len(word) == 4 and word.isdigit()) \
                or word.endswith(("’s", "'s", "’d", "'d", "’ve", "'ve", "’ll", "'ll")):
            between = _BETWEEN_RE.search(text, max(left_start, end - _TAIL_WINDOW), end)
            if between is None or between.start() >= end:
                return end
            end = between.start()
            continue
        if _is_adverb(word):            # "Jane Roe eventually said"
            end -= len(word)
            continue
        if word.endswith(","):          # "Jane Roe, for example, said"
            aside = _ASIDE_RE.search(text, max(left_start, end - 40), end)
            if aside is not None:
                end = aside.start()
                continue
        if word.lower() in _TAIL_TRIGGERS or "other" in text[max(left_start, end - 60):end]:
            others = _TAIL_OTHERS_RE.search(text, max(left_start, end - _TAIL_WINDOW), end)
            if others is not None and others.start() < end:
                end = others.start()
                continue
        return end


def _subject_before(article: _Article, cue: _Cue, end: int, found: _Found) -> bool:
    """Find the subject ending just before ``end``; True if a source (named or not) was found."""
    text, i, left_start = cue.text, cue.paragraph, cue.left_start
    end = _strip_between(text, left_start, end)
    if end <= left_start:
        return False
    if (cue.word.endswith("ed") or cue.word in _IRREGULAR_PARTICIPLES) \
            and cue.word not in lex.COGNITIVE_VERBS and cue.word not in _ADJECTIVAL_PARTICIPLES \
            and _PASSIVE_RE.search(text, end, cue.start) and not text.startswith(" to ", cue.end) \
            and not text.startswith(" as saying", cue.end):      # "Roe is quoted as saying"
        return _passive_agent(article, cue, found)     # "Jane Roe was asked (by X)"
    mention = article.by_end[i].get(end)
    if mention is not None and mention.start >= left_start:
        if mention.possessive or mention.in_quote:
            return False
        if cue.word in lex.NOUN_LIKE_BASE_FORMS and not text[end:cue.start].strip() \
                and not text.endswith((" and ", " & "), left_start, mention.start):
            return False                # "the AP report", not a verb
        if cue.word in _NOUN_LIKE_PLURALS and not text[end:cue.start].strip() \
                and not mention.is_org and not mention.person \
                and _DETERMINER_BEFORE_RE.search(text, max(left_start, mention.start - 4),
                                                 mention.start):
            return False                # "the Paris attacks", not a verb
        if cue.word in lex.FINDING_VERBS and _REFLEXIVE_RE.match(text, cue.end):
            return False                # "the bank has found itself at the centre"
        absolute = cue.word.endswith("ing") and _WITH_BEFORE_RE.search(
            text, max(left_start, mention.start - 6), mention.start)   # "with Roe calling it"
        if not absolute and (_governed_by_preposition(article, cue, mention)
                             or _in_place_chain(article, i, mention)):
            head = _head_of_place_phrase(article, cue, mention)
            if head is None:
                return _complement_subject(article, cue, mention, found) \
                    or _unclosed_appositive(article, cue, found)
            if _governed_by_preposition(article, cue, head):
                return False
            mention = head                  # "Senator Jane Roe of Ohio said"
        if cue.word in lex.FINDING_VERBS and (mention.person or mention.gender):
            return False
        _add_mention(article, mention, found, "subject")
        _coordinated(article, cue, mention.start, found)
        return True
    last = _last_word(text, left_start, end)
    low = last.lower()
    if low in ("he", "she", "they", "it", "who", "which"):
        return _pronoun_source(article, cue, end - len(last), low, found)
    if last.endswith((",", "—", "–", "--")):
        return _appositive_subject(article, cue, end, found)
    tail = text[max(left_start, end - _TAIL_WINDOW):end]
    if low in _AFFILIATION_TRIGGERS:
        affiliation = _TAIL_AFFILIATION_RE.search(tail)
        if affiliation is not None:
            return _affiliation_source(article, cue, affiliation, found)
    if low.endswith("s") and _companions_subject(article, cue, end, found):
        return True                     # "Jane Roe and her allies say"
    if low in lex.ORG_ANAPHORS:
        anaphor = _TAIL_ORG_ANAPHOR_RE.search(tail)
        if anaphor is not None:
            org = _resolve_org_anaphor(article, i, anaphor.group(1))
            if org is not None:
                found.add(org, _fold(org.split()[-1]), "org-anaphor")
            article.last_group_source = (i, org)
            return True
    if low in ("and", "but") and _TAIL_COORDINATED_VERB_RE.search(tail):
        return _sentence_subject(article, cue, found) \
            or _nearest_clause_subject(article, cue, found)  # "X overruled and said"
    if cue.word in _DOCUMENT_VERBS and _document_subject(article, cue, found):
        return True                     # "A Harbor Gazette poll out Monday showed"
    if last[-1:].isalpha() and last[-1:].islower():
        article.last_group_source = (i, None)   # "officials said": an unnamed source
    return False


def _companions_subject(article: _Article, cue: _Cue, end: int, found: _Found) -> bool:
    """"Jane Roe and her allies say", "the X Party and some experts have alleged": the name
    coordinated with an unnamed group is a source."""
    companions = _TAIL_COMPANIONS_RE.search(cue.text, max(cue.left_start, end - _TAIL_WINDOW), end)
    if companions is None:
        return False
    mention = next((m for m in article.mentions[cue.paragraph] if m.start >= companions.start()),
                   None)
    if mention is None or mention.in_quote \
            or cue.text[companions.start():mention.start] not in ("", "The ", "the ") \
            or mention.possessive or not (mention.person or mention.is_org or mention.words >= 2) \
            or _governed_by_preposition(article, cue, mention):
        return False
    _add_mention(article, mention, found, "subject")
    return True


def _passive_agent(article: _Article, cue: _Cue, found: _Found) -> bool:
    """A passive cue: the source is the agent after "by" ("the meeting was first reported
    by the Harbor Times"), not the subject."""
    agent = _PASSIVE_AGENT_RE.match(cue.text, cue.end)
    if agent is None:
        return False
    mention = _mention_at(article, cue.paragraph, agent.end())
    if mention is None or mention.start != agent.end() or mention.possessive \
            or mention.in_quote or (agent.group(1) and not mention.person):
        return False                    # "asked by host Jane Roe": a described person only
    mention = _named_role_holder(article, cue.paragraph, mention) or mention
    complement = _org_complement(article, cue.paragraph, mention)
    if complement is not None:
        found.add(complement[0], complement[1], "passive-agent")
    else:
        _add_mention(article, mention, found, "passive-agent")
    return True


def _named_role_holder(article: _Article, i: int, owner: _Mention) -> _Mention | None:
    """"the X Network moderator Jane Roe": the person named after an outlet and a role."""
    role = _ROLE_AFTER_OWNER_RE.match(article.paragraphs[i], owner.end)
    if role is None:
        return None
    holder = _mention_at(article, i, role.end())
    if holder is None or holder.start != role.end() or holder.possessive or holder.is_org \
            or not (holder.person or holder.words >= 2):
        return None
    return holder


def _document_subject(article: _Article, cue: _Cue, found: _Found) -> bool:
    """"A Harbor Gazette poll of likely voters released Tuesday showed ...": a named poll,
    survey or record set opening the clause, with post-modifiers before its verb."""
    doc = _DOCUMENT_SUBJECT_RE.match(cue.text, cue.left_start, cue.start)
    if doc is None or _CLAUSE_PUNCTUATION_RE.search(cue.text, doc.end(), cue.start):
        return False
    owner = _document_owner(article, cue.paragraph, doc)
    if owner is None:
        return False
    name = f"{doc.group(1)} {doc.group(2)}"
    found.add(name, owner.key, "document")
    article.last_group_source = (cue.paragraph, name)
    return True


def _document_owner(article: _Article, i: int, doc: re.Match[str]) -> _Mention | None:
    """Who made the poll or study that ``doc`` names: not a party word ("Republican
    polls"), a state ("Iowa polls") or a common word opening the sentence ("Did")."""
    initial = doc.start(1) in article.sentence_starts[i]
    owner = _read_run(doc.group(1), doc.start(1), i, initial, article)
    if owner is None or _fold(owner.name.split()[0]) in lex.GROUP_WORDS \
            or _fold(owner.name) in lex.US_STATES:
        return None
    return owner


def _governed_by_preposition(article: _Article, cue: _Cue, mention: _Mention) -> bool:
    """"a spokesman for Trump", "strategists for Obama and Clinton": not the subject."""
    text = cue.text
    start = mention.start
    listed = False                      # a list "A, B and C" is read only after its "and"
    for _ in range(4):
        if _PREPOSITION_BEFORE_RE.search(text, max(cue.left_start, start - 30), start):
            return True
        before = text[cue.left_start:start]
        for joint in (" and ", " & ", ", "):
            if before.endswith(joint) and (listed or joint != ", "):
                prev = article.by_end[cue.paragraph].get(start - len(joint))
                listed = True
                break
        else:
            return False
        if prev is None:
            return False
        if not prev.person:             # "Roe of Georgia and Berg": continue from Roe
            prev = _head_of_place_phrase(article, cue, prev) or prev
        start = prev.start
    return False


def _head_of_place_phrase(article: _Article, cue: _Cue, mention: _Mention) -> _Mention | None:
    """"Senator Jane Roe of Ohio", "Jane Roe of Acme University", "a delegate from Dayton,
    Ohio": the person a place or institution phrase is attached to, if a person."""
    text, i = cue.text, cue.paragraph
    for _ in range(3):
        joint = _OF_BEFORE_RE.search(text, max(cue.left_start, mention.start - 12), mention.start)
        if joint is None:
            complement = _COMPLEMENT_BEFORE_RE.search(text, max(cue.left_start, mention.start - 12),
                                                      mention.start)
            owner = article.by_end[i].get(complement.start()) if complement is not None else None
            if owner is not None and owner.start >= cue.left_start and not owner.person \
                    and _fold(owner.name.rsplit(" ", 1)[-1]) in lex.COMPLEMENT_HEADS:
                mention = owner         # "Jane Roe of the X Center for Y Studies"
                continue
            if not text.endswith(", ", cue.left_start, mention.start):
                return None
            prev = article.by_end[i].get(mention.start - 2)     # "Dayton, Ohio"
            if prev is None or prev.person or prev.possessive or prev.start < cue.left_start:
                return None
            mention = prev
            continue
        head = article.by_end[i].get(joint.start())
        if head is None or head.start < cue.left_start or head.possessive or head.in_quote:
            return None
        if head.is_org or not head.person and not (
                head.words >= 2 and _SUBJECT_OPENING_RE.fullmatch(text, cue.left_start,
                                                                  head.start)):
            mention = head              # "Jane Roe of the X Council of Ohio"
            continue
        return head                     # a person, or a full name opening the clause
    return None


def _complement_subject(article: _Article, cue: _Cue, mention: _Mention, found: _Found) -> bool:
    """"the Bureau of Labor Statistics said": an organisation continued by of/for/on."""
    text, i = cue.text, cue.paragraph
    joint = _COMPLEMENT_BEFORE_RE.search(text, max(cue.left_start, mention.start - 12),
                                         mention.start)
    if joint is None:
        return False
    head = article.by_end[i].get(joint.start())
    while head is not None and head.start >= cue.left_start:
        complement = _org_complement(article, i, head)
        if complement is None or complement[1] != mention.key:
            return False
        joint = _COMPLEMENT_BEFORE_RE.search(text, max(cue.left_start, head.start - 12),
                                             head.start)
        if joint is None:
            if not _SUBJECT_OPENING_RE.fullmatch(text, cue.left_start, head.start) \
                    and not _AFTER_OPENING_RE.search(text, max(cue.left_start, head.start - 8),
                                                     head.start):
                return False                # "a poll by the Institute of X showed"
            found.add(complement[0], complement[1], "subject-org")
            article.last_group_source = (i, complement[0])
            return True
        head = article.by_end[i].get(joint.start())      # "Department of X of Y"
    return False


def _unclosed_appositive(article: _Article, cue: _Cue, found: _Found) -> bool:
    """"Jane Roe, the director of the Harbor Institute said": a person opening the clause,
    with an appositive whose closing comma is missing."""
    for m in article.mentions[cue.paragraph]:
        if m.start < cue.left_start or m.in_quote:
            continue
        if m.start >= cue.start or m.possessive or not m.person \
                or not _SUBJECT_OPENING_RE.fullmatch(cue.text, cue.left_start, m.start) \
                or not _UNCLOSED_APPOSITIVE_RE.match(cue.text, m.end) \
                or "," in cue.text[m.end + 1:cue.start]:
            return False
        _add_mention(article, m, found, "appositive-head")
        return True
    return False


def _affiliation_source(article: _Article, cue: _Cue, match: re.Match[str],
                        found: _Found) -> bool:
    """"the Clinton campaign said", "Trump’s campaign said", "Sanders aides say"."""
    owner = match.group(1) or match.group(3) or match.group(5)
    head = match.group(2) or match.group(4) or match.group(6)
    owner_mention = _read_run(owner, 0, cue.paragraph, False, article)
    if owner_mention is None and head in _STATE_HEADS and " " not in owner \
            and _fold(owner) in lex.GROUP_WORDS:
        name = f"the {owner} {head}"          # "the Turkish government said"
        found.add(name, _fold(owner), "affiliation")
        article.last_group_source = (cue.paragraph, name)
        return True
    if owner_mention is None or _fold(owner_mention.name.split()[0]) in lex.GROUP_WORDS:
        return False
    if match.group(6):
        name = f"{owner_mention.name} {head}"
    else:
        name = f"the {owner_mention.name} {head}"
    found.add(name, owner_mention.key, "affiliation")
    article.last_group_source = (cue.paragraph, name)
    return True


def _coordinated(article: _Article, cue: _Cue, start: int, found: _Found) -> None:
    """Add the names coordinated before a subject ("Trump and Clinton said", "A (D-Ore.),
    B (D-Ohio) and C said")."""
    text, i = cue.text, cue.paragraph
    joints = (" and", " &")
    head = _mention_at(article, i, start)
    group = [_fullest_name(article, head)] if head is not None and not head.is_org else []
    for _ in range(6):
        end = _coordination_bridge(article, i, text, cue.left_start, start)
        if not text.endswith(joints, cue.left_start, end):
            break
        end -= next(len(j) for j in joints if text.endswith(j, cue.left_start, end))
        if text.endswith(",", cue.left_start, end) and joints != (",",):
            end -= 1                    # the serial comma of "A, B, and C"
        end = _strip_parenthetical(text, cue.left_start, end)
        prev = article.by_end[i].get(end)
        if prev is not None and not prev.person and prev.start >= cue.left_start:
            prev = _head_of_place_phrase(article, cue, prev) or prev  # "Roe of Ohio and Berg"
        if prev is None or prev.start < cue.left_start or prev.possessive \
                or not prev.person and _PREPOSITION_BEFORE_RE.search(
                    text, max(cue.left_start, prev.start - 30), prev.start):
            break                       # not "Republican of Iowa, and Berg"
        _add_mention(article, prev, found, "coordinated")
        group.insert(0, _fullest_name(article, prev))
        start, joints = prev.start, (",",)
    if len(group) >= 2:                 # "they" may refer back to "Roe and Berg"
        article.last_group_source = (i, " and ".join(group))


def _coordination_bridge(article: _Article, i: int, text: str, left_start: int, start: int) -> int:
    """Move ``start`` back over what may stand between "and" and a coordinated name: spaces,
    "the", "former", "co-host" ("A and the X Journal", "A and former Gov. B") and an
    outlet's possessive ("A and Harbour Radio’ B")."""
    end = start
    while True:
        while end > left_start and text[end - 1] in " \xa0":
            end -= 1
        word = _BRIDGE_WORD_RE.search(text, max(left_start, end - 12), end)
        if word is not None:
            end = word.start()
            continue
        if end > left_start and text[end - 1] in "’'":
            owner = article.by_end[i].get(end - 1)
            if owner is not None and owner.start >= left_start:
                end = owner.start
                continue
        return end


def _strip_parenthetical(text: str, left_start: int, end: int) -> int:
    """Move ``end`` back over spaces and one parenthetical ("Roe (D-Ore.)" → after "Roe")."""
    while end > left_start and text[end - 1] in " \xa0":
        end -= 1
    if end > left_start and text[end - 1] == ")":
        opening = text.rfind("(", left_start, end)
        if opening >= 0:
            end = opening
            while end > left_start and text[end - 1] in " \xa0":
                end -= 1
    return end


def _appositive_subject(article: _Article, cue: _Cue, end: int, found: _Found) -> bool:
    """"Camara, who delivered a speech ..., noted" → the name before the appositive;
    "the bureau’s director, James B. Comey, said" → the appositive name."""
    text, i = cue.text, cue.paragraph
    close = end - (2 if text.endswith("--", 0, end) else 1)
    last = article.by_end[i].get(close)
    if last is not None and last.start >= cue.left_start and not last.person:
        last = _head_of_place_phrase(article, cue, last) or last     # "X, Jane Roe of Ohio,"
    if last is not None and last.start >= cue.left_start and not last.possessive \
            and not last.is_org and text[:last.start].rstrip().endswith(",") \
            and not _after_place(article, i, last) and not _relative_head(article, cue, last):
        _add_mention(article, last, found, "appositive-name")
        return True
    for m in article.mentions[i]:
        if m.start < cue.left_start or m.in_quote:
            continue
        if m.end >= close:
            break
        if m.possessive:
            continue
        after_start = m.end
        joint = _OF_AFTER_RE.match(text, m.end)
        if joint is not None and m.person:              # "Jane Roe of Ohio, a ..., said"
            place = article.by_end[i].get(_run_end(article, i, joint.end()))
            if place is not None and place.end < close:
                after_start = place.end
        after = text[after_start:close]
        after_paren = after.lstrip(" \xa0")
        if after_paren.startswith("("):
            shut = after_paren.find(")")
            after_paren = after_paren[shut + 1:] if shut >= 0 else after_paren
        if not after_paren.strip() and after_paren is not after and m.person:
            _add_mention(article, m, found, "appositive-head")   # "Jane Roe (R-Ohio), said"
            _coordinated(article, cue, m.start, found)
            return True
        if not after_paren.startswith((",", "—", "–", "--")):
            continue
        rest = after_paren.lstrip(",—–-")
        if not _APPOSITIVE_START_RE.match(rest):
            continue
        if _PREPOSITION_BEFORE_RE.search(text, max(cue.left_start, m.start - 30), m.start) \
                or _after_place(article, i, m) or _in_opening_phrase(text, cue.left_start, m):
            continue
        _add_mention(article, m, found, "appositive-head")
        _coordinated(article, cue, m.start, found)
        return True
    comma = text.find(",", cue.left_start, close)   # "The Roe campaign, in a statement, said"
    if comma > cue.left_start:
        affiliation = _TAIL_AFFILIATION_RE.search(text, max(cue.left_start, comma - _TAIL_WINDOW),
                                                  comma)
        if affiliation is not None and _SUBJECT_OPENING_RE.fullmatch(
                text, cue.left_start, affiliation.start()):
            return _affiliation_source(article, cue, affiliation, found)
    return False


def _relative_head(article: _Article, cue: _Cue, last: _Mention) -> bool:
    """Does the clause open with a person followed by ", who ..." or ", the ..." before
    ``last`` ("Jane Roe, who lives outside the capital, Dayton, said": the speaker is Jane Roe,
    not Dayton; "Jane Roe, the editor of the paper, the X Gazette, said": Jane Roe)?"""
    for m in article.mentions[cue.paragraph]:
        if m.start < cue.left_start:
            continue
        return m is not last and not m.possessive and not m.is_org \
            and (m.person or m.words >= 2 and not last.person) \
            and _SUBJECT_OPENING_RE.fullmatch(cue.text, cue.left_start, m.start) is not None \
            and _RELATIVE_AFTER_RE.match(cue.text, m.end) is not None
    return False


def _in_opening_phrase(text: str, left_start: int, mention: _Mention) -> bool:
    """"Speaking in Salem, Ohio, Jane Roe ...": a name inside an opening participle or
    prepositional phrase is not the subject."""
    opening = _OPENING_PHRASE_RE.match(text, left_start)
    return opening is not None and mention.start < opening.end() \
        and not _AS_SUBJECT_RE.fullmatch(text, left_start, mention.start)   # "As Roe, a ..., put it"


def _known_person(article: _Article, mention: _Mention) -> bool:
    """A person named with a title, or whose fullest name starts with a known first name."""
    if not mention.person:
        return False
    first = _fold(_fullest_name(article, mention).split(" ", 1)[0])
    return mention.titled or first in lex.MALE_FIRST_NAMES or first in lex.FEMALE_FIRST_NAMES


def _after_place(article: _Article, i: int, mention: _Mention) -> bool:
    """"Dayton, Ohio": a name that follows a place name and a comma (a known person, as in
    "In Dayton, Jane Roe said", is no place)."""
    prev = article.by_end[i].get(mention.start - 2)
    return prev is not None and not prev.person and not prev.is_org \
        and article.paragraphs[i].startswith(", ", mention.start - 2) \
        and not _known_person(article, mention)


def _in_place_chain(article: _Article, i: int, mention: _Mention) -> bool:
    """"Jane Roe of Dayton, Ohio": the second name of a place after "of"/"from"."""
    if not _after_place(article, i, mention):
        return False
    text = article.paragraphs[i]
    prev = article.by_end[i][mention.start - 2]
    starts = article.sentence_starts[i]
    sentence_start = starts[bisect.bisect_right(starts, prev.start) - 1]
    return bool(_OF_BEFORE_RE.search(text, max(0, prev.start - 12), prev.start)) \
        and not _in_opening_phrase(text, sentence_start, prev)    # not "On the subject of X, Y"


def _run_end(article: _Article, i: int, pos: int) -> int:
    """The end of the mention starting at ``pos`` (-1 if none)."""
    m = _mention_at(article, i, pos)
    return m.end if m is not None and m.start == pos else -1


def _pronoun_source(article: _Article, cue: _Cue, pos: int, pronoun: str,
                    found: _Found) -> bool:
    if pronoun in ("he", "she"):
        m = _resolve_personal_pronoun(article, cue.paragraph, pos, pronoun)
        if m is not None:
            m.speaker = True
            found.add(_fullest_name(article, m), m.key, "pronoun")
        return True
    if pronoun in ("who", "which"):
        before = cue.text[cue.left_start:pos].rstrip()
        if pronoun == "which":          # "the Harbor Police Department(,) which reported"
            mention = article.by_end[cue.paragraph].get(cue.left_start + len(before.rstrip(",")))
            if mention is None or not mention.is_org or mention.possessive:
                return False
            complement = _org_complement(article, cue.paragraph, mention)
            if complement is not None:
                found.add(complement[0], complement[1], "relative")
            else:
                _add_mention(article, mention, found, "relative")
            return True
        if not before.endswith(","):    # "the only candidate Roe who has said"
            mention = article.by_end[cue.paragraph].get(cue.left_start + len(before))
            if mention is not None and mention.person and not mention.possessive \
                    and not mention.in_quote:
                _add_mention(article, mention, found, "relative")
                return True
        if before.endswith(","):
            end = cue.left_start + len(before) - 1
            mention = article.by_end[cue.paragraph].get(end)
            if mention is None:         # "Roe, now the county judge, who said"
                aside = _APPOSITIVE_BEFORE_RE.search(cue.text, max(cue.left_start, end - 60), end)
                if aside is not None:
                    mention = article.by_end[cue.paragraph].get(aside.start())
            if mention is not None and not mention.possessive:
                _add_mention(article, mention, found, "relative")
                _coordinated(article, cue, mention.start, found)     # "X and Y, who said"
                return True
        return False
    if article.last_group_source is not None:      # they / it: the latest group source
        para, name = article.last_group_source
        if name is not None and cue.paragraph - para <= 2:
            found.add(name, _fold(name.split()[-1]), "group-pronoun")
    return True


def _resolve_org_anaphor(article: _Article, i: int, head: str) -> str | None:
    """"the ministry" → the latest organisation named "... Ministry"; "the statement" →
    whoever issued the statement."""
    if head == "statement":
        return article.statement_org
    for k in range(i, max(-1, i - 10), -1):
        for m in reversed(article.mentions[k]):
            if m.is_org and m.key == head:
                return m.name
    return None


def _inverted_source(article: _Article, cue: _Cue, found: _Found, allow_pronoun: bool) -> bool:
    """"...,” said Camara" / "said Democratic pollster Stan Greenberg" / "said he"."""
    text, i = cue.text, cue.paragraph
    mentions = article.mentions[i]
    for k, m in enumerate(mentions):
        if m.start < cue.end:
            continue
        if m.start - cue.end > 90:
            break
        gap = _INVERTED_GAP_RE.fullmatch(text, cue.end, m.start)
        if gap is None:
            break
        if m.possessive or not _INVERTED_END_RE.match(text, m.end):
            continue
        if not m.person and k + 1 < len(mentions) and mentions[k + 1].person and \
                not mentions[k + 1].possessive and \
                text.startswith(", ", m.end) and mentions[k + 1].start == m.end + 2:
            continue                    # "said a spokesman for the Ministry, Oleg Voloshyn"
        _add_mention(article, m, found, "inverted")
        return True
    p = _INVERTED_PRONOUN_RE.match(text, cue.end) if allow_pronoun else None
    if p is not None:
        return _pronoun_source(article, cue, cue.end, p.group(1), found)
    return False


def _caused_subject(article: _Article, cue: _Cue, left: str, found: _Found) -> bool:
    """"The leak prompted Jane Roe to accuse ...": the object of a causative verb is the
    subject of the cue after "to"."""
    caused = _CAUSED_SUBJECT_RE.search(left)
    if caused is None:
        return False
    mention = _mention_at(article, cue.paragraph, cue.left_start + caused.start(1))
    if mention is None or mention.possessive or mention.in_quote \
            or mention.start != cue.left_start + caused.start(1):
        return False
    _add_mention(article, mention, found, "caused")
    return True


def _nearest_clause_subject(article: _Article, cue: _Cue, found: _Found) -> bool:
    """"Asked whether ..., Jane Roe shook her head and said": the latest clause subject
    before a coordinated cue."""
    for m in reversed(article.mentions[cue.paragraph]):
        if m.start >= cue.start:
            continue
        if m.start < cue.left_start:
            return False
        if m.clause_subject and not m.in_quote and not m.possessive and not m.is_org \
                and not m.in_content:
            _add_mention(article, m, found, "participle")
            return True
    return False


def _sentence_subject(article: _Article, cue: _Cue, found: _Found) -> bool:
    """The subject at the start of the sentence, for participle cues (", adding that")."""
    for m in article.mentions[cue.paragraph]:
        if m.start < cue.sentence_start:
            continue
        if m.start >= cue.start:
            break
        if m.clause_subject and not m.in_quote and not m.possessive:
            _add_mention(article, m, found, "participle")
            k = article.mentions[cue.paragraph].index(m) + 1
            if k < len(article.mentions[cue.paragraph]):       # "Jane Roe and Rolf Berg ..."
                other = article.mentions[cue.paragraph][k]
                if other.start < cue.start and not other.possessive and not other.is_org \
                        and cue.text[m.end:other.start] in (" and ", " & "):
                    _add_mention(article, other, found, "coordinated")
            return True
        break
    head = _SENTENCE_PRONOUN_RE.match(cue.text, cue.sentence_start, cue.start)
    if head is not None:
        return _pronoun_source(article, cue, cue.sentence_start, head.group(1).lower(), found)
    return False


def _according_to(article: _Article, i: int, text: str, pos: int, found: _Found) -> None:
    """"according to Camara", "according to a CNN/ORC poll", "according to spokeswoman Jane
    Roe", "according to Roe’s memoir", "according to the Center for Public Policy" → the
    named source; "according to him" → the person the pronoun refers to."""
    doc = _DOCUMENT_SUBJECT_RE.match(text, pos)
    if doc is not None:                 # "according to the latest Harbor Gazette average"
        owner = _document_owner(article, i, doc)
        if owner is not None:
            found.add(f"{doc.group(1)} {doc.group(2)}", owner.key, "according-to-document")
            return
    np = _ACCORDING_NP_RE.match(text, pos)
    if np is None:
        return
    head = np.group(1).rstrip()
    start, end = np.start(1), np.start(1) + len(head)
    if head in ("him", "her"):
        person = _resolve_personal_pronoun(article, i, start, "he" if head == "him" else "she")
        if person is not None:
            person.speaker = True
            found.add(_fullest_name(article, person), person.key, "pronoun")
        return
    if _LOWER_START_RE.match(head):
        _according_to_description(article, i, text, start, end, found)
        return
    mention = _mention_at(article, i, start)
    if mention is None:
        return
    if mention.possessive:
        last = head.split()[-1]
        if mention.end < end and last.islower() and _fold(last) not in lex.PERSON_NOUNS \
                and _fold(last) not in lex.TITLE_WORDS:
            _add_mention(article, mention, found, "according-to-owner")   # "Roe’s memoir"
        else:
            named = _mention_at(article, i, end - 1)   # "Roe’s former secretary Jane Berg"
            if named is not None and named.start > mention.end and named.person \
                    and not named.possessive and _LOWER_WORDS_RE.fullmatch(
                        text, mention.end + 1, named.start):
                _add_mention(article, named, found, "according-to")
        return
    if mention.end >= end - 1:
        complement = _org_complement(article, i, mention)
        if complement is not None:
            name, key = complement
            found.add(name, key, "according-to-org")
            return
        _add_mention(article, mention, found, "according-to")
    elif not mention.person:
        found.add(head, _fold(head.split()[-1]) if not head.split()[-1].islower()
                  else mention.key, "according-to-phrase")
    elif head.split()[-1].islower() and _fold(head.split()[-1]) in _AFFILIATION_TRIGGERS:
        found.add(f"the {head}", mention.key, "according-to-affiliation")  # "the Roe campaign"


def _according_to_description(article: _Article, i: int, text: str, start: int, end: int,
                              found: _Found) -> None:
    """"according to campaign manager Jane Roe": a name ending the phrase.  (The author of a
    document, "according to a tally by the Associated Press", is not taken: the source is
    the document.)"""
    for m in article.mentions[i]:
        if m.start < start:
            continue
        if m.start < end and m.end >= end - 1 and not m.possessive \
                and _LOWER_WORDS_RE.fullmatch(text, start, m.start):
            complement = _org_complement(article, i, m)
            if complement is not None:      # "according to the state Bureau of X"
                found.add(complement[0], complement[1], "according-to-org")
            elif not m.is_org and (m.person or m.titled or m.words >= 2):
                _add_mention(article, m, found, "according-to")
        return


def _org_complement(article: _Article, i: int, head: _Mention) -> tuple[str, str] | None:
    """"Center for Responsive Politics", "Bureau of Labor Statistics": an organisation name
    continued by of/for/on and another capitalised run; (full name, key of its last word)."""
    if not head.is_org and _fold(head.name.split()[-1]) not in lex.COMPLEMENT_HEADS:
        return None
    text = article.paragraphs[i]
    end, key = head.end, None
    for _ in range(3):
        if _fold(text[head.start:end].split()[-1]) not in lex.COMPLEMENT_HEADS:
            break
        joint = _COMPLEMENT_RE.match(text, end)
        if joint is None:
            break
        tail = _mention_at(article, i, joint.end())
        if tail is None or tail.start != joint.end() or tail.possessive:
            break
        end, key = tail.end, tail.key
    if key is None:
        return None
    name = text[head.start:end]
    if name.startswith(("The ", "the ")):
        name = name[4:]
    return name, key


# ---------------------------------------------------------------------------------------
# One paragraph
# ---------------------------------------------------------------------------------------

def _attribute_paragraph(article: _Article, i: int) -> tuple[_Found, bool]:
    """Speakers of paragraph ``i`` and whether it leaves a quotation open."""
    text = article.paragraphs[i]
    quotes, left_open = article.quotes[i]
    found = _Found()
    starts = article.sentence_starts[i]
    for m in _QUOTED_AS_SAYING_RE.finditer(text) if "quoted" in text else ():
        mention = _mention_at(article, i, m.start(1))
        if mention is not None and not _inside(quotes, m.start()):
            _add_mention(article, mention, found, "quoted-as-saying")
    colons: list[re.Match[str]] = []    # "Jane Roe: “...”", and "Jane Roe: ..." opening a line
    if ":" in text:
        line = _COLON_LINE_RE.match(text)
        if line is not None:
            colons.append(line)
        for colon in _COLON_BEFORE_QUOTE_RE.finditer(text):   # scan only just before it
            found_here = None
            for m in _COLON_QUOTE_RE.finditer(text, max(0, colon.start() - 120), colon.end()):
                if m.end() == colon.end():
                    found_here = m
            if found_here is not None:
                colons.append(found_here)
    for m in colons:
        mention = _mention_at(article, i, m.start(1))
        if mention is None or mention.possessive or mention.end < m.end(1) - 1 \
                or mention.in_quote and not (m.re is _COLON_LINE_RE and m.start(1) == 1):
            continue                    # a transcript line may open with a quotation mark
        if m.re is _COLON_LINE_RE and not _is_speaker_label(mention, m.group(1)):
            continue                    # "Correction: ...", "Iowa: ..." name no speaker
        if m.group(1).isupper() and mention.key in article.full_names:
            found.add(_fullest_name(article, article.full_names[mention.key][0]), mention.key,
                      "transcript")     # "PENCE: ..." → the article's "Mike Pence"
            continue
        _add_mention(article, mention, found, "colon")
        starts_here = article.sentence_starts[i]
        sentence_start = starts_here[bisect.bisect_right(starts_here, mention.start) - 1]
        _coordinated(article, _Cue(i, text, ":", m.end(1), m.end(1), sentence_start,
                                   sentence_start), mention.start, found)
    if quotes and ("―" in text or "—" in text or "–" in text):
        _quotation_signatures(article, i, found)
    if len(text) < _HEADLINE_LENGTH and _is_title_case(text):
        _headline_speakers(article, i, found)   # "Jane Roe Slams Ferry Plan"
    for m in _OPENING_INVERTED_RE.finditer(text):
        if m.start() in starts and not _inside(quotes, m.start()):       # "Said Jane Roe: …"
            _inverted_source(article, _Cue(i, text, m.group(1).lower(), m.start(), m.end(1),
                                           m.start(), m.start()), found, allow_pronoun=False)
    content_start = -1                  # text after an earlier cue of the same sentence
    content_by_statement = False
    cues = _find_cues(text)
    reported = _reported_clauses(article, i, cues, quotes)
    for cue_start, cue_end, word in cues:
        if _inside(quotes, cue_start):
            _report_opening_quote(article, i, quotes, cue_start, cue_end, found)
            continue
        sentence_start = starts[bisect.bisect_right(starts, cue_start) - 1]
        if cue_start < reported.get(sentence_start, -1):
            continue                    # inside what a closing "..., Jane Roe said." reports
        left_start = sentence_start
        for s, e in quotes:
            if left_start < e <= cue_start and not _embedded_title(text, s, e, cue_start):
                left_start = e
        cue = _Cue(i, text, word, cue_start, cue_end, left_start, sentence_start)
        left = text[left_start:cue_start].rstrip(" \xa0'’")     # a stray mark: “…,''' said X”
        if sentence_start <= content_start < cue_start \
                and not _CLAUSE_BREAK_RE.search(text, content_start, cue_start) \
                and not (_SUBORDINATE_OPENING_RE.match(text, sentence_start)
                         and "," in text[content_start:cue_start]) \
                and not (content_by_statement
                         and _REPORTED_SPEECH_RE.match(text, content_start)):
            if word in lex.INVERTED_VERBS and left.endswith(",") \
                    and _inverted_source(article, cue, found, allow_pronoun=False):
                content_start = _mark_content(article, i, cue_end)   # "..., said Jane Roe"
            continue                    # a cue inside what an earlier cue reports
        if word in lex.INVERTED_VERBS and left in ("", ",", "—", "–"):
            if _inverted_source(article, cue, found, allow_pronoun=True):
                content_start = _mark_content(article, i, cue_end)
                continue
        if _subject_before(article, cue, cue_start, found):
            _note_statement_issuer(article, cue, found)
            content_start = _mark_content(article, i, cue_end)
            # "It also said that Jane Roe noted ...": a statement or an organisation may
            # report what a person said, and that person is a speaker too
            content_by_statement = _STATEMENT_SUBJECT_RE.search(
                text, max(left_start, cue_start - 60), cue_start) is not None or (
                bool(found.rules) and found.rules[-1] in _ORG_RULES)
            continue
        if word in lex.INVERTED_VERBS and left.endswith(","):
            if _inverted_source(article, cue, found, allow_pronoun=False):
                content_start = _mark_content(article, i, cue_end)
                continue
        if left.endswith(" to") and _INFINITIVE_LEAD_RE.search(left):
            if _nearest_clause_subject(article, cue, found):     # "Roe was prompted to say"
                content_start = _mark_content(article, i, cue_end)
            continue
        if left.endswith(" to") and _caused_subject(article, cue, left, found):
            content_start = _mark_content(article, i, cue_end)   # "it led Jane Roe to say"
            continue
        if word in lex.PARTICIPLE_CUES and (
                left.endswith((",", "–", "—")) or _PARTICIPLE_LEAD_RE.search(left)) \
                and not (word in ("adding", "claiming")
                         and _NOT_SPEECH_AFTER_RE.match(text, cue_end)):
            _sentence_subject(article, cue, found)   # ", saying", "by saying", "an ad saying"
    for m in _BY_AGENT_RE.finditer(text) if " by " in text else ():
        mention = _mention_at(article, i, m.end())
        if mention is not None and mention.person and not mention.possessive \
                and not _inside(quotes, m.start()):
            _add_mention(article, mention, found, "by-agent")
    for m in _AS_REPORTED_BY_RE.finditer(text) if "d by " in text else ():
        mention = _mention_at(article, i, m.end())         # "As first reported by X, ..."
        if mention is not None and mention.start == m.end() and not mention.possessive \
                and not _inside(quotes, m.start()):
            _add_mention(article, mention, found, "as-reported-by")
    if "poll" in text or "survey" in text or "average" in text or "tally" in text \
            or " count" in text or "study" in text or "analysis" in text:
        _in_documents(article, i, quotes, found)
    for m in _ACCORDING_TO_RE.finditer(text) if "ccording" in text else ():
        if not _inside(quotes, m.start()):
            _according_to(article, i, text, m.end(), found)
    return found, left_open


def _is_title_case(text: str) -> bool:
    """A headline written in title case or capitals: most of its words are capitalised (the
    first five words are looked at first, which rules out nearly every sentence cheaply)."""
    if sum(1 for w in text.split(None, 5)[:5] if w[:1].isupper()) < 4:
        return False
    words = _WORD_RE.findall(text)
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) >= 0.7 * len(words)


def _headline_speakers(article: _Article, i: int, found: _Found) -> None:
    """"Jane Roe Slams Ferry Plan", "WHERE ROE PLANS TO …": in a title-case headline the cue
    is capitalised too, so it ends the name run that holds the speaker."""
    text = article.paragraphs[i]
    for run in _NAME_RUN_RE.finditer(text):
        words = run.group().split()
        for k in range(1, len(words)):
            cue = words[k].lower()
            if cue in _CUE_WORDS and cue not in lex.NOUN_LIKE_BASE_FORMS:
                analysed = _analyse_run(" ".join(words[:k]))
                if analysed is not None and not _inside(article.quotes[i][0], run.start()) \
                        and (analysed[1] in article.person_keys
                             or _fold(analysed[0].split()[0]) in lex.MALE_FIRST_NAMES
                             or _fold(analysed[0].split()[0]) in lex.FEMALE_FIRST_NAMES):
                    name, key = analysed[0], analysed[1]
                    fulls = article.full_names.get(key)
                    if fulls and len(fulls[0].name) > len(name) and not name.isupper():
                        name = _fullest_name(article, fulls[0])
                    found.add(name, key, "headline")
                break


def _quotation_signatures(article: _Article, i: int, found: _Found) -> None:
    """"“We will win.” ― Jane Roe": the name signing a quotation after a dash."""
    for m in _SIGNATURE_RE.finditer(article.paragraphs[i]):
        mention = _mention_at(article, i, m.start(1))
        if mention is not None and mention.start == m.start(1) and not mention.possessive \
                and not mention.in_quote and (mention.person or mention.words >= 2):
            _add_mention(article, mention, found, "signature")


def _is_speaker_label(mention: _Mention, label: str) -> bool:
    """Does a name opening a line before a colon name who speaks ("Jane Roe: ...", a
    transcript's "ROE: ...") rather than label the line ("Correction:", "Iowa:")?"""
    return _fold(mention.name) not in _LINE_LABELS and (
        mention.person or mention.words >= 2 or label.isupper())


def _embedded_title(text: str, start: int, end: int, cue_start: int) -> bool:
    """Is the quotation ``text[start:end]`` a short title or phrase inside the subject
    ("Jane Roe, the author of “Harbour Lights,” about the port, said") rather than what
    the cue reports?"""
    return end - start <= _EMBEDDED_QUOTE and start >= 2 and text[start - 1] in " \xa0" \
        and text[start - 2].islower() and bool(text[end:cue_start].strip(" ,\xa0"))


def _in_documents(article: _Article, i: int, quotes: list[tuple[int, int]],
                  found: _Found) -> None:
    """"In a new Harbor Gazette poll, Roe leads ...": the owner of a named poll or study."""
    text = article.paragraphs[i]
    for noun in _DOCUMENT_NOUN_RE.finditer(text):      # the noun first: most have no "in"
        m = None
        for at in _IN_WORD_RE.finditer(text, max(0, noun.start() - 120), noun.start()):
            m = _IN_DOCUMENT_RE.match(text, at.start(), noun.end())
            if m is not None and m.end() == noun.end():
                break
            m = None
        if m is None or _inside(quotes, m.start()):
            continue
        owner = _document_owner(article, i, m)
        if owner is not None:
            found.add(f"{m.group(1)} {m.group(2)}", owner.key, "in-document")


def _find_cues(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every cue in a paragraph."""
    return [(m.start(1) - 1, m.end(1) - 1, m.group(1)) for m in _CUE_SCAN_RE.finditer(" " + text)]


def _reported_clauses(article: _Article, i: int, cues: list[tuple[int, int, str]],
                      quotes: list[tuple[int, int]]) -> dict[int, int]:
    """Sentences that end "..., Jane Roe said." (or "..., he added in an interview."): the
    clause before the comma is what the closing cue reports.  Returns {sentence start: comma
    offset}; the names in the clause are marked as reported content."""
    text, starts = article.paragraphs[i], article.sentence_starts[i]
    reported: dict[int, int] = {}
    for cue_start, cue_end, word in cues:
        if word not in _CLOSING_VERBS:
            continue
        k = bisect.bisect_right(starts, cue_start)
        sentence_start = starts[k - 1]
        sentence_end = starts[k] if k < len(starts) else len(text)
        if sentence_start in reported or _inside(quotes, cue_start) \
                or sentence_end - cue_end > _CLOSING_TAIL:
            continue
        comma = text.rfind(",", sentence_start, cue_start)
        if comma <= sentence_start or cue_start - comma > _CLOSING_SUBJECT \
                or not _CLOSING_SUBJECT_RE.fullmatch(text, comma + 1, cue_start):
            continue
        tail = text[cue_end:sentence_end]
        if any(c in tail for c in "“”\",;:") or _CUE_RE.search(tail):
            continue
        reported[sentence_start] = comma
        for mention in article.mentions[i]:
            if sentence_start <= mention.start < comma:
                mention.in_content = True
    return reported


def _mark_content(article: _Article, i: int, pos: int) -> int:
    """Names in what a cue reports ("X said that Y ...", up to the end of the sentence) are
    not antecedents for later pronouns unless they speak themselves.  Returns ``pos``."""
    starts = article.sentence_starts[i]
    k = bisect.bisect_right(starts, pos)
    end = starts[k] if k < len(starts) else len(article.paragraphs[i])
    for m in article.mentions[i]:
        if pos <= m.start < end:
            m.in_content = True
    return pos


def _report_opening_quote(article: _Article, i: int, quotes: list[tuple[int, int]],
                          cue_start: int, cue_end: int, found: _Found) -> None:
    """A quoted statement that opens with "Name emphasised that …" also reports that person."""
    text = article.paragraphs[i]
    start = next((s for s, e in quotes if s < cue_start < e), None)
    if start is None or not text.startswith("that", cue_end + 1):
        return
    mention = _mention_at(article, i, start + 1)
    if mention is not None and mention.person and mention.start == start + 1 \
            and not text[mention.end:cue_start].strip():
        _add_mention(article, mention, found, "reported-in-quote")


def _note_statement_issuer(article: _Article, cue: _Cue, found: _Found) -> None:
    """Remember who issued a statement ("the ministry said in a statement")."""
    if "statement" in cue.text[cue.end:cue.end + 60]:
        for mention in reversed(article.mentions[cue.paragraph]):
            if mention.is_org and mention.speaker and mention.start < cue.start:
                article.statement_org = mention.name
                return


def _attribute(paragraphs: Sequence[str]) -> list[_Found]:
    article = _read_article(paragraphs)
    result: list[_Found] = []
    carried: _Found | None = None
    for i, text in enumerate(paragraphs):
        found, left_open = _attribute_paragraph(article, i)
        continues_quote = carried is not None and text.lstrip()[:1] in "“\"‘'"
        if not found.names and continues_quote and carried is not None:
            found = _Found(carried.names[-1:], set(), ["carried-quote"])
        result.append(found)
        carried = found if left_open and found.names else None
    return result


def attribute_speakers(paragraphs: Sequence[str], title: str | None = None) -> list[list[str]]:
    """For each paragraph of one article (in order), the names of who is quoted or whose
    statement is reported in it, resolved to the fullest name the article gives.

    ``title`` is accepted for callers that have it; attribution reads the body only.
    """
    if not paragraphs:
        return []
    return [found.names for found in _attribute(paragraphs)]
