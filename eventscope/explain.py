"""Why an event was coded: its evidence, the parse around its trigger, the actor resolutions, the pattern
that fired and the flags. The stored event gives the evidence and the rule of its first mention; the coder is
run again on that mention's stored article text (with the dictionaries of the run that stored it) to show its
reasoning. The event's other mentions (the same event in other sentences and articles of its story) are
listed."""

from __future__ import annotations

from typing import Any

from eventscope.coder import Coder, CoderConfig
from eventscope.model import Article, Block, event_key
from eventscope.patterns.model import VerbDictionary
from eventscope.query import get_article, get_event


def run_config(store: Any, run_id: str | None) -> CoderConfig:
    """The coder configuration (dictionaries) of the run that stored an event: explanations re-code with it."""
    if not run_id:
        return CoderConfig()
    rows = store.fetch("SELECT args FROM runs WHERE run_id = ?", [run_id])
    if not rows or not rows[0]["args"]:
        return CoderConfig()
    import json

    args = rows[0]["args"]
    args = json.loads(args) if isinstance(args, str) else args
    return CoderConfig(dictionaries=args.get("dictionaries"), add_dictionaries=args.get("add_dictionaries") or [],
                       ner=bool(args.get("ner")))


def pattern_text(verbs: VerbDictionary, rule: str) -> str | None:
    base = rule.split("+", 1)[0]
    for g in verbs.groups.values():
        for p in g.patterns:
            if p.id == base:
                return p.text
    for n in verbs.nouns:
        if n.id == base:
            return f"noun '{n.noun}' (targets: {', '.join(n.target_preps) or '-'})"
    return None


def explain_event(store: Any, event_id: str, coder: Coder | None = None) -> dict | None:
    ev = get_event(store, event_id)
    if ev is None:
        return None
    art = get_article(store, ev["article_id"]) or {}
    run = store.fetch("SELECT run_id FROM events WHERE id = ?", [event_id])
    config = run_config(store, run[0]["run_id"] if run else None)
    out: dict[str, Any] = {"event": ev, "article": {k: art.get(k) for k in ("id", "title", "source", "url",
                                                                            "published", "status")}}
    text = art.get("text") or ""
    try:
        coder = coder or Coder.from_config(config)
    except Exception as exc:  # the run's dictionaries may have moved: say so, show what is stored
        out["recoded"] = f"could not load the run's dictionaries: {exc}"
        return out
    out["pattern"] = pattern_text(coder.verbs, ev["rule"] or "")
    if not text:
        return out
    from eventscope.clean import clean_text

    _, blocks = clean_text(text)
    article = Article(id=ev["article_id"], text=text, blocks=blocks or [Block(0, len(text))],
                      published=_date(art.get("published")))
    coded = coder.code_article(article)
    story = ev.get("story_id") or ev["article_id"]
    match = next((e for e in coded.events
                  if e.sentence_index == ev["sentence_index"] and event_key(story, e) == event_id), None)
    out["recoded"] = "same event found again" if match else "the coder no longer produces this event"
    if match is not None:
        out["why"] = match.why
    start, end = ev["start"], ev["end"]
    doc = coder.nlp(text[start:end])
    trigger = None
    spans = store.fetch("SELECT verb_start, verb_end FROM events WHERE id = ?", [event_id])
    if spans and spans[0]["verb_start"] is not None:
        span = doc.char_span(spans[0]["verb_start"] - start, spans[0]["verb_end"] - start,
                             alignment_mode="expand")
        if span is not None and len(span):
            trigger = span.root
    out["parse"] = _parse_around(doc, trigger)
    out["mentions"] = ev.get("mentions", [])
    out["event_mentions"] = ev.get("event_mentions", [])
    return out


def _date(value):
    from datetime import date

    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _parse_around(doc, trigger) -> list[dict]:
    """Tokens of the trigger's clause: the trigger, its head, its children and their heads."""
    if trigger is None:
        return [{"i": t.i, "text": t.text, "tag": t.tag_, "dep": t.dep_, "head": t.head.i} for t in doc]
    keep = {trigger.i, trigger.head.i}
    for c in trigger.children:
        keep.update(x.i for x in c.subtree)
    return [
        {"i": t.i, "text": t.text, "tag": t.tag_, "dep": t.dep_, "head": t.head.i, "trigger": t.i == trigger.i}
        for t in doc if t.i in keep
    ]
