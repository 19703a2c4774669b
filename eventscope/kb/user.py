"""The user's own knowledge base (`eventscope kb add`) and checking every layer (`eventscope kb check`)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from eventscope.kb import ACTOR_COLUMNS, BUILTIN_LAYERS, data_dir, read_layer
from eventscope.kb.check import check_layer
from eventscope.tsv import write_tsv

USER_COLUMNS = ACTOR_COLUMNS[:6] + ["role"] + ACTOR_COLUMNS[6:]


def add_actor(folder: str | Path, name: str, code: str, *, aliases: list[str] = (), start: date | None = None,
              end: date | None = None, kind: str = "person", role: str = "", note: str = "") -> dict:
    """Append one role row to ``folder``/actors.tsv (created with its header if missing)."""
    folder = Path(folder)
    path = folder / "actors.tsv"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "entry"
    row = {"id": f"user:{slug}", "kind": kind, "names": "|".join([name, *aliases]), "code": code,
           "start": start.isoformat() if start else "", "end": end.isoformat() if end else "", "role": role,
           "note": note, "source": "user (eventscope kb add)"}
    if not path.exists():
        write_tsv(path, USER_COLUMNS, [], ["The user's own knowledge base: rows added by `eventscope kb add`.",
                                          "Layered over the built-in knowledge base; edit freely."])
    header = next(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    columns = header.split("\t")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\t".join(str(row.get(c, "")).replace("\t", " ") for c in columns) + "\n")
    return row


def check_all(replace: str | None = None, add: list[str] | tuple = ()) -> dict:
    """Check each layer on its own: the built-in ones (PETRARCH2's converted files are third-party data,
    whose unknown codes are warnings; eventscope's curated files must be clean), then the user's folders."""
    layers: list[tuple[str, object, bool]] = []
    if replace is None:
        for name in BUILTIN_LAYERS:
            folder = data_dir() / name
            if folder.is_dir():
                layers.append((f"built-in:{name}", read_layer(folder), name != "petrarch2"))
    from eventscope.dictionaries import read_dictionary_dir

    for folder in ([replace] if replace else []) + list(add):
        layers.append((f"user:{folder}", read_dictionary_dir(folder).kb, True))
    problems = []
    summary = []
    for name, kb, strict in layers:
        found = check_layer(name, kb, strict=strict)
        problems.extend(found)
        summary.append({"name": name, "actors": len(kb.actors), "periods": sum(len(a.periods) for a in kb.actors),
                        "agents": len(kb.agents), "discards": len(kb.discards),
                        "errors": sum(p.level == "error" for p in found),
                        "warnings": sum(p.level == "warning" for p in found)})
    return {"layers": summary, "problems": [p.to_dict() for p in problems]}
