#!/usr/bin/env python3
"""Score eventscope on the gold sets in ../shared/eval and write docs/accuracy.md (the figures the README and
the issue notes quote). Usage: python scripts/accuracy_report.py [--shared DIR] [--out docs/accuracy.md]"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventscope.coder import Coder, CoderConfig  # noqa: E402
from eventscope.evaluate import coder_predictor, evaluate, gazetteer_locator, load_gold  # noqa: E402

SETS = [
    ("PLOVER gold-standard records", "plover_gsr.jsonl", None, "plover"),
    ("PETRARCH2 validation records (with their own dictionaries)", "petrarch2_validation.jsonl",
     "petrarch2_dictionaries", "code"),
    # eventscope's own syntax set: one or more sentences per construction (tests/test_syntax.py)
    ("eventscope syntax cases", str(ROOT / "tests" / "data" / "syntax_cases.jsonl"), None, "code"),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "accuracy.md")
    args = ap.parse_args(argv)
    lines = ["# Accuracy", "",
             f"Measured by `scripts/accuracy_report.py` ({dt.date.today().isoformat()}) with `eventscope eval`,",
             "scored as ../shared/eval/FORMAT.md says (micro-averaged over records).", ""]
    nlp = None
    locate = gazetteer_locator()
    compared: list[str] = []  # the same sets coded with spaCy's statistical entity recognizer (--ner)
    for title, gold, dicts, headline in SETS:
        path = Path(gold) if Path(gold).is_absolute() else args.shared / "eval" / gold
        records = load_gold(path)
        reports = {}
        for ner in (False, True):
            config = CoderConfig(dictionaries=str(args.shared / "eval" / dicts) if dicts else None, ner=ner)
            coder = Coder.from_config(config, nlp=nlp)
            nlp = coder.nlp
            reports[ner] = evaluate(records, coder_predictor(coder), locate=locate).to_dict()
        report = reports[False]
        compared.append(f"| {path.name} | {headline} | {_figures(reports[False], headline)} | "
                        f"{_figures(reports[True], headline)} |")
        lines += [f"## {title}: `{path.name}`", "",
                  f"{report['records']} records coded ({report['skipped']} inactive skipped); headline level "
                  f"**{headline}**: F1 {report['levels'][headline]['f1']:.3f}.", "",
                  "| level | TP | FP | FN | precision | recall | F1 |", "|---|---|---|---|---|---|---|"]
        for level, c in report["levels"].items():
            lines.append(f"| {level} | {c['tp']} | {c['fp']} | {c['fn']} | {c['precision']:.3f} | "
                         f"{c['recall']:.3f} | {c['f1']:.3f} |")
        lines += ["", f"exact records: {report['exact']}; no-event accuracy: {report['no_event_accuracy']}", ""]
        if report.get("location"):
            loc = report["location"]
            lines += [f"location: {loc['records']} records with a gold location; country accuracy "
                      f"{loc['country_accuracy']}, within 50 km {loc['within_50km']}", ""]
        lines += ["| root | TP | FP | FN | F1 |", "|---|---|---|---|---|"]
        for root, c in sorted(report.get("per_root", {}).items()):
            lines.append(f"| {root} | {c['tp']} | {c['fp']} | {c['fn']} | {c['f1']:.3f} |")
        lines.append("")
        print(f"{path.name}: " + ", ".join(f"{k} F1 {v['f1']:.3f}" for k, v in report["levels"].items()))
    lines += ["## Entities: eventscope's rules (the default) and spaCy's recognizer (`--ner`)", "",
              "Places and nationalities come from `eventscope.entities` unless `--ner` asks for the model's "
              "statistical", "entity recognizer (about 1.5 times slower to code). The same sets under both:", "",
              "| gold set | level | rules: F1, exact, location | `--ner`: F1, exact, location |",
              "|---|---|---|---|", *compared, ""]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


def _figures(report: dict, level: str) -> str:
    loc = report.get("location")
    where = f"country {loc['country_accuracy']:.3f} ({loc['records']} records)" if loc else "-"
    return f"{report['levels'][level]['f1']:.3f}, {report['exact']:.3f}, {where}"


if __name__ == "__main__":
    raise SystemExit(main())
