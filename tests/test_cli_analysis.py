"""The analysis commands as a user runs them (dyad, alerts, network, stats), on stores with known events."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date, timedelta

import networkx as nx
import pytest
from conftest import run_cli
from not_installed import NOT_INSTALLED
from synthetic_store import MONDAY, WEEKS, Ev, build_store, planted_escalations

import eventscope

KNOWN = [
    Ev("IRNGOV", "ISR", "111", 3, -2.0, date(2024, 1, 3)),
    Ev("IRNGOV", "ISR", "190", 4, -10.0, date(2024, 1, 20)),
    Ev("IRNGOV", "ISR", "057", 1, 8.0, date(2024, 3, 5)),
    Ev("IRNGOV", "ISR", "190", 4, -10.0, date(2024, 3, 6), hypothetical=True),
    Ev("ISRMIL", "IRN", "190", 4, -10.0, date(2024, 1, 10)),
    Ev("IRN", "SYR", "040", 1, 1.0, date(2024, 2, 1)),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return str(build_store(tmp_path_factory.mktemp("cli-analysis") / "known.duckdb", KNOWN))


@pytest.fixture(scope="module")
def planted_db(tmp_path_factory):
    return str(build_store(tmp_path_factory.mktemp("cli-alerts") / "planted.duckdb", planted_escalations()))


def _json(*args: str):
    return json.loads(run_cli(*args).stdout)


def test_dyad_formats_agree_with_the_python_api(db):
    rows = _json("dyad", "IRN", "ISR", "--db", db, "--format", "json")
    with eventscope.open(db) as es:
        assert rows == es.dyad("IRN", "ISR").records()
    assert [(r["period"], r["events"]) for r in rows] == [("2024-01-01", 2), ("2024-02-01", 0), ("2024-03-01", 1)]
    assert rows[0]["goldstein_mean"] == pytest.approx(-6.0) and rows[0]["conflict_share"] == 1.0
    both = _json("dyad", "isr", "irn", "--db", db, "--format", "json", "--both-directions", "--by", "week")
    assert sum(r["events"] for r in both) == 4 and both[0]["period"] == "2024-01-01"
    text = run_cli("dyad", "IRN", "ISR", "--db", db).stdout
    assert "IRN -> ISR by month: 3 events" in text and "2024-02-01" in text and "100%" in text
    table = list(csv.DictReader(io.StringIO(run_cli("dyad", "IRN", "ISR", "--db", db, "--format", "csv").stdout)))
    assert [r["events"] for r in table] == ["2", "0", "1"]


def test_dyad_chart_is_self_contained_html(db, tmp_path):
    chart = tmp_path / "charts" / "irn_isr.html"
    proc = run_cli("dyad", "IRN", "ISR", "--db", db, "--by", "month", "--chart", str(chart))
    assert "chart written" in proc.stderr
    html = chart.read_text(encoding="utf-8")
    assert len(html) > 1_000_000 and "plotly" in html.lower()  # plotly.js is in the file
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and not [s for s in scripts if re.search(r"src\s*=\s*[\"']?(https?:)?//", s)], scripts
    assert "ISR by month" in html  # the title
    assert "2024-03-01" in html  # the data is in it


def test_alerts_command(planted_db):
    last = str(MONDAY + timedelta(weeks=WEEKS))
    alerts = _json("alerts", "--db", planted_db, "--format", "json")
    assert {(a["source"], a["target"], a["period"], a["metric"]) for a in alerts} >= {
        ("RUS", "UKR", last, "conflict_share"), ("RUS", "UKR", last, "goldstein_mean"),
    }  # fmt: skip
    assert not [a for a in alerts if a["source"] == "CHN"]
    text = run_cli("alerts", "--db", planted_db, "--since", last).stdout
    assert "RUS -> UKR" in text and "escalation" in text and "CHN" not in text
    none = run_cli("alerts", "--db", planted_db, "--k", "100").stdout
    assert "no alerts (k=100" in none
    narrow = _json("alerts", "--db", planted_db, "--format", "json", "--window", "30", "--source", "KHM",
                   "--since", last)
    assert narrow == []  # the long baseline holds the first weeks of conflict


def test_network_graphml_and_json(db, tmp_path):
    out = tmp_path / "net.graphml"
    proc = run_cli("network", "--db", db, "--format", "graphml", "-o", str(out))
    assert "3 actors, 3 dyads written to" in proc.stdout
    g = nx.read_graphml(out)
    assert g.is_directed() and g["IRN"]["ISR"]["weight"] == 3 and g["IRN"]["ISR"]["goldstein_mean"] == pytest.approx(
        (-2 - 10 + 8) / 3)
    data = _json("network", "--db", db, "--format", "json", "--level", "code", "--min-events", "2")
    assert [(e["source"], e["target"], e["weight"]) for e in data["edges"]] == [("IRNGOV", "ISR", 3)]
    back = nx.node_link_graph(data, edges="edges")
    assert set(back.nodes) == {"IRNGOV", "ISR"}
    printed = run_cli("network", "--db", db, "--format", "graphml").stdout
    assert printed.startswith("<graphml") and nx.parse_graphml(printed).number_of_edges() == 3


def test_stats_command(db):
    out = _json("stats", "--db", db, "--format", "json", "--top", "2")
    assert out["events"] == 5 and out["left_out"] == {"negated": 0, "hypothetical": 1}
    assert [a["actor"] for a in out["top_actors"]] == ["IRN", "ISR"]
    assert out["top_dyads"][0] == {
        "source": "IRN", "target": "ISR", "events": 3, "goldstein_mean": pytest.approx(-4 / 3),
        "conflict_share": pytest.approx(2 / 3), "first_date": "2024-01-03", "last_date": "2024-03-05",
    }  # fmt: skip
    text = run_cli("stats", "--db", db).stdout
    for needle in ("5 events", "quad classes", "top 10 actors", "IRN -> ISR", "1 hypothetical", "Iran"):
        assert needle in text, needle
    assert _json("stats", "--db", db, "--format", "json", "--since", "2024-02-01")["events"] == 2


@pytest.mark.parametrize("args, message", [
    (("dyad", "IRN", "ISR", "--by", "year"), "by must be one of day, week, month"),
    (("dyad", "IRN", "ISR", "--since", "May"), "YYYY-MM-DD"),
    (("dyad", "IRN", "ISR", "--chart", "chart.png"), "ending in .html"),
    (("alerts", "--window", "0"), "window must be"),
    (("alerts", "--format", "xml"), "--format must be"),
    (("network", "--format", "gexf"), "--format must be graphml or json"),
    (("network", "--level", "region"), "level must be one of country, code"),
    (("stats", "--top", "-1"), "n must be"),
])  # fmt: skip
def test_user_errors_are_clear(db, args, message):
    proc = run_cli(*args, "--db", db, check=False)
    assert proc.returncode != 0 and message in proc.stderr and "Traceback" not in proc.stderr


def test_missing_store_is_clear(tmp_path):
    for command in ("dyad", "alerts", "network", "stats"):
        args = (command, "IRN", "ISR") if command == "dyad" else (command,)
        proc = run_cli(*args, "--db", str(tmp_path / "none.duckdb"), check=False)
        assert proc.returncode != 0 and "no event store" in proc.stderr and "Traceback" not in proc.stderr


def test_chart_without_plotly_names_the_extra(db, tmp_path):
    code = NOT_INSTALLED + (
        "sys.meta_path.insert(0, NotInstalled('plotly'))\n"
        "from eventscope.cli import main\n"
        f"sys.argv = ['eventscope', 'dyad', 'IRN', 'ISR', '--db', {db!r}, '--chart', {str(tmp_path / 'c.html')!r}]\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "pip install 'eventscope[analysis]'" in proc.stderr and not (tmp_path / "c.html").exists()
