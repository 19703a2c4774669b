"""The analyses on stores with known events: time series, network, alerts and rankings, number by number."""

from __future__ import annotations

import json
import statistics
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest
from synthetic_store import MONDAY, PER_WEEK, WEEKS, Ev, build_store, calm, planted_escalations

from eventscope.analysis import (
    actor_network,
    dyad_series,
    dyad_totals,
    escalation_alerts,
    overview,
    top_actors,
    top_dyads,
    top_event_types,
)
from eventscope.query import EventFilter
from eventscope.store import open_store

D = date

KNOWN = [
    # Iran's government towards Israel: three events in January, none in February, one in March
    Ev("IRNGOV", "ISR", "111", 3, -2.0, D(2024, 1, 3)),
    Ev("IRNGOV", "ISR", "190", 4, -10.0, D(2024, 1, 20)),
    Ev("IRNGOV", "ISR", "040", 1, 1.0, D(2024, 1, 25)),
    Ev("IRNGOV", "ISR", "057", 1, 8.0, D(2024, 3, 5)),
    Ev("IRNGOV", "ISR", "190", 4, -10.0, D(2024, 3, 6), negated=True),  # "did not attack": not counted
    Ev("IRNGOV", "ISR", "190", 4, -10.0, D(2024, 3, 7), hypothetical=True),  # "could attack": not counted
    Ev("IRNGOV", "ISR", "111", 3, -2.0, None),  # no date: in totals, not in time series
    # the other way
    Ev("ISRMIL", "IRN", "190", 4, -10.0, D(2024, 1, 10)),
    Ev("ISRMIL", "IRN", "173", 4, -5.0, D(2024, 2, 14)),
    # others
    Ev("IRN", "SYR", "040", 1, 1.0, D(2024, 2, 1)),
    Ev("IRNGOV", "SYRGOV", "040", 1, 1.0, D(2024, 2, 1)),
    Ev("SYR", "SYRREB", "141", 4, -6.5, D(2024, 2, 2)),  # a domestic event: a self-loop at country level
    Ev("USA", None, "010", 1, 0.0, D(2024, 2, 3)),  # no target: not a dyad
    Ev("IGOUNOGOV", "ISR", "023", 1, 3.4, D(2024, 3, 1)),
]


@pytest.fixture(scope="module")
def known(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("known") / "known.duckdb", KNOWN)
    with open_store(path, read_only=True) as store:
        yield store


def by_period(frame) -> dict[str, dict]:
    return {r["period"]: r for r in frame}


# -- time series ---------------------------------------------------------------------------------------


def test_monthly_series_counts_means_and_shares(known):
    rows = dyad_series(known, "IRN", "ISR", by="month").records()
    assert [r["period"] for r in rows] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    jan, feb, mar = rows
    assert jan["events"] == 3
    assert jan["goldstein_mean"] == pytest.approx((-2 - 10 + 1) / 3)
    assert jan["verbal_cooperation_share"] == pytest.approx(1 / 3)
    assert jan["material_cooperation_share"] == 0
    assert jan["verbal_conflict_share"] == pytest.approx(1 / 3)
    assert jan["material_conflict_share"] == pytest.approx(1 / 3)
    assert jan["conflict_share"] == pytest.approx(2 / 3)
    # an empty month is a row with no events and no means, so charts and baselines see the gap
    assert feb["events"] == 0 and feb["goldstein_mean"] is None and feb["conflict_share"] is None
    # the negated and hypothetical March attacks are not counted
    assert mar["events"] == 1 and mar["goldstein_mean"] == 8.0 and mar["conflict_share"] == 0


def test_series_both_directions_and_prefixes(known):
    one_way = by_period(dyad_series(known, "IRN", "ISR"))
    both = by_period(dyad_series(known, "ISR", "IRN", both_directions=True))
    assert both["2024-01-01"]["events"] == 4 and both["2024-02-01"]["events"] == 1
    assert both["2024-01-01"]["goldstein_mean"] == pytest.approx((-2 - 10 + 1 - 10) / 4)
    assert sum(r["events"] for r in both.values()) == sum(r["events"] for r in one_way.values()) + 2
    # a longer prefix narrows: IRNGOV is all of Iran's events here, IRNMIL none
    assert by_period(dyad_series(known, "irngov", "isr")) == one_way
    assert len(dyad_series(known, "IRNMIL", "ISR")) == 0


def test_weekly_and_daily_periods(known):
    weeks = dyad_series(known, "IRN", "ISR", by="week").records()
    starts = [date.fromisoformat(r["period"]) for r in weeks]
    assert starts[0] == D(2024, 1, 1) and starts[-1] == D(2024, 3, 4)  # Mondays of the first and last event
    assert all(s.weekday() == 0 for s in starts)
    assert all(b - a == timedelta(days=7) for a, b in zip(starts, starts[1:], strict=False))
    assert {r["period"]: r["events"] for r in weeks if r["events"]} == {
        "2024-01-01": 1, "2024-01-15": 1, "2024-01-22": 1, "2024-03-04": 1,
    }  # fmt: skip
    days = dyad_series(known, "IRN", "ISR", by="day").records()
    assert days[0]["period"] == "2024-01-03" and days[-1]["period"] == "2024-03-05"
    assert len(days) == (D(2024, 3, 5) - D(2024, 1, 3)).days + 1
    assert sum(r["events"] for r in days) == 4


def test_series_span_follows_since_and_until_and_flags(known):
    flt = EventFilter(since=D(2023, 12, 15), until="2024-04-30")
    rows = dyad_series(known, "IRN", "ISR", flt=flt).records()
    assert [r["period"] for r in rows] == ["2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    assert [r["events"] for r in rows] == [0, 3, 0, 1, 0]
    flagged = by_period(dyad_series(known, "IRN", "ISR", flt=EventFilter(include_negated=True,
                                                                         include_hypothetical=True)))
    assert flagged["2024-03-01"]["events"] == 3
    assert len(dyad_series(known, "FRA", "DEU")) == 0  # nothing: no rows, no error


def test_series_frames(known):
    series = dyad_series(known, "IRN", "ISR")
    df = series.to_pandas()
    assert list(df.columns) == series.columns and len(df) == 3
    assert str(df["period"].dtype).startswith("datetime64")
    assert df["events"].sum() == 4
    pl = series.to_polars()
    assert pl.shape == (3, len(series.columns)) and pl["events"].sum() == 4
    assert series.to_arrow().num_rows == 3
    json.dumps(series.records())  # JSON-ready


def test_bad_arguments_are_clear(known):
    with pytest.raises(ValueError, match="by must be one of day, week, month"):
        dyad_series(known, "IRN", "ISR", by="year")
    with pytest.raises(ValueError, match="since must be a date"):
        dyad_series(known, "IRN", "ISR", flt=EventFilter(since="last Tuesday"))
    with pytest.raises(ValueError, match="level must be"):
        actor_network(known, level="region")
    with pytest.raises(ValueError, match="window"):
        escalation_alerts(known, window=0)
    with pytest.raises(ValueError, match="k must be"):
        escalation_alerts(known, k=-1)
    with pytest.raises(ValueError, match="by must be one of code, root, plover"):
        top_event_types(known, by="verb")


# -- network ---------------------------------------------------------------------------------------------


def test_network_edges_and_nodes(known):
    net = actor_network(known)
    edges = {(e["source"], e["target"]): e for e in net.edges}
    assert set(edges) == {("IRN", "ISR"), ("ISR", "IRN"), ("IRN", "SYR"), ("SYR", "SYR"), ("IGOUNOGOV", "ISR")}
    irn_isr = edges[("IRN", "ISR")]  # four dated events and one without a date
    assert irn_isr["events"] == 5
    assert irn_isr["goldstein_mean"] == pytest.approx((-2 - 10 + 1 + 8 - 2) / 5)
    assert irn_isr["conflict_share"] == pytest.approx(3 / 5)
    assert irn_isr["first_date"] == "2024-01-03" and irn_isr["last_date"] == "2024-03-05"
    assert edges[("ISR", "IRN")]["goldstein_mean"] == pytest.approx(-7.5)
    assert edges[("IRN", "SYR")]["events"] == 2
    nodes = {n["id"]: n for n in net.nodes}
    assert (nodes["IRN"]["events"], nodes["IRN"]["out_events"], nodes["IRN"]["in_events"]) == (9, 7, 2)
    assert (nodes["ISR"]["events"], nodes["ISR"]["out_events"], nodes["ISR"]["in_events"]) == (8, 2, 6)
    # Syria's domestic event counts once in its total, and both as out and in
    assert (nodes["SYR"]["events"], nodes["SYR"]["out_events"], nodes["SYR"]["in_events"]) == (3, 1, 3)
    assert nodes["IRN"]["goldstein_mean"] == pytest.approx((-2 - 10 + 1 + 8 - 2 - 10 - 5 + 1 + 1) / 9)
    assert nodes["IRN"]["name"] == "Iran" and nodes["IGOUNOGOV"]["name"] is None


def test_network_options(known):
    net = actor_network(known, min_events=2)
    assert {(e["source"], e["target"]) for e in net.edges} == {("IRN", "ISR"), ("ISR", "IRN"), ("IRN", "SYR")}
    assert {n["id"] for n in net.nodes} == {"IRN", "ISR", "SYR"}
    assert {(e["source"], e["target"]) for e in actor_network(known, max_edges=1).edges} == {("IRN", "ISR")}
    by_code = {(e["source"], e["target"]): e["events"] for e in actor_network(known, level="code").edges}
    assert by_code[("IRNGOV", "ISR")] == 5 and by_code[("ISRMIL", "IRN")] == 2 and by_code[("SYR", "SYRREB")] == 1
    january = actor_network(known, EventFilter(until=D(2024, 1, 31)))
    assert {(e["source"], e["target"]): e["events"] for e in january.edges} == {("IRN", "ISR"): 3, ("ISR", "IRN"): 1}


def test_network_to_networkx_graphml_and_json(known, tmp_path: Path):
    net = actor_network(known)
    g = net.to_networkx()
    assert isinstance(g, nx.DiGraph) and g.number_of_nodes() == 4 and g.number_of_edges() == 5
    assert g["IRN"]["ISR"]["weight"] == 5 and g["IRN"]["ISR"]["goldstein_mean"] == pytest.approx(-1.0)
    assert g.has_edge("SYR", "SYR")
    path = tmp_path / "net.graphml"
    net.write_graphml(path)
    back = nx.read_graphml(path)
    assert back.is_directed() and set(back.edges) == set(g.edges)
    assert back["ISR"]["IRN"]["weight"] == 2 and back["ISR"]["IRN"]["goldstein_mean"] == pytest.approx(-7.5)
    assert back.nodes["IRN"]["events"] == 9 and back.nodes["IRN"]["name"] == "Iran"
    net.write_json(tmp_path / "net.json")
    data = json.loads((tmp_path / "net.json").read_text())
    assert data["directed"] and data["graph"] == {"level": "country"}
    from_json = nx.node_link_graph(data, edges="edges")
    assert from_json["IRN"]["ISR"]["weight"] == 5 and from_json.nodes["SYR"]["in_events"] == 3


# -- rankings and overview ------------------------------------------------------------------------------


def test_top_actors_dyads_and_event_types(known):
    actors = top_actors(known, n=3).records()
    assert [(a["actor"], a["events"], a["as_source"], a["as_target"]) for a in actors] == [
        ("IRN", 9, 7, 2), ("ISR", 8, 2, 6), ("SYR", 3, 1, 3),
    ]  # fmt: skip
    assert actors[0]["name"] == "Iran"
    everyone = {a["actor"]: a for a in top_actors(known, n=50)}
    assert everyone["USA"]["events"] == 1 and everyone["USA"]["as_target"] == 0  # an event without a target
    dyads = top_dyads(known, n=3).records()
    # ties are broken by the actor codes, so the order is stable
    assert [(d["source"], d["target"], d["events"]) for d in dyads] == [
        ("IRN", "ISR", 5), ("IRN", "SYR", 2), ("ISR", "IRN", 2),
    ]  # fmt: skip
    assert dyads[0]["goldstein_mean"] == pytest.approx(-1.0)
    roots = top_event_types(known, n=3, by="root").records()
    assert roots[0]["root"] == "04" and roots[0]["events"] == 3 and roots[0]["name"] == "CONSULT"
    assert roots[0]["share"] == pytest.approx(3 / 12)
    codes = {r["code"]: r for r in top_event_types(known, n=20)}
    assert codes["190"]["events"] == 2 and codes["190"]["name"] and codes["190"]["goldstein_mean"] == -10
    assert sum(r["events"] for r in codes.values()) == 12


def test_overview(known):
    out = overview(known, n=2)
    assert out["events"] == 12 and out["dated"] == 11
    assert (out["first_date"], out["last_date"]) == ("2024-01-03", "2024-03-05")
    assert out["left_out"] == {"negated": 1, "hypothetical": 1}
    quads = {q["quad_class"]: q for q in out["by_quad_class"]}
    assert {k: q["events"] for k, q in quads.items()} == {1: 6, 3: 2, 4: 4}
    assert quads[4]["name"] == "material conflict" and quads[4]["goldstein_mean"] == pytest.approx(-31.5 / 4)
    assert [a["actor"] for a in out["top_actors"]] == ["IRN", "ISR"]
    assert out["top_roots"][0]["root"] == "04" and len(out["top_codes"]) == 2
    json.dumps(out)
    with_flags = overview(known, EventFilter(include_negated=True))
    assert with_flags["events"] == 13 and with_flags["left_out"] == {"negated": 0, "hypothetical": 1}


def test_overview_counts_intents_and_reported_speech(tmp_path):
    day = D(2024, 5, 1)
    path = build_store(tmp_path / "flags.duckdb", [
        Ev("IRN", "ISR", "138", 3, -7.0, day, intent=True),  # a threat
        Ev("IRN", "ISR", "138", 3, -7.0, day + timedelta(days=1), intent=True, reported=True),
        Ev("IRN", "ISR", "190", 4, -10.0, day, reported=True),
        Ev("IRN", "ISR", "138", 3, -7.0, day, intent=True, negated=True),  # left out, so not counted
        Ev("ISR", "IRN", "040", 1, 1.0, day),
    ])  # fmt: skip
    with open_store(path, read_only=True) as store:
        out = overview(store)
        assert (out["events"], out["intent"], out["reported"]) == (4, 2, 2)
        assert overview(store, EventFilter(include_negated=True))["intent"] == 3
        assert overview(store, EventFilter(intent=False))["intent"] == 0


def test_dyad_totals_carry_sums_that_add_up(known):
    totals = dyad_totals(known).records()
    assert sum(t["events"] for t in totals) == 11  # every event with both actors
    for t in totals:
        assert t["goldstein_sum"] / t["goldstein_events"] == pytest.approx(t["goldstein_mean"])


# -- escalation alerts ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("planted") / "planted.duckdb", planted_escalations())
    with open_store(path, read_only=True) as store:
        yield store


def test_alert_fires_on_a_planted_jump_and_not_on_noise(planted):
    last = (MONDAY + timedelta(weeks=WEEKS)).isoformat()
    alerts = escalation_alerts(planted, by="week", window=8, k=3.0).records()
    assert all(a["source"] != "CHN" for a in alerts), alerts
    rus = [a for a in alerts if a["source"] == "RUS"]
    assert {(a["period"], a["metric"]) for a in rus} == {
        (last, "conflict_share"), (last, "conflict_events"), (last, "goldstein_mean"),
    }  # fmt: skip
    share = next(a for a in rus if a["metric"] == "conflict_share")
    baseline = [calm(w) / PER_WEEK for w in range(WEEKS - 8, WEEKS)]
    assert share["value"] == pytest.approx(0.9)
    assert share["baseline_mean"] == pytest.approx(statistics.mean(baseline))
    assert share["baseline_sd"] == pytest.approx(statistics.stdev(baseline))
    assert share["z"] == pytest.approx((0.9 - statistics.mean(baseline)) / max(statistics.stdev(baseline), 0.05))
    assert share["direction"] == "escalation" and share["events"] == PER_WEEK and share["baseline_periods"] == 8
    gold = next(a for a in rus if a["metric"] == "goldstein_mean")
    assert gold["value"] == pytest.approx((18 * -5 + 2 * 3) / 20) and gold["z"] < -3
    assert gold["direction"] == "escalation"  # a lower Goldstein mean is an escalation too
    count = next(a for a in rus if a["metric"] == "conflict_events")
    counts = [calm(w) for w in range(WEEKS - 8, WEEKS)]
    assert count["value"] == 18 and count["baseline_periods"] == 8 and count["direction"] == "escalation"
    assert count["baseline_mean"] == pytest.approx(statistics.mean(counts))
    assert count["baseline_sd"] == pytest.approx(statistics.stdev(counts))
    assert count["z"] == pytest.approx((18 - statistics.mean(counts)) / max(statistics.stdev(counts), 1.0))
    assert alerts[0]["period"] == last  # newest first


def test_alert_options_k_window_since_and_min_events(planted):
    last = MONDAY + timedelta(weeks=WEEKS)
    assert escalation_alerts(planted, k=100).records() == []

    def khm_last(**kw):
        return [a for a in escalation_alerts(planted, **kw) if a["source"] == "KHM" and a["period"] == str(last)]

    # with a short window the baseline is the calm weeks: the return of conflict is an alert ...
    assert {a["metric"] for a in khm_last(window=4)} == {"conflict_share", "conflict_events", "goldstein_mean"}
    # ... with a long one it also holds the first ten weeks of conflict, and the last week is no surprise
    assert khm_last(window=30) == []
    # the end of the first conflict weeks is a de-escalation
    week10 = str(MONDAY + timedelta(weeks=10))
    calmer = [a for a in escalation_alerts(planted, window=4) if a["source"] == "KHM" and a["period"] == week10]
    assert calmer and all(a["direction"] == "de-escalation" for a in calmer)
    # since picks the periods reported; the baseline before it is still used
    recent = escalation_alerts(planted, EventFilter(since=last), window=8).records()
    assert {(a["source"], a["period"]) for a in recent} == {("RUS", str(last)), ("KHM", str(last))}
    assert escalation_alerts(planted, EventFilter(since=last + timedelta(days=7))).records() == []
    # periods with fewer events than min_events are skipped: nothing is left to compare
    assert escalation_alerts(planted, min_events=PER_WEEK + 1).records() == []
    # months: January to May, so May has a baseline of four months, not five
    monthly = escalation_alerts(planted, by="month").records()
    assert {(a["source"], a["period"], a["direction"]) for a in monthly if a["metric"] == "conflict_share"} >= {
        ("RUS", "2024-05-01", "escalation")
    }
    assert all(a["source"] != "CHN" for a in monthly)
    assert escalation_alerts(planted, by="month", min_periods=5).records() == []


def test_more_attacks_than_usual_is_an_escalation_at_the_same_conflict_share(tmp_path):
    # one attack a month, then eight in September: the conflict share is 100% throughout, the count jumps;
    # a steady cooperative dyad beside it raises nothing
    events = []
    for month in range(1, 10):
        events += [Ev("AAAMIL", "BBB", "190", 4, -10.0, D(2024, month, 1 + i)) for i in range(8 if month == 9 else 1)]
        events.append(Ev("CCC", "DDD", "040", 1, 1.0, D(2024, month, 3)))
    path = build_store(tmp_path / "surge.duckdb", events)
    with open_store(path, read_only=True) as store:
        alerts = escalation_alerts(store, by="month", window=6, k=2.0).records()
        assert [(a["source"], a["target"], a["period"], a["metric"], a["direction"]) for a in alerts] == [
            ("AAA", "BBB", "2024-09-01", "conflict_events", "escalation")]
        # quiet months (one event, under min_events) still count as one attack each
        assert (alerts[0]["value"], alerts[0]["baseline_mean"], alerts[0]["baseline_sd"]) == (8, 1.0, 0.0)
        assert alerts[0]["z"] == 7.0 and alerts[0]["events"] == 8 and alerts[0]["baseline_periods"] == 6
        # a baseline reaches back no further than the first month of the events: before it nothing is known
        assert escalation_alerts(store, by="month", window=12, k=2.0).records()[0]["baseline_periods"] == 8
        assert escalation_alerts(store, by="month", window=6, k=2.0, min_sd_events=4.0).records() == []
        assert escalation_alerts(store, by="month", window=6, k=8.0).records() == []
        # since: the same alert, the baseline still read from before it
        since = EventFilter(since="2024-09-01")
        assert escalation_alerts(store, since, by="month", window=6, k=2.0).records() == alerts
