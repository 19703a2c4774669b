"""`eventscope eval` on both gold sets of ../shared/eval through the command line: the report's shape and the
accuracy floors (issue 5: PLOVER GSR plover-level F1 >= 0.60; PETRARCH2 validation code-level F1 >= 0.85
with its own dictionaries). The figures themselves go in docs/accuracy.md."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli, shared_path

LEVEL_KEYS = {"tp", "fp", "fn", "precision", "recall", "f1"}


def _eval(tmp_path, gold: str, *extra: str) -> tuple[dict, list[dict]]:
    report = tmp_path / "report.json"
    errors = tmp_path / "errors.jsonl"
    run_cli("eval", str(shared_path("eval", gold)), "--json", str(report), "--errors", str(errors), *extra)
    lines = [json.loads(line) for line in errors.read_text().splitlines() if line.strip()]
    return json.loads(report.read_text()), lines


def _check_shape(rep: dict) -> None:
    assert set(rep["levels"]) == {"root", "code", "full", "plover"}
    for level in rep["levels"].values():
        assert LEVEL_KEYS <= set(level)
        assert 0.0 <= level["f1"] <= 1.0
    assert rep["records"] > 0
    assert "exact" in rep and "no_event_accuracy" in rep and "per_root" in rep


@pytest.mark.slow
def test_plover_gsr_floor(tmp_path):
    rep, errors = _eval(tmp_path, "plover_gsr.jsonl")
    _check_shape(rep)
    assert rep["records"] == 322
    assert rep["levels"]["plover"]["f1"] >= 0.60, rep["levels"]["plover"]
    assert errors and {"id", "gold", "predicted", "missing", "spurious"} <= set(errors[0])
    assert rep["location"] is not None and rep["location"]["records"] >= 40
    assert rep["location"]["country_accuracy"] >= 0.85, rep["location"]


@pytest.mark.slow
def test_petrarch2_validation_floor(tmp_path):
    rep, errors = _eval(tmp_path, "petrarch2_validation.jsonl", "--dictionaries",
                        str(shared_path("eval", "petrarch2_dictionaries")))
    _check_shape(rep)
    assert rep["skipped"] == 5  # the records marked active: false
    assert rep["levels"]["code"]["f1"] >= 0.85, rep["levels"]["code"]
    # dated actor codes (narrowest range wins, ends inclusive): every DATE record is coded exactly
    assert [e["id"] for e in errors if e.get("category") == "DATE"] == []


def test_eval_rejects_a_bad_gold_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "A"}\nnot json\n')
    proc = run_cli("eval", str(bad), check=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and "bad.jsonl" in proc.stderr
