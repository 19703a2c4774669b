"""The coder on real spaCy parses: actors (titles, demonyms, possessives, coreference), patterns, nominal
events, compounds, negation, passive voice, intent, evidence. Each test is a sentence a reader can check."""

from __future__ import annotations

from datetime import date


def triples(coded):
    return {(e.source_code, e.code, e.target_code) for e in coded.asserted_events}


def roots(coded):
    return {(e.source_code[:3] if e.source_code else None, e.code[:2], e.target_code[:3] if e.target_code else None)
            for e in coded.asserted_events}


def test_title_binds_unknown_name_and_later_mentions(coder):
    coded = coder.code_text(
        "Iranian Defense Minister Brigadier General Mohammad Reza Ashtiani met the Syrian ambassador on Monday. "
        "Brigadier General Ashtiani criticized Israel. He accused the United States of destabilizing the region.")
    codes = {m.text: m.actor.code for m in coded.mentions}
    assert codes["Iranian Defense Minister Brigadier General Mohammad Reza Ashtiani"] == "IRNGOVMIL"
    assert codes["Brigadier General Ashtiani"] == "IRNGOVMIL"
    assert codes["He"] == "IRNGOVMIL"
    t = triples(coded)
    assert ("IRNGOVMIL", "111", "ISR") in t
    assert any(s == "IRNGOVMIL" and c == "112" and tg.startswith("USA") for s, c, tg in t)


def test_possessive_actor_and_nominal_event(coder):
    coded = coder.code_text("Egypt condemned Israel's airstrikes against Gaza on Tuesday.")
    r = roots(coded)
    assert ("EGY", "11", "ISR") in r
    assert ("ISR", "19", "PSE") in r  # "airstrikes against Gaza": the noun names an event


def test_compound_actors_give_one_event_each(coder):
    coded = coder.code_text("France and Germany criticized Russia on Friday.")
    assert {("FRA", "111", "RUS"), ("DEU", "111", "RUS")} <= triples(coded)


def test_talks_between_are_symmetric(coder):
    coded = coder.code_text("Talks between Armenia and Azerbaijan resumed in Geneva on Monday.")
    r = roots(coded)
    assert ("ARM", "04", "AZE") in r and ("AZE", "04", "ARM") in r


def test_negated_act_is_not_coded_as_the_act(coder):
    denied = [e for e in coder.code_text("Russia did not attack Ukraine on Sunday.").events if e.code[:2] == "19"]
    assert denied and all(e.negated and not e.asserted for e in denied)  # kept, flagged, not counted
    attack = [e for e in coder.code_text("Russia attacked Ukraine on Sunday.").events if e.code[:2] == "19"]
    assert attack and all(e.asserted and not e.negated for e in attack)
    assert {e.id for e in denied}.isdisjoint(e.id for e in attack)


def test_passive_voice_puts_the_agent_first(coder):
    coded = coder.code_text("Syria was attacked by Israeli jets on Sunday.")
    assert ("ISR", "19", "SYR") in roots(coded)
    assert ("SYR", "19", "ISR") not in roots(coded)


def test_intent_becomes_express_intent(coder):
    coded = coder.code_text("Japan pledged to provide humanitarian aid to Sudan.")
    codes = {e.code for e in coded.events if e.source_code == "JPN" and e.target_code == "SDN"}
    assert codes & {"033", "0333", "0331", "030"}, triples(coded)
    assert all(e.intent and e.asserted for e in coded.events if e.code.startswith("03"))


def test_hedged_act_is_not_an_act(coder):
    coded = coder.code_text("Analysts said Iran could attack Israel next year.")
    assert not [e for e in coded.asserted_events if e.code[:2] == "19"]
    assert all(e.hypothetical for e in coded.events if e.code[:2] == "19")


def test_demonym_and_sector_word(coder):
    coded = coder.code_text("Turkish troops shelled Kurdish positions in Syria.")
    assert any(e.source_code.startswith("TURMIL") and e.code[:2] in ("19", "18") for e in coded.events)


def test_dated_roles_follow_the_article_date(validation_coder):
    # SAM_GAMGEE is HOBMIL from 2008-01-20 to 2012-11-09 and HOBGOV up to 2013-01-19 (narrowest range wins)
    text = "Sam Gamgee has begun to question whether he really has much of a future with the Morgul Orcs."
    early = validation_coder.code_text(text, published=date(2009, 6, 1))
    late = validation_coder.code_text(text, published=date(2012, 12, 1))
    assert {e.source_code for e in early.events} == {"HOBMIL"}
    assert {e.source_code for e in late.events} == {"HOBGOV"}


def test_every_event_has_evidence(coder):
    text = "Headline About Nothing\n\nThe European Union imposed new sanctions on Belarus on Monday."
    coded = coder.code_text(text, published=date(2025, 3, 3))
    assert coded.events
    for e in coded.events:
        assert coded.article.text[e.start:e.end] == e.evidence
        assert e.verb_start is not None and coded.article.text[e.verb_start:e.verb_end] in e.evidence
        assert e.rule and e.quad_class in (1, 2, 3, 4) and e.goldstein is not None
        assert e.date.value == date(2025, 3, 3)
        assert "Headline" not in e.evidence


def test_headings_and_debris_are_not_coded(coder):
    text = "Russia Attacks Ukraine\n\nAdvertisement\n\nThe weather in Kyiv was mild on Monday."
    assert coder.code_text(text).events == []


def test_meeting_is_located_where_the_sentence_says(coder):
    coded = coder.code_text("The Iranian foreign minister held a meeting with his Syrian counterpart in Tehran.")
    meet = [e for e in coded.events if e.code.startswith("04")]
    assert meet and all(e.location and e.location.country == "IRN" and e.location.name == "Tehran" for e in meet)
