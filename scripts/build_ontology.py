"""Build eventscope's ontology package data from the shared reference tables.

Copies /work/shared/ontology/*.tsv into eventscope/ontology/data/ (same columns, codes kept as strings
with their leading zeros), checks each table on the way, and writes SOURCES.md with provenance and
licences. Run from anywhere:

    python scripts/build_ontology.py [--shared DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_OUT = REPO / "eventscope" / "ontology" / "data"

ACTOR_COLUMNS = ["code", "name", "note"]
# file name -> expected header; the reader in eventscope/ontology relies on these columns.
TABLES: dict[str, list[str]] = {
    "cameo_event_codes.tsv": [
        "code",
        "name",
        "goldstein",
        "quad_class",
        "root",
        "in_gdelt",
        "cameo_manual_name",
        "note",
    ],
    "cameo_actor_types.tsv": ACTOR_COLUMNS,
    "cameo_countries.tsv": ACTOR_COLUMNS,
    "cameo_known_groups.tsv": ACTOR_COLUMNS,
    "cameo_ethnic.tsv": ACTOR_COLUMNS,
    "cameo_religion.tsv": ACTOR_COLUMNS,
    "plover_mapping.tsv": ["cameo_code", "plover_event", "plover_mode", "note", "plover_context"],
}

EVENT_CODE = re.compile(r"^\d{2,4}$")
ACTOR_CODE = re.compile(r"^[A-Za-z]{3}$")

SOURCES_MD = """\
# Sources of the ontology tables

These files are built by `scripts/build_ontology.py` from the project's shared reference tables
(`shared/ontology/`). Columns are unchanged; cells are whitespace-trimmed and checked; codes are strings
(leading zeros kept). UTF-8 TSV with a header row (csv quoting: a cell containing `"` is quoted).

| file | rows | source (GitHub repo / path) | licence |
|---|---|---|---|
{rows}

## Provenance and licences
- **GDELT lookups** (`cameo_event_codes.tsv` names and Goldstein scale; the actor tables): GDELT's
  CAMEO lookup files (CAMEO.eventcodes.txt, CAMEO.goldsteinscale.txt, CAMEO.type.txt,
  CAMEO.country.txt, CAMEO.knowngroup.txt, CAMEO.ethnic.txt, CAMEO.religion.txt), free and open data;
  please cite the GDELT Project (https://www.gdeltproject.org/) when you use them.
  - event code names: RBozydar/py-gdelt `gdelt_docs/LOOKUP-CAMEO.eventcodes.txt` (copy of GDELT's file);
  - Goldstein scale: mpiccirilli/UNDP-BCPR-Project `CAMEO.goldsteinscale.txt` (copy of GDELT's file);
  - actor tables: SinduKandula/NewsSearch `kafka/data_dict.py` (`codedict`, `countrydict`, `groupdict`,
    `ethnicdict`, `religiondict`: a transcription of GDELT's lookups; no licence stated upstream).
- **CAMEO manual** (`cameo_manual_name` column, the 5 manual-only codes 155, 176, 1834, 1951, 1952):
  CAMEO Event Data Codebook 1.1b3 (Schrodt), as transcribed in RBozydar/py-gdelt
  `gdelt_docs/cameo_docs/chapter_6_cameo_event_codes.md` (py-gdelt is MIT licensed).
- **PLOVER** (`plover_mapping.tsv`): openeventdata/PLOVER `CAMEO2PLOVER-2021.txt` (Draft 0.8,
  17-Sep-2021) and the root table of `PLOVER_MANUAL.tex`. Licence: CC BY-SA 4.0
  (https://creativecommons.org/licenses/by-sa/4.0/); this derived table is shared under the same licence.

## Known gaps and fixes (see the note columns)
- 5 manual-only codes (155, 176, 1834, 1951, 1952) have no Goldstein value; the reader falls back to the
  parent code's value.
- GDELT's eventcodes file merges `1056` and `106` on one line and has mojibake in 044; both fixed.
- GDELT names for 101, 105, 106, 107, 108 differ in meaning from the CAMEO 1.1b3 manual; both kept
  (`name` = GDELT, `cameo_manual_name` = manual). PLOVER's mapping follows the manual.
- CAMEO 01/02 have no PLOVER event (PLOVER drops them). Root 08 splits into CONCEDE (081-083) and
  RETREAT (084-087; the 2021 file also puts 0813/0814 under RETREAT). 1213/1214 are in the PLOVER file
  but not in CAMEO.
- Duplicate upstream actor codes were merged with ` | `. The country list mixes ISO-alpha3 countries with
  CAMEO regions (AFR, MEA, WST ...) and old codes (ROM, TMP, MTN, ANT).
"""

SOURCE_ROWS: dict[str, tuple[str, str]] = {
    "cameo_event_codes.tsv": (
        "names: RBozydar/py-gdelt `gdelt_docs/LOOKUP-CAMEO.eventcodes.txt`; Goldstein: "
        "mpiccirilli/UNDP-BCPR-Project `CAMEO.goldsteinscale.txt`; `cameo_manual_name`: py-gdelt "
        "`gdelt_docs/cameo_docs/chapter_6_cameo_event_codes.md` (CAMEO manual 1.1b3)",
        "GDELT lookups: free/open, cite GDELT; py-gdelt: MIT",
    ),
    "cameo_actor_types.tsv": (
        "SinduKandula/NewsSearch `kafka/data_dict.py` (`codedict`)",
        "none stated (GDELT)",
    ),
    "cameo_countries.tsv": ("same file, `countrydict`", "none stated (GDELT)"),
    "cameo_known_groups.tsv": ("same file, `groupdict`", "none stated (GDELT)"),
    "cameo_ethnic.tsv": ("same file, `ethnicdict`", "none stated (GDELT)"),
    "cameo_religion.tsv": ("same file, `religiondict`", "none stated (GDELT)"),
    "plover_mapping.tsv": (
        "openeventdata/PLOVER `CAMEO2PLOVER-2021.txt` + root table in `PLOVER_MANUAL.tex`",
        "CC BY-SA 4.0",
    ),
}


class BuildError(Exception):
    """A shared table is missing or does not look the way the reader expects."""


def read_table(path: Path, header: list[str]) -> list[list[str]]:
    if not path.is_file():
        raise BuildError(f"{path}: missing")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if not rows or [c.strip() for c in rows[0]] != header:
        raise BuildError(f"{path}: header is {rows[0] if rows else None}, expected {header}")
    body: list[list[str]] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise BuildError(f"{path}:{lineno}: {len(row)} cells, expected {len(header)}")
        body.append([cell.strip() for cell in row])
    return body


def check_rows(name: str, rows: list[list[str]]) -> None:
    seen: set[str] = set()
    for row in rows:
        code = row[0]
        if code in seen:
            raise BuildError(f"{name}: duplicate code {code!r}")
        seen.add(code)
        if name in ("cameo_event_codes.tsv", "plover_mapping.tsv"):
            if not EVENT_CODE.match(code):
                raise BuildError(f"{name}: bad event code {code!r}")
        elif not ACTOR_CODE.match(code):
            raise BuildError(f"{name}: bad actor code {code!r}")
        if name == "cameo_event_codes.tsv":
            _code, _name, goldstein, quad_class, root, in_gdelt = row[:6]
            if root != code[:2]:
                raise BuildError(f"{name}: {code}: root {root!r} is not the code's first two digits")
            if goldstein:
                float(goldstein)  # ValueError is reported by main()
            if quad_class and quad_class not in {"1", "2", "3", "4"}:
                raise BuildError(f"{name}: {code}: bad quad_class {quad_class!r}")
            if in_gdelt not in {"0", "1"}:
                raise BuildError(f"{name}: {code}: bad in_gdelt {in_gdelt!r}")


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(shared: Path, out: Path) -> dict[str, int]:
    """Copy and check every table; returns rows written per file."""
    src_dir = shared / "ontology"
    tables = {name: read_table(src_dir / name, header) for name, header in TABLES.items()}
    for name, rows in tables.items():
        check_rows(name, rows)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, rows in tables.items():
        write_table(out / name, TABLES[name], rows)
        counts[name] = len(rows)
    lines = [
        f"| {name} | {counts[name]} | {SOURCE_ROWS[name][0]} | {SOURCE_ROWS[name][1]} |" for name in TABLES
    ]
    (out / "SOURCES.md").write_text(SOURCES_MD.format(rows="\n".join(lines)), encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help=f"default {DEFAULT_SHARED}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    try:
        counts = build(args.shared, args.out)
    except (BuildError, ValueError, OSError) as exc:
        print(f"build_ontology: {exc}", file=sys.stderr)
        return 1
    for name, n in counts.items():
        print(f"{name}: {n} rows")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
