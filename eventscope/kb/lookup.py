"""`eventscope kb lookup NAME --date D`: the code a name gets on a date, the entry it comes from, and why."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventscope.actors import ActorMatcher, ArticleActors, name_keys, pick_entry
from eventscope.kb.model import ActorEntry, CodePeriod


def _period_why(entry: ActorEntry, period: CodePeriod | None, day: date | None, others: int) -> str:
    if period is None:
        return "no code"
    if period.note.startswith("former"):
        return f"former official: the last role ended {period.start.isoformat()}, so {period.code} (ELI: elite)"
    if period.note.startswith("before the first"):
        return f"before the first known role (from {period.end.isoformat()}): the country only"
    if period.dated:
        first = period.start.isoformat() if period.start else "..."
        span = f"{first} to {period.end.isoformat() if period.end else 'open'}"
        if day is None:
            return f"no date given: the most recent role ({span})"
        narrow = " (the narrowest range covering the date)" if len([p for p in entry.periods if p.dated
                                                                    and p.covers(day)]) > 1 else ""
        return f"dated role {span} covers {day.isoformat()}{narrow}"
    base = "undated default code"
    if others:
        base += f"; {others} other entr{'y' if others == 1 else 'ies'} share the name"
    return base


def _entry_dict(entry: ActorEntry, period: CodePeriod | None) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "names": entry.names[:8],
        "source": entry.source,
        "role": {"code": period.code, "start": period.start.isoformat() if period and period.start else None,
                 "end": period.end.isoformat() if period and period.end else None,
                 "note": period.note} if period else None,
        "periods": [{"code": p.code, "start": p.start.isoformat() if p.start else None,
                     "end": p.end.isoformat() if p.end else None} for p in entry.periods],
    }


def lookup(query: str, day: date | None, matcher: ActorMatcher, nlp=None) -> dict[str, Any]:
    """The knowledge base's answer for a name: an exact entry name first; otherwise the phrase is parsed and
    resolved as the coder would ("Iranian Defense Minister" -> IRNGOVMIL by demonym and title)."""
    out: dict[str, Any] = {"query": query, "date": day.isoformat() if day else None, "code": None,
                           "entry": None, "why": ""}
    keys = name_keys(query)
    entries = matcher.actors.exact(keys) if keys else None
    if entries:
        entry, code, period = pick_entry(entries, day)
        if entry is not None:
            out.update(code=code, entry=_entry_dict(entry, period),
                       why=f"knowledge-base name of {entry.id}: " + _period_why(entry, period, day, len(entries) - 1))
            return out
    if nlp is not None:
        doc = nlp(query)
        sent = next(iter(doc.sents), None)
        if sent is not None:
            actors = ArticleActors(matcher, day).sentence(sent, 0)
            res = actors.resolve(sent.root)
            if res.actors and all(a.code.startswith("---") for a in res.actors):
                out["why"] = (f"'{query}' is a title without a name or a country: it names no one in particular "
                              f"(sectors {res.actors[0].code[3:]})")
                return out
            if res.actors:
                a = res.actors[0]
                out.update(code=a.code, why=f"resolved as a phrase: {res.why or res.kind}",
                           entry={"id": a.kb_id, "kind": res.kind, "names": [a.name] if a.name else []})
                return out
    out["why"] = f"no knowledge-base entry, demonym or sector word matches '{query}'"
    return out
