"""Tab-separated data files: the format of eventscope's knowledge base and pattern data.

One header line of column names; ``#`` lines are comments (attribution, notes); fields hold no tabs or
newlines; multi-valued fields use ``|``. Plain text so that users can read, diff and extend the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path


def read_tsv(path: str | Path) -> Iterator[dict[str, str]]:
    path = Path(path)
    header: list[str] | None = None
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if len(cells) > len(header):
                raise ValueError(f"{path}:{lineno}: {len(cells)} fields, the header has {len(header)}")
            row = {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(header)}
            row["_line"] = str(lineno)
            yield row


def write_tsv(
    path: str | Path, columns: list[str], rows: Iterable[dict[str, object]], comments: Iterable[str] = ()
) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for c in comments:
            fh.write(f"# {c}\n" if c else "#\n")
        fh.write("\t".join(columns) + "\n")
        for row in rows:
            cells = []
            for col in columns:
                v = row.get(col)
                text = "" if v is None else str(v)
                cells.append(text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
            fh.write("\t".join(cells) + "\n")
            n += 1
    return n


def split_multi(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]
