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
