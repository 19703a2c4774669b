"""Word classes the coder's rules rely on (intent verbs, speech verbs, pronouns...), read from data."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from eventscope.tsv import read_tsv


@cache
def lexicon() -> dict[str, frozenset[str]]:
    """class -> words (lower-case lemmas)."""
    path = Path(str(resources.files("eventscope") / "data" / "lexicon.tsv"))
    classes: dict[str, set[str]] = {}
    for row in read_tsv(path):
        classes.setdefault(row["class"], set()).add(row["word"].lower())
    return {k: frozenset(v) for k, v in classes.items()}


def words(cls: str) -> frozenset[str]:
    return lexicon().get(cls, frozenset())
