"""Event dates: the date words of a sentence ("on Tuesday", "last week", "3 March 2025") resolved against
the article's publication date, and the one that belongs to an event's trigger.

The rule throughout is *never invent*: a date we cannot place (a weekday with no publication date, a
day without a year and no reference) has no value, and says why in ``EventDate.source``.
Everything here is a handful of precompiled regexes plus a walk over spaCy's dependency tree, so it is
cheap enough to run on every sentence that holds an event.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from eventscope.model import EventDate

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["DateMention", "dateline_date", "event_date", "find_dates", "publication_date_from_text"]

KIND_ABSOLUTE = "absolute"
KIND_RELATIVE = "relative"
KIND_WEEKDAY = "weekday"
KIND_DATELINE = "dateline"

UNRESOLVED = "(no publication date to resolve it)"


@dataclass(frozen=True)
class DateMention:
    """Date words in a sentence: ``start``/``end`` are token indices in the Doc (end exclusive)."""

    text: str
    start: int
    end: int
    value: date | None
    precision: str  # day | week | month | year | unknown (unknown: no reference to resolve it)
    kind: str  # absolute | relative | weekday | dateline


# ---------------------------------------------------------------------------------------------------------
# vocabulary

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = [m for m in _MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
# "may" and "march" are also a modal and a verb: lower-case they are not months ("the rally may 3..." is rare,
# "protesters march on ..." is not); abbreviations are months only when capitalised
_LOWERCASE_MONTHS_OK = {m for m in _FULL_MONTHS if m not in ("may", "march")}
# named days that are not "the most recent such weekday"
_HOLIDAY_WORDS = {
    "bloody", "palm", "easter", "good", "black", "ash", "super", "holy", "cyber", "maundy", "whit",
}  # fmt: skip

_ABBREVIATIONS = [m for m in _MONTHS if m not in _FULL_MONTHS]
# "Dec. 3": an abbreviation's full stop is part of the date only when a number follows (not a sentence end)
_MON = (
    r"(?P<mon>(?:" + "|".join(sorted(_FULL_MONTHS, key=len, reverse=True)) + r")\b"
    r"|(?:" + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")\b(?:\.(?=\s*\d))?)"
)
_FULL_MON = r"(?P<mon>" + "|".join(sorted(_FULL_MONTHS, key=len, reverse=True)) + r")\b"
_WD_NAMES = "|".join(_WEEKDAYS)
_DAY = r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_YEAR = r"(?P<year>(?:19|20)\d\d)\b(?![-/]\d)"
_WD_OPT = r"(?:(?P<wd>" + _WD_NAMES + r")\b,?\s+)?"  # "Tuesday, March 11": the date says it all
_DAY_PREFIX = r"(?:\b(?:late|early)\s+(?:on\s+)?|\bon\s+|\bsince\s+)?"
_YEAR_REQ = r"(?:,\s*|\s+)" + _YEAR
_MDY = _MON + r"\s*" + _DAY + r"(?:" + _YEAR_REQ + r")?"
_DMY = r"(?:the\s+)?" + _DAY + r"(?:\s+of)?\s+" + _MON + r"(?:" + _YEAR_REQ + r")?"

_F = re.IGNORECASE


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F)


_RE_ISO = _c(r"(?:\bon\s+)?\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b")
_RE_MDY = _c(_DAY_PREFIX + _WD_OPT + r"\b" + _MDY)
_RE_DMY = _c(_DAY_PREFIX + _WD_OPT + _DMY)
_RE_MONTH_YEAR = _c(
    r"(?:\b(?:in|since|during|until|through)\s+)?(?:\b(?:early|late|mid)[-\s]*)?\b" + _MON + r"\s+" + _YEAR
)
_RE_MONTH = _c(
    r"(?:\b(?:(?:earlier|later)\s+)?(?:in|since|during|until|through)\s+(?:(?:early|late|mid)[-\s]*)?"
    r"|\b(?:early|late|mid)[-\s]+|\b(?P<rel>last|this|next)\s+)" + _FULL_MON + r"(?!\.?\s*\d)"
)
_RE_YEAR = _c(
    r"(?:\b(?:in|since|during)\s+(?:(?:early|late|mid)[-\s]*)?|\b(?:early|late|mid)[-\s]+)" + _YEAR
)
_RE_WEEKDAY = _c(
    r"(?P<pre>\b(?:late|early)\s+(?:on\s+)?|\b(?:on|since)\s+"
    r"|\b(?P<rel>last|this|next|this\s+coming|this\s+past)\s+)?"
    r"\b(?P<wd>" + _WD_NAMES + r")\b(?:\s+(?:night|morning|afternoon|evening))?"
)
_RE_DAY_OFFSET = _c(
    r"\bthe\s+day\s+(?P<ba>before\s+yesterday|after\s+tomorrow)\b"
    r"|\b(?:(?:late|early|earlier|later)\s+)?(?P<y>yesterday)\b(?:\s+(?:morning|afternoon|evening))?"
    r"|\b(?P<ln>last\s+night)\b"
    r"|\b(?:(?:earlier|later)\s+)?(?P<t>today|tonight)\b|\bthis\s+(?P<tm>morning|afternoon|evening)\b"
    r"|\b(?P<o>overnight)\b"
    r"|\b(?P<tw>tomorrow)\b(?:\s+(?:morning|afternoon|evening|night))?"
)
_RE_PERIOD = _c(
    r"\b(?:(?:earlier|later|early|late)\s+)?(?P<rel>last|this|next)\s+(?P<unit>week|month|year)\b"
)
_RE_WEEKEND = _c(
    r"\b(?P<rel>last|this|next|this\s+past|this\s+coming)\s+weekend\b|\b(?:at|over|during)\s+the\s+weekend\b"
)
_RE_AGO = _c(
    r"\b(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + r")\s+(?P<unit>day|week|month|year)s?\s+ago\b"
)

# "NAIROBI, March 3, 2025 (Reuters) - ", "LONDON, 10 September (eventscope) -", "BERLIN, June 17, 2025 -"
_PLACE_WORD = r"[A-Z][A-Za-z.'’\-]*"
_PLACE_NAME = _PLACE_WORD + r"(?:\s+" + _PLACE_WORD + r"){0,3}"
_PLACE = _PLACE_NAME + r"(?:,\s*" + _PLACE_NAME + r")?"  # "WASHINGTON, D.C.", "GOMA, Congo"
_DATELINE_TAIL = r"\s*(?:\([^()\n]{1,40}\)\s*)?(?:[-–—]|:)"
# the place is capitalised (case matters there); the date words are not
_DATELINE_HEAD = r"^\s*" + _PLACE + r",\s*"
_RE_DATELINE_MDY = re.compile(_DATELINE_HEAD + r"(?P<date>(?i:" + _WD_OPT + _MDY + r"))" + _DATELINE_TAIL)
_RE_DATELINE_DMY = re.compile(_DATELINE_HEAD + r"(?P<date>(?i:" + _WD_OPT + _DMY + r"))" + _DATELINE_TAIL)
# a line that is only a date (with a "Published"/"Updated" label, a weekday, a time): "10 September 2025"
_LINE_LABEL = r"^\s*(?:(?:first\s+)?(?:published|updated|posted|last\s+updated|date)(?:\s+on)?\s*:?\s*)?"
_LINE_TAIL = r"\s*(?:(?:,|-|–|\||at)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)?\s*\.?\s*$"
_RE_LINE_MDY = _c(_LINE_LABEL + _WD_OPT + r"(?P<date>" + _MDY + r")" + _LINE_TAIL)
_RE_LINE_DMY = _c(_LINE_LABEL + _WD_OPT + r"(?P<date>" + _DMY + r")" + _LINE_TAIL)
_RE_LINE_ISO = _c(_LINE_LABEL + r"(?P<year>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?:[T\s].*)?$")

_BOUNDARY_MARKS = {"after", "before", "since", "until", "till", "once"}  # clauses about another time
_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "csubj", "csubjpass", "xcomp", "pcomp", "parataxis"}
_INHERIT_DEPS = {"conj", "xcomp", "advcl"}  # a clause with no date of its own takes its governor's
_NOMINAL_DEPS = {"poss", "compound", "amod", "nmod", "nummod"}  # not appos, npadvmod: misparsed adverbs
_FUTURE_AUX = {"will", "shall", "'ll", "ll", "wo", "would"}
_PAST_AUX = {"did", "had", "has", "have", "was", "were", "'d", "'ve"}
# X to <verb> on Tuesday: the <verb> is still ahead
_FUTURE_HEADS = {
    "go", "plan", "expect", "schedule", "set", "due", "intend", "aim", "hope", "want", "agree", "decide",
    "vow", "promise", "pledge", "threaten", "prepare", "seek", "propose", "order", "ask", "urge", "call",
    "invite", "tell", "likely", "slate", "be",
}  # fmt: skip
_FUTURE_WORDS = {"due", "scheduled", "slated", "planned", "upcoming", "expected"}
_RE_FUTURE_WORDS = _c(r"\b(?:next|coming|upcoming)\b")


# ---------------------------------------------------------------------------------------------------------
# resolution against a reference date


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _shift_months(d: date, months: int) -> date:
    total = d.year * 12 + (d.month - 1) + months
    return date(total // 12, total % 12 + 1, 1)


def _weekday_date(ref: date, wd: int, tense: str, rel: str | None) -> date:
    if rel == "last":  # "last Tuesday" on a Tuesday is a week ago
        return ref - timedelta(days=(ref.weekday() - wd) % 7 or 7)
    if rel == "next":
        return ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
    if rel != "past" and (rel == "coming" or tense == "future"):
        return ref + timedelta(days=(wd - ref.weekday()) % 7)
    # news convention: the most recent such day, the publication day itself included
    return ref - timedelta(days=(ref.weekday() - wd) % 7)


def _day_without_year(ref: date, month: int, day: int, tense: str) -> date | None:
    """The year that puts a "3 March" where the sentence means it: on or before the reference date, unless
    the verb is future (then the next such day), or present tense and within a month ahead (a schedule)."""
    try:
        this_year = date(ref.year, month, day)
    except ValueError:
        return None  # 29 February in a common year, 31 April: do not guess
    ahead = (this_year - ref).days
    try:
        if tense == "future":
            # "will meet on 3 March" written on 12 March is stale wording, not a meeting next year
            return this_year if ahead >= -31 else date(ref.year + 1, month, day)
        if ahead <= 0 or (tense == "present" and ahead <= 31):
            return this_year
        return date(ref.year - 1, month, day)
    except ValueError:
        return None


def _month_without_year(ref: date, month: int, tense: str, rel: str | None) -> date:
    if rel == "this":
        return date(ref.year, month, 1)
    if rel == "last":
        return date(ref.year if month < ref.month else ref.year - 1, month, 1)
    if rel == "next" or tense == "future":
        return date(ref.year if month >= ref.month else ref.year + 1, month, 1)
    return date(ref.year if month <= ref.month else ref.year - 1, month, 1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    """The month a matched word names, or None when the word is more likely not a month (may, march)."""
    key = word.rstrip(".").lower()
    month = _MONTHS.get(key)
    if month is None:
        return None
    if word[:1].islower() and key not in _LOWERCASE_MONTHS_OK:
        return None
    return month


# ---------------------------------------------------------------------------------------------------------
# tense of the verb a date hangs on


def _is_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") or (not tok.pos_ and (tok.tag_.startswith("VB") or tok.tag_ == "MD"))


def _tense(span: Span) -> str:
    """future | past | present: how the verb governing these date words places them."""
    if _RE_FUTURE_WORDS.search(span.text):
        return "future"
    tok = span.root
    for _ in range(12):  # climb to the governing verb, noticing "due", "scheduled" on the way
        if tok.lower_ in _FUTURE_WORDS and tok.i not in range(span.start, span.end):
            return "future"
        if _is_verb(tok) or tok.head is tok:
            break
        tok = tok.head
    verb = tok
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = {c.lower_ for c in auxes}
    if aux_words & _FUTURE_AUX and not aux_words & {"have", "'ve"}:
        return "future"
    if verb.lemma_ in ("schedule", "slate", "plan") and verb.tag_ == "VBN":
        return "future"
    if any(c.tag_ == "TO" for c in auxes) and verb.head is not verb:
        head = verb.head
        if head.lemma_ in _FUTURE_HEADS or head.lower_ in _FUTURE_WORDS:
            return "future"
    if verb.tag_ == "VBG" and aux_words & {"is", "are", "am", "'s", "'re"}:
        return "future"  # "are meeting on Tuesday"
    if verb.tag_ in ("VBD", "VBN") or aux_words & _PAST_AUX:
        return "past"
    return "present"


# ---------------------------------------------------------------------------------------------------------
# finding date words

# (match, reference date or None, tense) -> (value, precision), or None: not a date after all
Resolver = Callable[[re.Match[str], date | None, str], tuple[date | None, str] | None]


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    kind: str
    rank: int  # lower wins when two matches overlap
    resolve: Resolver
    needs_tense: bool = False


def _r_iso(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    d = _safe_date(int(m["year"]), int(m["m"]), int(m["d"]))
    return (d, "day") if d else None


def _r_day_month(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    month = _month_number(m["mon"])
    day = int(m["day"])
    if month is None or not 1 <= day <= 31:
        return None
    if m["year"]:
        d = _safe_date(int(m["year"]), month, day)
        return (d, "day") if d else None
    if _safe_date(2024, month, day) is None:  # 2024: a leap year, so only impossible days fail
        return None
    if ref is None:
        return (None, "unknown")
    d = _day_without_year(ref, month, day, tense)
    return (d, "day") if d else (None, "unknown")


def _r_month_year(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    month = _month_number(m["mon"])
    return (date(int(m["year"]), month, 1), "month") if month else None


def _r_month(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    month = _month_number(m["mon"])
    if month is None:
        return None
    if ref is None:
        return (None, "unknown")
    rel = (m["rel"] or "").lower() or None
    return (_month_without_year(ref, month, tense, rel), "month")


def _r_year(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    return (date(int(m["year"]), 1, 1), "year")


def _rel_word(raw: str | None) -> str | None:
    if not raw:
        return None
    words = raw.lower().split()
    return words[-1] if words[-1] in ("coming", "past") else words[0]


def _r_weekday(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    if ref is None:
        return (None, "unknown")
    return (_weekday_date(ref, _WEEKDAYS[m["wd"].lower()], tense, _rel_word(m["rel"])), "day")


def _r_day_offset(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    if ref is None:
        return (None, "unknown")
    if m["ba"]:
        offset = -2 if m["ba"].lower().startswith("before") else 2
    elif m["y"] or m["ln"]:
        offset = -1
    elif m["tw"]:
        offset = 1
    else:
        offset = 0  # today, tonight, this morning, overnight (publication day or the night before it)
    return (ref + timedelta(days=offset), "day")


def _r_period(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    if ref is None:
        return (None, "unknown")
    step = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    unit = m["unit"].lower()
    if unit == "week":
        return (_monday(ref) + timedelta(weeks=step), "week")
    if unit == "month":
        return (_shift_months(ref, step), "month")
    return (date(ref.year + step, 1, 1), "year")


def _r_weekend(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    if ref is None:
        return (None, "unknown")
    rel = _rel_word(m["rel"])
    if rel is None or rel == "this":  # "at the weekend", "this weekend": by the verb's tense
        rel = None
    saturday = _weekday_date(ref, 5, tense, rel)
    return (_monday(saturday), "week")


def _r_ago(m: re.Match[str], ref: date | None, tense: str) -> tuple[date | None, str] | None:
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _NUMBERS[raw]
    if ref is None:
        return (None, "unknown")
    unit = m["unit"].lower()
    try:
        if unit == "day":
            return (ref - timedelta(days=n), "day")
        if unit == "week":
            return (_monday(ref - timedelta(weeks=n)), "week")
        if unit == "month":
            return (_shift_months(ref, -n), "month")
        return (date(ref.year - n, 1, 1), "year")
    except (ValueError, OverflowError):
        return None


_PATTERNS = (
    _Pattern(_RE_ISO, KIND_ABSOLUTE, 1, _r_iso),
    _Pattern(_RE_MDY, KIND_ABSOLUTE, 2, _r_day_month, needs_tense=True),
    _Pattern(_RE_DMY, KIND_ABSOLUTE, 2, _r_day_month, needs_tense=True),
    _Pattern(_RE_MONTH_YEAR, KIND_ABSOLUTE, 3, _r_month_year),
    _Pattern(_RE_DAY_OFFSET, KIND_RELATIVE, 4, _r_day_offset),
    _Pattern(_RE_PERIOD, KIND_RELATIVE, 4, _r_period),
    _Pattern(_RE_WEEKEND, KIND_RELATIVE, 4, _r_weekend, needs_tense=True),
    _Pattern(_RE_AGO, KIND_RELATIVE, 4, _r_ago),
    _Pattern(_RE_WEEKDAY, KIND_WEEKDAY, 5, _r_weekday, needs_tense=True),
    _Pattern(_RE_MONTH, KIND_ABSOLUTE, 6, _r_month, needs_tense=True),
    _Pattern(_RE_YEAR, KIND_ABSOLUTE, 7, _r_year),
)
_ANY_DATE_WORD = _c(
    r"\d|day|night|week|month|year|tomorrow|morning|afternoon|evening|"
    + "|".join(m for m in _MONTHS)
)


def _holiday_before(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].split()
    return bool(before) and before[-1].lower() in _HOLIDAY_WORDS


def _dateline_match(text: str) -> re.Match[str] | None:
    return _RE_DATELINE_MDY.match(text) or _RE_DATELINE_DMY.match(text)


def _dateline_value(m: re.Match[str], year_hint: int | None, ref: date | None) -> date | None:
    month = _month_number(m["mon"])
    day = int(m["day"])
    if month is None:
        return None
    if m["year"]:
        return _safe_date(int(m["year"]), month, day)
    if year_hint is not None:
        return _safe_date(year_hint, month, day)
    if ref is not None:
        # the dateline is the writing day: at most a day or two off the recorded publication date
        d = _safe_date(ref.year, month, day)
        if d is not None and (d - ref).days > 2:
            d = _safe_date(ref.year - 1, month, day)
        return d
    return None


def find_dates(sent: Span, published: date | None) -> list[DateMention]:
    """The date words of a sentence, each resolved against ``published`` (value None when it cannot be).

    A dateline at the start of the sentence ("NAIROBI, Sept 10 (Reuters) -") is returned with kind
    "dateline"; when there is no publication date and the dateline has a year, it is the reference.
    """
    try:
        text = sent.text
    except Exception:  # not a Span: nothing to find
        return []
    if not text or not _ANY_DATE_WORD.search(text):
        return []
    ref = published
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    dl = _dateline_match(text)
    if dl is not None:
        value = _dateline_value(dl, None, published)
        span = sent.char_span(dl.start("date"), dl.end("date"), alignment_mode="expand")
        if span is not None:
            found.append(DateMention(span.text, span.start, span.end, value, "day" if value else "unknown",
                                     KIND_DATELINE))
            taken.append((dl.start("date"), dl.end("date")))
            if ref is None and dl["year"] and value is not None:
                ref = value
    candidates: list[tuple[int, int, int, _Pattern, re.Match[str]]] = []
    for pat in _PATTERNS:
        for m in pat.regex.finditer(text):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                candidates.append((pat.rank, -(e - s), s, pat, m))
    candidates.sort(key=lambda c: c[:3])
    for _, neg_len, s, pat, m in candidates:
        e = s - neg_len
        if any(s < te and ts < e for ts, te in taken):
            continue
        if pat.kind == KIND_WEEKDAY and _holiday_before(text, s):
            continue
        span = sent.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        tense = _tense(span) if pat.needs_tense and ref is not None else "past"
        resolved = pat.resolve(m, ref, tense)
        if resolved is None:
            continue  # not a date after all (31 April, "may 3")
        value, precision = resolved
        taken.append((s, e))
        found.append(DateMention(text[s:e], span.start, span.end, value, precision, pat.kind))
    found.sort(key=lambda d: d.start)
    return found


# ---------------------------------------------------------------------------------------------------------
# which date belongs to the event


def _ancestors(tok: Token) -> list[Token]:
    """tok, its head, its head's head ... up to the root."""
    chain = [tok]
    while chain[-1].head is not chain[-1] and len(chain) < 64:
        chain.append(chain[-1].head)
    return chain


def _starts_clause(tok: Token) -> bool:
    if tok.dep_ in _CLAUSE_DEPS:
        return True
    return tok.dep_ == "conj" and _is_verb(tok)


def _clause_head(anchor: Token) -> Token:
    """The verb whose clause the trigger is in (the trigger itself when it is a verb)."""
    tok = anchor
    for _ in range(32):
        if _is_verb(tok) or _starts_clause(tok) or tok.head is tok:
            return tok
        tok = tok.head
    return tok


def _own_clause_distance(root: Token, head: Token, anchor: Token, words: range) -> int | None:
    """Path length from the date (``words``, with ``root``) to ``anchor`` when the date sits in ``head``'s
    own clause, else None."""
    chain = _ancestors(root)
    if head not in chain:
        return None
    between = chain[: chain.index(head)]
    if any(_starts_clause(t) for t in between):
        return None  # inside a relative clause, a "since" clause, a reported clause ...
    if any(t.dep_ == "prep" and t.lower_ in _BOUNDARY_MARKS and t.i not in words for t in between):
        return None  # "strained since the invasion in 2022": the date of something earlier
    # "Sunday's election", "the 2019 agreement": the date describes the noun, not the act
    if (root.dep_ in _NOMINAL_DEPS or (root.dep_ == "prep" and root.lower_ == "of")) and root.head.pos_ in (
        "NOUN", "PROPN", "PRON",
    ) and root.head is not anchor:
        return None
    anchor_chain = _ancestors(anchor)
    common = next((t for t in chain if t in anchor_chain), head)
    return chain.index(common) + anchor_chain.index(common)


def _governing_clauses(head: Token) -> list[Token]:
    """Clauses whose date a dateless clause shares: the verb it is conjoined with or serves ("marched ...
    to demand"), and verbs conjoined to it, but not across "after"/"since" clauses or reported speech."""
    out: list[Token] = []
    tok = head
    for _ in range(4):
        if tok.dep_ not in _INHERIT_DEPS or tok.head is tok:
            break
        marks = {c.lower_ for c in tok.children if c.dep_ == "mark"}
        if tok.dep_ == "advcl" and marks & _BOUNDARY_MARKS:
            break
        if tok.dep_ == "conj" and not _is_verb(tok):
            break
        tok = _clause_head(tok.head)
        out.append(tok)
    for base in [head, *out]:
        out.extend(c for c in base.children if c.dep_ == "conj" and _is_verb(c) and c is not head)
    return out


def _attached(sent: Span, anchor: int, mentions: list[DateMention]) -> DateMention | None:
    doc = sent.doc
    if not sent.start <= anchor < sent.end:
        return None
    trigger = doc[anchor]
    candidates = [
        m for m in mentions if m.kind != KIND_DATELINE and sent.start <= m.start < m.end <= sent.end
    ]
    if not candidates:
        return None
    roots = {id(m): doc[m.start : m.end].root for m in candidates}
    head = _clause_head(trigger)
    for clause in [head, *_governing_clauses(head)]:
        best: tuple[int, int, DateMention] | None = None
        for m in candidates:
            words = range(m.start, m.end)
            dist = _own_clause_distance(roots[id(m)], clause, trigger if clause is head else clause, words)
            if dist is None:
                continue
            key = (dist, abs(m.start - anchor), m)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is not None:
            return best[2]
    return None


def event_date(sent: Span, anchor: int, published: date | None,
               mentions: list[DateMention] | None = None) -> EventDate:
    """The date of the event whose trigger is token ``anchor`` (a Doc index) of ``sent``.

    The date words attached to the trigger's clause win (nearest in the parse); with none, the event
    is dated by the publication date ("publication"); with no publication date either, it is unknown.
    """
    try:
        if mentions is None:
            mentions = find_dates(sent, published)
        chosen = _attached(sent, anchor, mentions)
    except Exception:  # a malformed span or anchor must not stop an article: fall back honestly
        chosen = None
        mentions = mentions or []
    if chosen is not None:
        if chosen.value is None:
            return EventDate(None, "unknown", f"{chosen.text} {UNRESOLVED}")
        return EventDate(chosen.value, chosen.precision, chosen.text)
    if published is not None:
        return EventDate(published, "day", "publication")
    dateline = next((m for m in mentions if m.kind == KIND_DATELINE and m.value is not None), None)
    if dateline is not None:  # a dateline with a year is the publication date in all but name
        return EventDate(dateline.value, "day", dateline.text)
    return EventDate(None, "unknown", "none")


# ---------------------------------------------------------------------------------------------------------
# publication dates from the text itself


def _top_lines(text: str, limit: int = 8) -> list[str]:
    lines = []
    for line in text[:4000].splitlines():
        if line.strip():
            lines.append(line.strip())
            if len(lines) >= limit:
                break
    return lines


def _is_body(line: str) -> bool:
    return len(line) > 160 or (line.endswith(".") and len(line.split()) > 14)


def _line_date(line: str, year_hint: int | None) -> tuple[date | None, bool]:
    """(date, has_year) of a line that is nothing but a date, else (None, False)."""
    if len(line) > 80:
        return None, False
    m = _RE_LINE_ISO.match(line)
    if m:
        return _safe_date(int(m["year"]), int(m["m"]), int(m["d"])), True
    m = _RE_LINE_MDY.match(line) or _RE_LINE_DMY.match(line)
    if not m:
        return None, False
    month = _month_number(m["mon"])
    if month is None:
        return None, False
    if m["year"]:
        return _safe_date(int(m["year"]), month, int(m["day"])), True
    return (_safe_date(year_hint, month, int(m["day"])) if year_hint else None), False


def _dateline_in(lines: list[str]) -> re.Match[str] | None:
    for line in lines:
        m = _dateline_match(line)
        if m is not None:
            return m
        if _is_body(line):
            return None  # the dateline opens the first paragraph, or there is none
    return None


def dateline_date(text: str, year_hint: int | None = None) -> date | None:
    """The date of a wire dateline ("NAIROBI, March 3, 2025 (Reuters) - ...") or of a line that is only a
    date ("10 September 2025") at the top of ``text``. A dateline without a year needs ``year_hint``."""
    if not isinstance(text, str) or not text.strip():
        return None
    lines = _top_lines(text)
    dl = _dateline_in(lines)
    if dl is not None and dl["year"]:
        return _dateline_value(dl, None, None)
    hinted: date | None = None
    for line in lines:
        value, has_year = _line_date(line, year_hint)
        if value is not None and has_year:
            return value
        if value is not None and hinted is None:
            hinted = value
        if _is_body(line):
            break
    if dl is not None and year_hint is not None:
        return _dateline_value(dl, year_hint, None)
    return hinted


_RE_FULL_DATE_ANYWHERE = (
    _c(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"),
    _c(r"\b" + _MON + r"\s*" + _DAY + _YEAR_REQ),
    _c(r"(?:the\s+)?" + _DAY + r"(?:\s+of)?\s+" + _MON + _YEAR_REQ),
)


def _full_date_in_heading(line: str) -> date | None:
    if len(line) > 120 or _is_body(line):
        return None
    for regex in _RE_FULL_DATE_ANYWHERE:
        m = regex.search(line)
        if not m:
            continue
        if "mon" in m.groupdict():
            month = _month_number(m["mon"])
            if month is not None:
                return _safe_date(int(m["year"]), month, int(m["day"]))
        else:
            return _safe_date(int(m["year"]), int(m["m"]), int(m["d"]))
    return None


def publication_date_from_text(text: str) -> date | None:
    """A full date (with its year) in the article's dateline or in its first heading or date lines; None
    when the top of the article gives none (a day and month alone are not enough)."""
    if not isinstance(text, str) or not text.strip():
        return None
    found = dateline_date(text)
    if found is not None:
        return found
    for line in _top_lines(text, 4):
        if _is_body(line):
            break
        found = _full_date_in_heading(line)
        if found is not None:
            return found
    return None
