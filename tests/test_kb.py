"""`eventscope kb`: lookups by date, the user knowledge base (`kb add`), the config file, and `kb check` on
the shipped data."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO, run_cli


def _run(*args, env=None, check=True):
    proc = subprocess.run([sys.executable, "-m", "eventscope.cli", *args], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_shipped_knowledge_base_passes_check():
    proc = run_cli("kb", "check", "--format", "json")
    report = json.loads(proc.stdout)
    assert [p for p in report["problems"] if p["level"] == "error"] == []
    layers = {layer["name"]: layer for layer in report["layers"]}
    assert layers["built-in:petrarch2"]["actors"] > 27000
    assert "built-in:eventscope" in layers


def test_lookup_json_shape_and_phrase_resolution():
    out = json.loads(run_cli("kb", "lookup", "Iranian defense minister", "--format", "json").stdout)
    assert set(out) == {"query", "date", "code", "entry", "why"}
    assert out["code"] == "IRNGOVMIL"
    nothing = json.loads(run_cli("kb", "lookup", "Frobozz Grue", "--format", "json").stdout)
    assert nothing["code"] is None and nothing["why"]


def test_kb_add_then_lookup_and_coding(tmp_path):
    home = tmp_path / "home"
    env = {"EVENTSCOPE_HOME": str(home)}
    _run("kb", "add", "Zorblax Quux", "NZLGOVMIL", "--alias", "Quux", "--start", "2024-01-01", "--end",
         "2024-12-31", "--role", "Defence Minister", env=env)
    assert (home / "kb" / "actors.tsv").exists()
    during = json.loads(_run("kb", "lookup", "Zorblax Quux", "--date", "2024-06-01", "--format", "json",
                             env=env).stdout)
    after = json.loads(_run("kb", "lookup", "Quux", "--date", "2025-06-01", "--format", "json", env=env).stdout)
    assert during["code"] == "NZLGOVMIL"
    assert after["code"] == "NZLELI" and "former" in after["why"]
    bad = _run("kb", "add", "Nobody", "ZZQGOV", env=env, check=False)
    assert bad.returncode != 0 and "ZZQ" in bad.stderr


def test_config_file_sets_dictionaries_once(tmp_path):
    dicts = tmp_path / "mydicts"
    dicts.mkdir()
    (dicts / "extra.actors.txt").write_text("ZORBLAXIA_ [ZRB]\n")
    cfg = tmp_path / "eventscope.toml"
    cfg.write_text('[dictionaries]\nadd = ["mydicts"]\n')
    out = json.loads(_run("kb", "lookup", "Zorblaxia", "--format", "json",
                          env={"EVENTSCOPE_CONFIG": str(cfg)}).stdout)
    assert out["code"] == "ZRB"
    broken = tmp_path / "broken.toml"
    broken.write_text("[dictionaries\n")
    proc = _run("kb", "lookup", "X", env={"EVENTSCOPE_CONFIG": str(broken)}, check=False)
    assert proc.returncode != 0 and "broken.toml" in proc.stderr and "Traceback" not in proc.stderr


# ---- dated lookups --------------------------------------------------------------------------------
import datetime as _dt  # noqa: E402

import pytest  # noqa: E402

from eventscope.actors import ActorMatcher, name_keys  # noqa: E402
from eventscope.kb import builtin_knowledge_base, data_dir, read_layer  # noqa: E402
from eventscope.kb.lookup import lookup  # noqa: E402


@pytest.fixture(scope="module")
def matcher():
    return ActorMatcher(builtin_knowledge_base())


def _dated_cases(limit: int = 450):
    """(name, date, expected code) from the curated officials: the middle and the last day of each role,
    for names no other entry of the knowledge base uses."""
    kb = builtin_knowledge_base()
    users: dict[tuple, int] = {}
    for a in kb.actors:
        for n in a.names:
            users[name_keys(n)] = users.get(name_keys(n), 0) + 1
    cases = []
    for a in sorted(read_layer(data_dir() / "eventscope").actors, key=lambda x: x.id):
        if a.kind != "person" or users.get(name_keys(a.names[0]), 0) != 1:
            continue
        for p in a.periods:
            if not p.start:
                continue
            end = p.end or _dt.date(2025, 6, 30)
            for day in (p.start + (end - p.start) / 2, end if p.end else None):
                if day is None:
                    continue
                hit = a.dated_code(day)
                if hit:
                    cases.append((a.names[0], day, hit[0]))
    step = max(1, len(cases) // limit)
    return cases[::step]


def test_at_least_300_dated_lookups_from_the_shipped_data(matcher):
    cases = _dated_cases()
    assert len(cases) >= 300
    wrong = [(n, d.isoformat(), want, lookup(n, d, matcher)["code"]) for n, d, want in cases
             if lookup(n, d, matcher)["code"] != want]
    assert not wrong, wrong[:20]


TRAPS = [
    # (name, date, expected code or None): former leaders, dates between terms, shared surnames, bare titles
    ("Ali Mahmoud Abbas", "2024-05-01", "SYRGOVMIL"),
    ("Ali Mahmoud Abbas", "2025-03-01", "SYRELI"),  # after the Assad government fell
    ("Mahmoud Abbas", "2024-05-01", "PSEGOV"),  # a different man: the shorter name is not a part of the longer
    ("Donald Trump", "2022-06-01", "USAELI"),  # between his two terms
    ("Donald Trump", "2025-03-01", "USAGOV"),
    ("Angela Merkel", "2023-01-01", "DEUELI"),  # PETRARCH2's 2014 entry still has her in office
    ("Joe Biden", "2025-06-01", "USAELI"),
    ("Boris Johnson", "2017-06-01", "GBRGOV"),  # foreign secretary
    ("Boris Johnson", "2023-06-01", "GBRELI"),
    ("Hassan Nasrallah", "2025-01-01", "LBNELI"),  # killed 2024-09-27
    ("Ahmed al-Sharaa", "2023-01-01", "SYRREB"),  # HTS leader, then head of state
    ("Ahmed al-Sharaa", "2025-03-01", "SYRGOV"),
    ("Taliban", "2019-01-01", "AFGREB"),
    ("Taliban", "2022-01-01", "AFGGOV"),
    ("Volodymyr Zelensky", "2018-06-01", "UKR"),  # before any office
    ("Benjamin Netanyahu", "2022-01-01", "ISROPP"),  # opposition leader between governments
    ("Rishi Sunak", "2025-01-01", "GBRELI"),
    ("Kim", None, None),  # a shared surname names no one
    ("the president", None, None),  # a title without a name or a country
    ("Syrian Defence Minister", None, "SYRGOVMIL"),  # a title with a country does
]


@pytest.mark.parametrize("name,day,want", TRAPS)
def test_traps(matcher, name, day, want):
    from eventscope.nlp import load_nlp

    out = lookup(name, _dt.date.fromisoformat(day) if day else None, matcher, load_nlp())
    assert out["code"] == want, out
