"""eventscope.entities: the rule-based entities the coder reads in place of spaCy's statistical recognizer."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli, shared_path

from eventscope.coder import Coder
from eventscope.geo import find_places


def _tagged(coder: Coder, text: str):
    doc = next(coder.nlp.pipe([text], disable=["ner"]))
    return coder.names(doc)


def _ents(coder: Coder, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in _tagged(coder, text).ents]


def _places(coder: Coder, text: str) -> list[str]:
    doc = _tagged(coder, text)
    return [p.text for p in find_places(doc[:], coder.gazetteer)]


def test_the_coder_uses_the_rules_unless_asked_for_the_statistical_recognizer(coder):
    assert coder.names is not None and not coder.ner
    statistical = Coder(coder.kb, coder.verbs, coder.options, coder.nlp, ner=True)
    assert statistical.names is None and statistical.ner


@pytest.mark.parametrize("text, expected", [
    # a country name that starts a longer name is split off it; the rest is a name, not a place
    ("U.S. President Donald Trump arrived on Monday.", [("U.S.", "GPE"), ("President Donald Trump", "NAME"),
                                                        ("Monday", "DATE")]),
    # "of" and in-word hyphens join a run
    ("The Democratic Republic of Congo and Guinea-Bissau signed the accord.",
     [("Democratic Republic of Congo", "GPE"), ("Guinea-Bissau", "GPE")]),
    ("Bosnia-Herzegovina signed it.", [("Bosnia", "GPE"), ("Herzegovina", "NAME")]),
    # large cities are places wherever they stand (the small model takes these for people)
    ("The airline said it would add a daily flight between Lyon and Glasgow from May.",
     [("Lyon", "GPE"), ("Glasgow", "GPE"), ("May", "DATE")]),
    # a nationality in a longer name belongs to the name
    ("The Nigerian Union of Teachers called off the strike.", [("Nigerian Union of Teachers", "NAME")]),
    # a sea is not the country in its name
    ("Ships patrolled the South China Sea.", [("South China Sea", "NAME")]),
])
def test_runs_of_proper_nouns_are_labelled(coder, text, expected):
    assert _ents(coder, text) == expected


def test_a_demonym_on_its_own_is_a_nationality_and_a_country_name_is_not(coder):
    doc = _tagged(coder, "Iran said the Thai government and the Saudi envoy had met in Tehran.")
    kinds = {t.text: t.ent_type_ for t in doc if t.ent_type_}
    assert kinds.get("Iran") == "GPE" and kinds.get("Tehran") == "GPE"
    for word in ("Thai", "Saudi"):  # as tagged NNP; a JJ tag alone already makes them nationalities
        token = next(t for t in doc if t.text == word)
        assert token.tag_ in ("JJ", "NNPS", "NNS") or token.ent_type_ == "NORP", (word, token.tag_, token.ent_type_)


def test_small_towns_need_a_preposition_or_a_settlement_noun(coder):
    # Bree is a Belgian town of 16,000 and a given name: a place only where the words say so
    assert _places(coder, "Bree said the talks had failed.") == []
    assert _places(coder, "The talks were held in Bree.") == ["Bree"]
    assert _places(coder, "Peacekeepers left the eastern enclave of Gorazde on Friday.") == ["Gorazde"]


def test_month_names_are_dates_not_towns(coder):
    assert _places(coder, "The talks will resume in August.") == []
    assert ("August", "DATE") in _ents(coder, "The talks will resume in August.")


def test_unknown_names_after_a_preposition_are_tried_whole_only(coder):
    # "Michel Delving" is no known place, and "Michel" (an alternate name of a US town) is not tried alone
    assert _places(coder, "He renewed his licence in Michel Delving.") == []


def test_the_seed_meeting_is_located_in_tehran(coder):
    text = shared_path("seed", "article.txt").read_text(encoding="utf-8")
    coded = coder.code_text(text)
    assert any(e.code.startswith("04") and e.location and e.location.name == "Tehran" for e in coded.events)


def test_eval_with_the_statistical_recognizer(tmp_path):
    gold = tmp_path / "gold.jsonl"
    lines = shared_path("eval", "plover_gsr.jsonl").read_text(encoding="utf-8").splitlines()
    gold.write_text("\n".join(lines[:25]) + "\n", encoding="utf-8")
    rules = run_cli("eval", str(gold), "--json", str(tmp_path / "rules.json"))
    statistical = run_cli("eval", str(gold), "--ner", "--json", str(tmp_path / "ner.json"))
    assert rules.returncode == 0 and statistical.returncode == 0, statistical.stderr
    a = json.loads((tmp_path / "rules.json").read_text())
    b = json.loads((tmp_path / "ner.json").read_text())
    # the two recognizers only decide places and nationalities: the coded events agree on these records
    assert a["levels"]["plover"] == b["levels"]["plover"]



def test_a_long_run_of_names_tries_only_place_sized_prefixes(coder):
    # an all-capitalised block of thousands of words must not try every prefix of the run as a place name
    from eventscope.entities import NameRecognizer

    class CountingGazetteer:
        def __init__(self, inner):
            self.inner, self.calls = inner, 0

        def resolve(self, text, countries=()):
            self.calls += 1
            return self.inner.resolve(text, countries)

    counting = CountingGazetteer(coder.gazetteer)
    recognizer = NameRecognizer(counting, coder.matcher.actors)
    doc = next(coder.nlp.pipe([" ".join(["Iran Ministry Delegation Statement"] * 500)], disable=["ner"]))
    recognizer(doc)
    assert doc.ents and counting.calls < 50, counting.calls
