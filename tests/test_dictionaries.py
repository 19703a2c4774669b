"""Knowledge base and verb patterns: PETRARCH-format readers, eventscope's TSV files, the shipped data
(built by scripts/build_kb.py), and user dictionaries in place of or over the built-in ones."""

from __future__ import annotations

from datetime import date

from conftest import REPO, shared_path

from eventscope.coder import Coder, CoderConfig
from eventscope.kb import builtin_knowledge_base, read_actors_tsv, write_actors_tsv
from eventscope.kb.model import ActorEntry, CodePeriod
from eventscope.kb.petrarch import parse_code_block, read_actor_dictionary, read_agent_dictionary
from eventscope.patterns import builtin_verb_dictionary, read_layer
from eventscope.patterns import data_dir as patterns_dir
from eventscope.patterns.petrarch import read_verb_dictionary


def test_code_blocks_and_dates():
    assert parse_code_block("IRNGOV 19800528-20000526") == CodePeriod("IRNGOV", date(1980, 5, 28), date(2000, 5, 26))
    p = parse_code_block("HOB < 950601")
    assert p.code == "HOB" and p.start is None and p.end == date(1995, 5, 31)  # before D
    assert parse_code_block("HOBREB > 990816").start == date(1999, 8, 16)  # from D on
    assert parse_code_block("IGOUNO") == CodePeriod("IGOUNO")
    assert parse_code_block("KORGOVBUS 2004017-20061201") is None  # malformed in the source: reported, not guessed


def test_narrowest_dated_range_wins_and_ends_are_inclusive():
    entry = ActorEntry("x", ["SAM"], [
        CodePeriod("HOB"), CodePeriod("HOBMIL", date(2008, 1, 20), date(2012, 11, 9)),
        CodePeriod("HOBGOV", date(2012, 11, 9), date(2013, 1, 19)), CodePeriod("HOBELI", date(2013, 1, 19), None),
    ])
    assert entry.code_on(date(2012, 11, 9))[0] == "HOBGOV"  # both cover it: the narrower wins
    assert entry.code_on(date(2013, 1, 19))[0] == "HOBGOV"  # end inclusive, narrower than the open range
    assert entry.code_on(date(2013, 1, 20))[0] == "HOBELI"
    assert entry.code_on(date(1990, 1, 1))[0] == "HOB"  # outside every range: the default code


def test_petrarch_validation_dictionaries_read():
    d = shared_path("eval", "petrarch2_dictionaries")
    actors = read_actor_dictionary(d / "PETR.Validate.actors.txt")
    names = {n for a in actors for n in a.names}
    assert {"ARNOR", "MINAS TIRITH", "SMEAGOL", "U.N."} <= names
    shire = next(a for a in actors if "THE SHIRE" in a.names)
    assert shire.periods[0].code == "FRO/BIL/SAM"
    agents = {n: a.code for a in read_agent_dictionary(d / "PETR.Validate.agents.txt") for n in a.names}
    assert agents["CONGRESSMEN"] == "~LEG"  # substitution set !PERSON!
    assert agents["MINISTRY OF SILLY WALKS"] == "~GOV"
    assert "POLICES" not in agents and agents["POLICE"] == "~COP"  # {} means no plural
    assert agents["GOLDEN GEESE"] == "~GGS"  # irregular plural
    verbs = read_verb_dictionary(d / "PETR.Validate.verbs.txt")
    conf = verbs.groups["CONFISCATE"]
    assert any(v.words == ("WIRE", "TAP") and v.verb_index == 1 for v in conf.verbs)


def test_shipped_data_matches_the_source():
    """The converted files hold what PETRARCH2's dictionaries hold (run scripts/build_kb.py after changes)."""
    src = shared_path("dictionaries", "petrarch2")
    vd = read_verb_dictionary(src / "CAMEO.2.0.txt")
    shipped = read_layer(patterns_dir() / "petrarch2")
    assert set(shipped.groups) == set(vd.groups)
    assert shipped.n_patterns == vd.n_patterns and shipped.n_verbs == vd.n_verbs
    assert {p.text for g in shipped.groups.values() for p in g.patterns} == {
        p.text for g in vd.groups.values() for p in g.patterns}
    kb = builtin_knowledge_base()
    assert len(kb.actors) > 27000 and len(kb.agents) > 2000 and len(kb.discards) > 400  # year discards left out
    for f in ("kb/data/petrarch2/LICENSE.petrarch2", "patterns/data/petrarch2/LICENSE.petrarch2"):
        assert "MIT" in (REPO / "eventscope" / f).read_text()


def test_actor_tsv_round_trip(tmp_path):
    entries = [ActorEntry("es:test", ["Zorblax", "the Zorb"], [CodePeriod("ZRB"), CodePeriod(
        "ZRBGOV", date(2020, 1, 1), date(2021, 12, 31), "test")], "country", "test")]
    write_actors_tsv(tmp_path / "actors.tsv", entries, ["a comment"])
    back = read_actors_tsv(tmp_path / "actors.tsv")
    assert back[0].names == ["Zorblax", "the Zorb"] and back[0].periods == entries[0].periods


def test_add_dictionaries_layers_a_user_actor(tmp_path):
    (tmp_path / "my.actors.txt").write_text("ZORBLAX_ [ZRB]\n+ZORBLAXI\n")
    base = Coder.from_config()
    text = "Zorblax condemned France on Monday."
    assert not base.code_text(text).events
    layered = Coder.from_config(CoderConfig(add_dictionaries=[str(tmp_path)]), nlp=base.nlp)
    assert {(e.source_code, e.target_code) for e in layered.code_text(text).events} == {("ZRB", "FRA")}
    # the built-in actors are still there
    assert layered.code_text("Egypt condemned France on Monday.").events


def test_dictionaries_replace_only_their_kinds(tmp_path):
    (tmp_path / "tiny.actors.txt").write_text("ZORBLAX_ [ZRB]\n")
    coder = Coder.from_config(CoderConfig(dictionaries=str(tmp_path)))
    assert not coder.code_text("Egypt condemned France on Monday.").events  # actors replaced
    (tmp_path / "tiny.actors.txt").write_text("ZORBLAX_ [ZRB]\nQUUX_ [QUX]\n")
    coder = Coder.from_config(CoderConfig(dictionaries=str(tmp_path)), nlp=coder.nlp)
    assert {(e.source_code, e.target_code) for e in coder.code_text("Zorblax condemned Quux on Monday.").events} == {
        ("ZRB", "QUX")}
    assert len(coder.verbs.groups) == len(builtin_verb_dictionary().groups)  # verbs kept
