"""Readers for PETRARCH/TABARI actor, agent and discard dictionaries.

Actor files: an entry is a name line (``IRAN_ [IRN]``), ``+SYNONYM`` lines, and code lines
(``[IRNGOV 19800528-20000526]``, ``[HOB <950601]``, ``[HOBREB >990816]``). Consecutive names without a
code share the codes that follow them. Dates are ``YYMMDD`` (YY <= 30 is 20YY) or ``YYYYMMDD``; ``<D`` means
before D, ``>D`` from D on, ``D1-D2`` a range with both ends inclusive.

Agent files: ``!PERSON! = MAN, MEN, ...`` substitution sets; entries ``DEFENSE_MINIST [~GOVMIL]`` with an
optional plural spec ``{}`` (no plural) or ``{IRREGULAR PLURALS}``; ``~X`` is a suffix, ``X~`` a prefix.

Discard files: one phrase a line, ``+PHRASE`` for story-level discards.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from eventscope.kb.model import ActorEntry, AgentEntry, CodePeriod, Discard

_CODE_RE = re.compile(r"\[([^\]]*)\]")


def _lines(path: Path) -> list[tuple[str, str]]:
    """(line without comment, comment) for each line; XML-style ``<!-- -->`` lines are comments."""
    out = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if raw.lstrip().startswith("<"):
            out.append(("", ""))
            continue
        body, _, comment = raw.partition("#")
        out.append((body.rstrip(), comment.strip()))
    return out


def parse_petrarch_date(text: str) -> date | None:
    digits = text.strip()
    if not digits.isdigit():
        return None
    try:
        if len(digits) == 6:
            yy = int(digits[:2])
            year = 2000 + yy if yy <= 30 else 1900 + yy
            return date(year, int(digits[2:4]), int(digits[4:6]))
        if len(digits) == 8:
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return None


def parse_code_block(block: str) -> CodePeriod | None:
    """``IRNGOV 19800528-20000526`` / ``HOB <950601`` / ``IGOUNO`` -> CodePeriod (None if unreadable)."""
    parts = block.strip().split(None, 1)
    if not parts:
        return None
    code = parts[0].strip()
    spec = parts[1].replace(" ", "") if len(parts) > 1 else ""
    if not spec:
        return CodePeriod(code)
    if spec.startswith("<"):
        d = parse_petrarch_date(spec[1:])
        return CodePeriod(code, None, d - timedelta(days=1), "before") if d else None
    if spec.startswith(">"):
        d = parse_petrarch_date(spec[1:])
        return CodePeriod(code, d, None, "from") if d else None
    if "-" in spec:
        a, _, b = spec.partition("-")
        da, db = parse_petrarch_date(a), parse_petrarch_date(b)
        if da and db:
            return CodePeriod(code, da, db)
        return None
    return None


def phrase_words(name: str) -> str:
    """``ISLAMIC_REPUBLIC_OF_IRAN_`` -> ``ISLAMIC REPUBLIC OF IRAN`` (``_`` and spaces both join words)."""
    return " ".join(w for w in name.replace("_", " ").split() if w)


def read_actor_dictionary(path: str | Path, source: str | None = None, kind: str = "actor") -> list[ActorEntry]:
    path = Path(path)
    source = source or f"petrarch:{path.name}"
    entries: list[ActorEntry] = []
    names: list[str] = []
    periods: list[CodePeriod] = []
    notes: list[str] = []
    bad: list[str] = []

    seen_ids: dict[str, int] = {}

    def flush() -> None:
        if names and periods:
            eid = f"{path.stem}:{names[0].replace(' ', '_')}"
            seen_ids[eid] = seen_ids.get(eid, 0) + 1
            if seen_ids[eid] > 1:  # the same name twice in a file: two actors, two ids
                eid = f"{eid}#{seen_ids[eid]}"
            note = "; ".join(n for n in notes if n)
            if bad:
                note = (note + "; " if note else "") + "unreadable code blocks: " + ", ".join(bad)
            entries.append(ActorEntry(eid, list(dict.fromkeys(names)), list(periods), kind, source, note[:300]))
        names.clear()
        periods.clear()
        notes.clear()
        bad.clear()

    for body, comment in _lines(path):
        if not body.strip():
            continue
        s = body.strip()
        codes = _CODE_RE.findall(s)
        text = _CODE_RE.sub("", s).strip()
        if text.startswith("+"):
            if text[1:].strip():
                names.append(phrase_words(text[1:]))
        elif text:
            if periods:  # a new name after codes: the previous entry is complete
                flush()
            names.append(phrase_words(text))
            if comment:
                notes.append(comment)
        for block in codes:
            p = parse_code_block(block)
            if p is None:
                bad.append(block.strip())
            else:
                periods.append(p)
    flush()
    return entries


def regular_plurals(word: str) -> list[str]:
    w = word.upper()
    if not w[-1:].isalpha():
        return []
    if w.endswith("Y") and len(w) > 1 and w[-2] not in "AEIOU":
        return [w[:-1] + "IES"]
    if w.endswith(("S", "X", "Z", "CH", "SH")):
        return [w + "ES"]
    return [w + "S"]


def read_agent_dictionary(path: str | Path, source: str | None = None) -> list[AgentEntry]:
    path = Path(path)
    source = source or f"petrarch:{path.name}"
    subs: dict[str, list[str]] = {}
    entries: list[AgentEntry] = []
    last_code: str | None = None
    pending: list[tuple[str, str | None]] = []  # names waiting for a code
    for body, comment in _lines(path):
        s = body.strip()
        if not s:
            continue
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", s)
        if m:
            subs[m.group(1)] = [x.strip().upper() for x in m.group(2).split(",") if x.strip()]
            continue
        codes = _CODE_RE.findall(s)
        text = _CODE_RE.sub("", s).strip()
        plural_spec: str | None = None
        pm = re.search(r"\{([^}]*)\}", text)
        if pm:
            plural_spec = pm.group(1).strip()
            text = (text[: pm.start()] + text[pm.end() :]).strip()
        synonym = text.startswith("+")
        text = text.lstrip("+").strip()
        if text:
            pending.append((text, plural_spec))
        if codes:
            last_code = codes[0].replace(" ", "").upper()
        elif synonym and last_code and pending:
            pass
        else:
            continue
        if not last_code:
            continue
        for name, spec in pending:
            forms: list[str] = []
            for expanded in _expand_substitutions(name, subs):
                words = phrase_words(expanded)
                forms.append(words)
                if spec is None:
                    head = words.split()
                    for pl in regular_plurals(head[-1]) if head else []:
                        forms.append(" ".join(head[:-1] + [pl]))
                elif spec:
                    forms.extend(phrase_words(p) for p in spec.split())
            eid = f"{path.stem}:{phrase_words(name).replace(' ', '_')}"
            entries.append(AgentEntry(eid, tuple(dict.fromkeys(forms)), last_code, source, comment))
        pending = []
    return entries


def _expand_substitutions(name: str, subs: dict[str, list[str]]) -> list[str]:
    m = re.search(r"!\w+!", name)
    if not m or m.group(0) not in subs:
        return [name]
    out: list[str] = []
    for value in subs[m.group(0)]:
        before, after = name[: m.start()], name[m.end() :]
        # CONGRESS!PERSON! -> CONGRESSMAN; !MINIST! OF_DEFENCE -> MINISTER OF DEFENCE
        out.extend(_expand_substitutions(before + value + after, subs))
    return out


def read_discard_dictionary(path: str | Path, source: str | None = None) -> list[Discard]:
    path = Path(path)
    source = source or f"petrarch:{path.name}"
    out: list[Discard] = []
    for body, comment in _lines(path):
        s = body.strip()
        if not s:
            continue
        scope = "story" if s.startswith("+") else "sentence"
        phrase = phrase_words(s.lstrip("+"))
        if phrase:
            out.append(Discard(phrase, scope, source, comment))
    return out
