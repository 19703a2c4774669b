import json
from pathlib import Path

import pytest
from rich.console import Console

from eventscope.evaluate import (
    GoldFormatError,
    GoldRecord,
    evaluate,
    haversine_km,
    load_gold,
    score_record,
)
from eventscope.model import Actor, Event, Location

EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def ev(source, target, code=None, plover=None, **extra) -> dict:
    event = {"source": source, "target": target}
    if code is not None:
        event["code"] = code
    if plover is not None:
        event["plover"] = plover
    event.update(extra)
    return event


def rec(events, rid="r", **kw) -> GoldRecord:
    return GoldRecord(id=rid, text=kw.pop("text", "some text"), date=None, events=events, **kw)


def counts(result, level):
    c = result.levels[level]
    return (c.tp, c.fp, c.fn)


def by_id(preds: dict[str, list[dict]]):
    return lambda record: preds.get(record.id, [])


# ---- level rules -----------------------------------------------------------------------------------


def test_exact_match_counts_at_every_level():
    r = score_record(rec([ev("IRNGOVMIL", "SYR", "042")]), [ev("IRNGOVMIL", "SYR", "042")])
    for level in ("root", "code", "full", "plover"):
        assert counts(r, level) == (1, 0, 0)
    assert r.exact and not r.missing and not r.spurious


def test_first_three_letters_and_root_levels():
    gold = rec([ev("---GOV", "IRNGOVMIL", "042")])
    r = score_record(gold, [ev("---", "IRN", "042")])
    assert counts(r, "root") == counts(r, "code") == (1, 0, 0)
    assert counts(r, "full") == (0, 1, 1)
    assert not r.exact

    # 042 vs 043: same root (04) and same PLOVER type (CONSULT), different code
    r = score_record(rec([ev("IRN", "SYR", "042")]), [ev("IRNGOV", "SYR", "043")])
    assert counts(r, "root") == (1, 0, 0)
    assert counts(r, "code") == (0, 1, 1)
    assert counts(r, "plover") == (1, 0, 0)
    assert r.missing == [ev("IRN", "SYR", "042")]

    r = score_record(rec([ev("IRN", "SYR", "042")]), [ev("ISR", "SYR", "042")])
    assert counts(r, "root") == (0, 1, 1)


def test_wildcard_matches_any_actor_including_none():
    gold = rec([ev("*", "SYR", "042")])
    for source in ("IRNGOV", None, "USA"):
        r = score_record(gold, [ev(source, "SYR", "042")])
        assert counts(r, "code") == (1, 0, 0), source
        assert counts(r, "full") == (1, 0, 0), source
    r = score_record(rec([ev("IRN", "*", "042")]), [ev("IRN", None, "042")])
    assert counts(r, "full") == (1, 0, 0)


def test_null_target_matches_only_null_target():
    gold = rec([ev("IRNOPP", None, "141")])
    assert counts(score_record(gold, [ev("IRNOPP", None, "141")]), "full") == (1, 0, 0)
    r = score_record(gold, [ev("IRNOPP", "IRNGOV", "141")])
    assert [counts(r, level) for level in ("root", "code", "full", "plover")] == [(0, 1, 1)] * 4
    # and the other way round: a prediction with no target never matches a gold target
    r = score_record(rec([ev("IRNOPP", "IRNGOV", "141")]), [ev("IRNOPP", None, "141")])
    assert counts(r, "code") == (0, 1, 1)
    # an empty string is no actor either
    assert counts(score_record(gold, [ev("IRNOPP", "", "141")]), "code") == (1, 0, 0)


def test_quoted_and_special_actor_codes_compare_as_strings():
    gold = rec([ev('"INJURY TOLL"', "---", "1010"), ev("###", "GON", "174K")])
    r = score_record(gold, [ev('"INJURY TOLL"', "---", "1010"), ev("###", "GON", "174K")])
    assert counts(r, "full") == (2, 0, 0)
    # 1010 -> REQUEST and 174K -> COERCE through the longest known prefix
    assert counts(r, "plover") == (2, 0, 0)


def test_one_to_one_pairing_is_maximal_where_greedy_is_not():
    # A greedy pass would give p1 (the first candidate) to g1's wildcard and leave g2 with nothing.
    gold = rec([ev("IRN", "*", "042"), ev("IRN", "SYR", "042")])
    preds = [ev("IRN", "SYR", "042"), ev("IRN", "ISR", "042")]
    r = score_record(gold, preds)
    for level in ("root", "code", "full", "plover"):
        assert counts(r, level) == (2, 0, 0), level
    assert r.exact


def test_duplicate_predictions_are_false_positives():
    gold = rec([ev("IRN", "SYR", "042")])
    r = score_record(gold, [ev("IRN", "SYR", "042"), ev("IRN", "SYR", "042")])
    assert counts(r, "code") == (1, 1, 0)
    assert not r.exact
    assert len(r.spurious) == 1


def test_plover_only_records_are_scored_at_plover_level_only():
    gold = rec([ev("HUNGOV", "ROUGOV", plover="AGREE"), ev("ROUGOV", "HUNGOV", plover="AGREE")])
    # 036 maps to AGREE; 057 maps to SUPPORT
    preds = [ev("HUNGOV", "ROUGOV", "036"), ev("ROU", "HUN", "057")]
    r = score_record(gold, preds)
    for level in ("root", "code", "full"):
        assert counts(r, level) == (0, 0, 0), level  # gold left out, and so are the predictions
    assert counts(r, "plover") == (1, 1, 1)
    assert r.level == "plover"
    assert r.missing == [gold.events[1]]
    assert [p["code"] for p in r.spurious] == ["057"]
    assert not r.exact

    # a prediction may name its PLOVER type itself; it then wins over the mapping
    r = score_record(gold, [ev("HUNGOV", "ROUGOV", "057", plover="AGREE"), ev("ROUGOV", "HUNGOV", "036")])
    assert counts(r, "plover") == (2, 0, 0)
    assert r.exact


def test_plover_only_gold_events_are_left_out_of_code_levels_in_mixed_records():
    gold = rec([ev("IRN", "SYR", "042"), ev("USA", "IRN", plover="ACCUSE")])
    r = score_record(gold, [ev("IRN", "SYR", "042"), ev("USA", "IRN", "111")])
    assert counts(r, "code") == (1, 1, 0)
    assert counts(r, "plover") == (2, 0, 0)


def test_cameo_01_02_are_left_out_at_plover_level_on_both_sides():
    gold = rec([ev("IRN", "SYR", "010"), ev("IRN", "SYR", "042")])
    r = score_record(gold, [ev("IRN", "SYR", "042"), ev("IRN", "SYR", "020")])
    assert counts(r, "plover") == (1, 0, 0)
    assert counts(r, "code") == (1, 1, 1)
    # in a plover-only record an 01/02 prediction is not a plover FP, but the record is not exact either
    gold = rec([ev("IRN", "SYR", plover="CONSULT")])
    r = score_record(gold, [ev("IRN", "SYR", "042"), ev("IRN", "SYR", "010")])
    assert counts(r, "plover") == (1, 0, 0)
    assert not r.exact


def test_exact_and_empty_gold():
    assert score_record(rec([]), []).exact
    r = score_record(rec([]), [ev("IRN", "SYR", "042")])
    assert not r.exact
    assert counts(r, "code") == (0, 1, 0)
    assert counts(r, "plover") == (0, 1, 0)


def test_predictions_from_model_events():
    event = Event(
        article_id="a",
        sentence_index=0,
        start=0,
        end=10,
        evidence="Iran visited Syria",
        source=Actor("IRNGOV", "IRN", ("GOV",)),
        target=Actor("SYR", "SYR"),
        code="042",
        rule="visit",
        location=Location("Damascus", "SYR", lat=33.51, lon=36.29),
    )
    r = score_record(rec([ev("IRNGOV", "SYR", "042")]), [event])
    assert counts(r, "full") == (1, 0, 0)
    assert r.predicted[0]["rule"] == "visit" and r.predicted[0]["plover"] == "CONSULT"
    assert r.predicted_location["name"] == "Damascus"


# ---- report ----------------------------------------------------------------------------------------


def test_report_totals_exact_no_event_accuracy_and_per_root(tmp_path):
    records = [
        rec([ev("IRN", "SYR", "042")], "a"),
        rec([ev("USA", "IRN", "111"), ev("USA", "IRN", "193")], "b"),
        rec([], "c"),
        rec([], "d"),
        rec([ev("XXX", "YYY", "042")], "off", active=False),
    ]
    preds = {
        "a": [ev("IRN", "SYR", "042")],
        "b": [ev("USA", "IRN", "112"), ev("USA", "IRN", "173", evidence="the words", rule="r17")],
        "d": [ev("GBR", "FRA", "036")],
    }
    coded: list[str] = []

    def coder(record):
        coded.append(record.id)
        return preds.get(record.id, [])

    ticks: list[int] = []
    report = evaluate(records, coder, progress=ticks.append)
    assert coded == ["a", "b", "c", "d"]  # the inactive record is never coded
    assert ticks == [1, 2, 3, 4, 5]
    d = report.to_dict()
    assert d["records"] == 4 and d["skipped"] == 1
    assert d["levels"]["root"] == {
        "tp": 2,
        "fp": 2,
        "fn": 1,
        "precision": 0.5,
        "recall": 0.6667,
        "f1": 0.5714,
    }
    assert (
        d["levels"]["code"]["tp"] == 1 and d["levels"]["code"]["fp"] == 3 and d["levels"]["code"]["fn"] == 2
    )
    assert d["exact"] == 0.5  # a and c
    assert d["no_event_accuracy"] == 0.5  # c left empty, d not
    assert d["location"] is None
    per_root = d["per_root"]
    assert set(per_root) == {"03", "04", "11", "17", "19"}
    assert (per_root["11"]["tp"], per_root["11"]["fp"], per_root["11"]["fn"]) == (1, 0, 0)
    assert (per_root["19"]["tp"], per_root["19"]["fn"]) == (0, 1)  # FN under the gold's root
    assert (per_root["17"]["fp"], per_root["17"]["fn"]) == (1, 0)  # FP under the prediction's root
    assert per_root["03"]["fp"] == 1
    json.dumps(d)  # serialisable as is

    errors = tmp_path / "errors.jsonl"
    assert report.write_errors(errors) == 2
    lines = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["b", "d"]
    b = lines[0]
    assert b["gold"] == records[1].events
    assert b["missing"] == [ev("USA", "IRN", "111"), ev("USA", "IRN", "193")]
    assert [(p["code"], p.get("evidence"), p.get("rule")) for p in b["spurious"]] == [
        ("112", None, None),
        ("173", "the words", "r17"),
    ]
    assert b["predicted"][1]["evidence"] == "the words"


def test_no_event_accuracy_is_none_without_empty_records():
    report = evaluate([rec([ev("IRN", "SYR", "042")])], lambda r: [])
    assert report.to_dict()["no_event_accuracy"] is None


def test_errors_file_carries_extra_fields_but_not_the_parse(tmp_path):
    gold = rec(
        [ev("ARN", "GON", "064")], "DEMO-00", extra={"category": "DEMO", "note": "n", "parse": "(ROOT)"}
    )
    report = evaluate([gold], lambda r: [ev("ARN", "GON", "064"), ev("GON", "ARN", "064")])
    out = tmp_path / "e.jsonl"
    assert report.write_errors(out) == 1
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["category"] == "DEMO" and line["note"] == "n" and "parse" not in line
    assert line["text"] == "some text" and line["missing"] == []
    assert line["spurious"] == [{"source": "GON", "target": "ARN", "code": "064", "plover": "COOPERATE"}]


def test_coder_failure_is_recorded_and_the_run_goes_on(tmp_path):
    records = [rec([ev("IRN", "SYR", "042")], "boom"), rec([ev("IRN", "SYR", "042")], "fine")]

    def coder(record):
        if record.id == "boom":
            raise RuntimeError("parser exploded")
        return [ev("IRN", "SYR", "042")]

    report = evaluate(records, coder)
    d = report.to_dict()
    assert d["coder_errors"] == 1 and d["levels"]["code"]["tp"] == 1 and d["levels"]["code"]["fn"] == 1
    report.write_errors(tmp_path / "e.jsonl")
    line = json.loads((tmp_path / "e.jsonl").read_text(encoding="utf-8"))
    assert line["coder_error"] == "RuntimeError: parser exploded"


def test_location_accuracy_with_a_resolver():
    places = {"Tehran": {"country": "IRN", "lat": 35.694, "lon": 51.422}}
    asked: list[str] = []

    def locate(location):
        asked.append(location["name"])
        return places.get(location["name"])

    near = {"name": "Karaj", "country": "IRN", "lat": 35.84, "lon": 50.94}  # ~46 km from Tehran
    far = {"name": "Isfahan", "country": "IRN", "lat": 32.65, "lon": 51.67}
    records = [
        rec([ev("IRN", "*", plover="PROTEST")], "near", location={"name": "Tehran"}),
        rec([ev("IRN", "*", plover="PROTEST")], "far", location={"name": "Tehran"}),
        rec([ev("IRN", "*", plover="PROTEST")], "iso2", location={"name": "Bam", "country code": "IR"}),
        rec([ev("IRN", "*", plover="PROTEST")], "nowhere", location={"name": "Atlantis"}),
        rec([ev("IRN", "*", plover="PROTEST")], "none-predicted", location={"name": "Tehran"}),
    ]
    preds = {
        "near": [ev("USA", None, "141", location=far), ev("IRN", None, "141", location=near)],
        "far": [ev("IRN", None, "141", location=far)],
        "iso2": [
            ev("IRN", None, "141", location={"name": "Bam", "country": "IRN", "lat": 29.1, "lon": 58.35})
        ],
    }
    assert 40 < haversine_km(35.694, 51.422, 35.84, 50.94) < 50
    report = evaluate(records, by_id(preds), locate=locate)
    # the matched prediction's location is used, not the first one
    assert report.results[0].predicted_location == near
    loc = report.to_dict()["location"]
    assert loc["records"] == 4 and loc["unresolved"] == 1
    assert loc["country_accuracy"] == 0.75  # near, far, iso2 right; none-predicted wrong
    # gold coordinates for near, far, none-predicted (the resolver does not know Bam): near only is close
    assert loc["within_50km"] == 0.3333
    assert "Atlantis" in asked

    console = Console(record=True, width=140)
    report.render(console)
    assert "country accuracy 0.7500" in console.export_text()

    # without a resolver, only places given with a country can be compared
    assert evaluate(records, by_id(preds)).to_dict()["location"] == {
        "records": 1,
        "country_accuracy": 1.0,
        "within_50km": None,
        "unresolved": 4,
    }


def test_render_shows_levels_summary_and_roots():
    report = evaluate([rec([ev("IRN", "SYR", "042")]), rec([])], lambda r: [ev("IRN", "SYR", "042")])
    console = Console(record=True, width=140)
    report.render(console)
    text = console.export_text()
    for words in ("plover", "full", "exact 0.5000", "no_event_accuracy 0.0000", "skipped 0", "CONSULT"):
        assert words in text


# ---- loading ---------------------------------------------------------------------------------------


def test_load_gold_fields_and_defaults(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "x1",
                "text": "t",
                "date": "2024-05-21",
                "events": [ev("IRN", None, "0332")],
                "category": "DEMO",
                "config": {"require_dyad": False},
            }
        )
        + "\n\n"
        + json.dumps({"text": "u", "date": None, "events": [], "active": False, "location": {"name": "Bam"}})
        + "\n",
        encoding="utf-8",
    )
    a, b = load_gold(path)
    assert (a.id, a.date, a.active, a.config, a.extra) == (
        "x1",
        "2024-05-21",
        True,
        {"require_dyad": False},
        {"category": "DEMO"},
    )
    assert a.events[0]["code"] == "0332"
    assert b.id == "gold:3" and not b.active and b.location == {"name": "Bam"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('{"text": "t", "events": [{"source": "A", "target": "B", "code": 42}]}', "must be a string"),
        ('{"text": "t", "events": [{"source": "A", "target": "B"}]}', "needs a `code` or a `plover`"),
        ('{"text": "t"}', "`events` must be a list"),
        ('["a list"]', "JSON object"),
    ],
)
def test_load_gold_rejects_bad_lines_with_a_reason(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "text": "t", "events": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=message) as info:
        load_gold(path)
    assert "bad.jsonl:2" in str(info.value)


def test_load_gold_missing_file(tmp_path):
    with pytest.raises(GoldFormatError, match="cannot read"):
        load_gold(tmp_path / "nope.jsonl")


# ---- the real gold sets ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["petrarch2_validation.jsonl", "plover_gsr.jsonl"])
def test_real_gold_sets_scored_against_themselves_and_nothing(name):
    records = load_gold(EVAL_DIR / name)
    report = evaluate(records, lambda r: [dict(e) for e in r.events])
    d = report.to_dict()
    levels_with_events = [lv for lv, c in d["levels"].items() if c["tp"] + c["fn"] > 0]
    assert "plover" in levels_with_events
    for level in levels_with_events:
        assert d["levels"][level]["f1"] == 1.0, level
        assert d["levels"][level]["fp"] == 0
    assert d["exact"] == 1.0 and d["no_event_accuracy"] == 1.0
    assert d["records"] + d["skipped"] == len(records)

    empty = evaluate(records, lambda r: []).to_dict()
    for level in levels_with_events:
        assert empty["levels"][level]["recall"] == 0.0 and empty["levels"][level]["fn"] > 0


def test_petrarch_set_counts():
    records = load_gold(EVAL_DIR / "petrarch2_validation.jsonl")
    report = evaluate(records, lambda r: [dict(e) for e in r.events])
    d = report.to_dict()
    assert (d["records"], d["skipped"]) == (279, 5)
    assert d["levels"]["code"]["tp"] == 352  # README: active records hold 352 events
    assert set(d["levels"]) == {"root", "code", "full", "plover"}
