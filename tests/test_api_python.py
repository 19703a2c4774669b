"""The Python API: eventscope.open and its results, eventscope.code_text, and the README's example run as written."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES, REPO, run_cli
from not_installed import NOT_INSTALLED
from synthetic_store import Ev, build_store

import eventscope
from eventscope.query import EventFilter, count_events, query_events
from eventscope.store import StoreError

README_MARKER = "## Python API and analysis"


def readme_example() -> str:
    """The first python block of the README's Python API section: what the test runs is what users read."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert README_MARKER in text, "the README lost its Python API section"
    section = text[text.index(README_MARKER):]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "no python block in the README's Python API section"
    return match.group(1)


@pytest.fixture(scope="module")
def examples_dir(tmp_path_factory) -> Path:
    """A folder holding the store `make run` writes (`eventscope run examples --db eventscope.duckdb`)."""
    folder = tmp_path_factory.mktemp("readme")
    run_cli("run", str(EXAMPLES), "--db", str(folder / "eventscope.duckdb"), "-q")
    return folder


def test_readme_example_runs_as_written(examples_dir: Path, monkeypatch):
    code = readme_example()
    assert 'eventscope.open("eventscope.duckdb")' in code  # the store the test built, as `make run` names it
    monkeypatch.chdir(examples_dir)
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), namespace)
    # the frames hold what the store holds
    with eventscope.open(examples_dir / "eventscope.duckdb") as es:
        one_way = es.count(source="DEU", target="IDN")
        both_ways = one_way + es.count(source="IDN", target="DEU")
        undated = sum(1 for flt in ({"source": "DEU", "target": "IDN"}, {"source": "IDN", "target": "DEU"})
                      for e in es.events(**flt) if e["date"] is None)
    df, daily = namespace["df"], namespace["daily"]
    assert one_way > 0 and len(df) == one_way
    assert set(df["source"].str[:3]) == {"DEU"} and set(df["target"].str[:3]) == {"IDN"}
    assert int(daily["events"].sum()) == both_ways - undated
    chart = examples_dir / "deu_idn.html"
    assert chart.stat().st_size > 1_000_000  # plotly.js is inside
    html = chart.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?https?:", html), "the chart must not load scripts from the web"
    coded = namespace["coded"]
    assert coded.events and {(e.source_code[:3], e.target_code[:3]) for e in coded.events} >= {("DEU", "IDN")}
    printed = out.getvalue()
    assert "goldstein" in printed and "DEUGOV 040 IDNGOV" in printed


# -- the session and its results --------------------------------------------------------------------------

EVENTS = [
    Ev("IRNGOV", "ISR", "111", 3, -2.0, date(2024, 1, 3)),
    Ev("IRNGOV", "ISR", "190", 4, -10.0, date(2024, 2, 20)),
    Ev("IRNMIL", "ISRMIL", "190", 4, -10.0, date(2023, 12, 31)),
    Ev("IRNGOV", "ISR", "190", 4, -10.0, date(2024, 3, 6), negated=True),
    Ev("ISR", "IRN", "173", 4, -5.0, date(2024, 2, 14)),
    Ev("SYR", "IRN", "040", 1, 1.0, None),
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "events.duckdb", EVENTS)


def test_events_result_as_in_the_issue(store_path: Path):
    with eventscope.open(str(store_path)) as es:
        result = es.events(source="IRN", target="ISR", since="2024-01-01")
        assert len(result) == 2  # the 2023 event is before since; the negated one is not counted
        rows = list(result)
        assert [r["code"] for r in rows] == ["111", "190"] and rows[0]["date"] == "2024-01-03"
        assert rows == query_events(es.store, EventFilter(source="IRN", target="ISR", since=date(2024, 1, 1)))
        assert result.to_list() == rows
        table = result.to_arrow()
        assert table.num_rows == 2 and table["id"].to_pylist() == [r["id"] for r in rows]
        assert {"event_name", "location_name", "location_lat", "date", "goldstein"} <= set(table.column_names)
        assert table["event_name"].to_pylist() == [r["event_name"] for r in rows]
        df = result.to_pandas()
        assert list(df["code"]) == ["111", "190"] and str(df["date"].dtype).startswith("datetime64")
        pl = result.to_polars()
        assert pl.shape[0] == 2 and pl["goldstein"].to_list() == [-2.0, -10.0]
        # paging, flags
        assert [r["code"] for r in es.events(source="IRN", limit=1, offset=1)] == ["111"]
        assert len(es.events(source="IRN", limit=10, offset=2)) == 1
        assert es.count(source="IRN", include_negated=True) == es.count(source="IRN") + 1
        assert es.count() == count_events(es.store) == 5


def test_iteration_streams_in_batches(store_path: Path):
    from eventscope.query import iter_events

    with eventscope.open(store_path) as es:
        assert list(iter_events(es.store, EventFilter(), batch_size=2)) == query_events(es.store)


def test_analysis_methods(store_path: Path):
    with eventscope.open(store_path) as es:
        monthly = es.dyad("IRN", "ISR", by="month", both_directions=True).records()
        assert [(r["period"], r["events"]) for r in monthly] == [
            ("2023-12-01", 1), ("2024-01-01", 1), ("2024-02-01", 2),
        ]  # fmt: skip
        assert es.dyad("IRN", "ISR", since="2024-02-01").records()[0]["events"] == 1
        net = es.network()
        assert {(e["source"], e["target"]): e["events"] for e in net.edges} == {
            ("IRN", "ISR"): 3, ("ISR", "IRN"): 1, ("SYR", "IRN"): 1,
        }  # fmt: skip
        assert es.top_actors(1).records()[0]["actor"] == "IRN"
        assert es.top_dyads(1, level="code").records()[0]["source"] == "IRNGOV"
        assert es.top_event_types(1).records()[0]["code"] == "190"
        assert es.stats()["events"] == 5 and es.stats()["left_out"]["negated"] == 1
        assert len(es.alerts()) == 0  # far too few events for a baseline
        assert es.summary()["events"] == 6 and len(es.runs()) == 1


def test_bad_input_is_a_clear_error(tmp_path: Path, store_path: Path):
    with pytest.raises(StoreError, match="no event store"):
        eventscope.open(tmp_path / "missing.duckdb")
    with eventscope.open(store_path) as es:
        with pytest.raises(TypeError, match="unknown filter sorce"):
            es.events(sorce="IRN")
        with pytest.raises(ValueError, match="since must be a date"):
            es.events(since="yesterday")
        with pytest.raises(ValueError, match="limit"):
            es.events(limit=-1)
        with pytest.raises(KeyError, match="no event"):
            es.find_event_id("zzzz")


def test_open_is_read_only_and_shared(store_path: Path):
    with eventscope.open(store_path) as a, eventscope.open(store_path) as b:
        assert a.count() == b.count()
        with pytest.raises(StoreError, match="read-only"):
            a.store.start_run({})


def test_open_uses_the_config_file_db(tmp_path: Path, store_path: Path, monkeypatch):
    config = tmp_path / "eventscope.toml"
    config.write_text(f'db = "{store_path}"\n', encoding="utf-8")
    monkeypatch.setenv("EVENTSCOPE_CONFIG", str(config))
    with eventscope.open() as es:
        assert es.count() == 5


def test_code_text_codes_without_storing(tmp_path: Path, monkeypatch):
    from eventscope import session

    monkeypatch.chdir(tmp_path)
    coded = eventscope.code_text("Iranian troops attacked Kurdish rebels near Erbil on Tuesday.", date="2024-03-06")
    assert coded.events, "no event coded"
    attack = coded.events[0]
    assert attack.source_code.startswith("IRN") and attack.code.startswith("19")
    assert attack.date.value == date(2024, 3, 5)  # "on Tuesday" before the publication date
    assert "attacked" in attack.evidence and attack.rule
    assert session.default_coder() is session.default_coder()  # built once per process
    assert list(tmp_path.iterdir()) == []  # nothing stored
    with pytest.raises(ValueError, match="date must be a date"):
        eventscope.code_text("Iran condemned Israel.", date="soon")


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)




def test_import_stays_light():
    heavy = ("spacy", "duckdb", "pandas", "pyarrow", "plotly", "networkx")
    proc = _python(f"import sys, eventscope; print(sorted(m for m in {heavy!r} if m in sys.modules))")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_missing_extra_names_the_install_command(store_path: Path):
    proc = _python(
        NOT_INSTALLED + "sys.meta_path.insert(0, NotInstalled('pandas'))\n"
        "import eventscope\n"
        f"es = eventscope.open({str(store_path)!r})\n"
        "print(len(es.events().to_arrow()))\n"  # Arrow needs no extra
        "es.events().to_pandas()\n"
    )
    assert proc.returncode != 0
    assert proc.stdout.strip() == "5"
    assert "MissingExtraError: pandas is needed for to_pandas() but is not installed: " \
           "pip install 'eventscope[analysis]'" in proc.stderr
