"""Settings a user sets once instead of repeating them on every command.

A TOML file, the first found of: ``$EVENTSCOPE_CONFIG`` (empty: none), ``./eventscope.toml``,
``~/.config/eventscope/config.toml``::

    db = "events.duckdb"                    # default store for every command
    [dictionaries]
    replace = "/data/my-petrarch-dicts"     # like --dictionaries (optional)
    add = ["/data/officials-2026", "kb"]    # like --add-dictionaries (relative paths: from the file)

Command-line options win over the file. Entries made with ``eventscope kb add`` go to the user knowledge base,
``$EVENTSCOPE_HOME/kb`` (default ``~/.local/share/eventscope/kb``), which is always layered on top.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(ValueError):
    pass


@dataclass
class Settings:
    path: Path | None = None  # the file read, if any
    db: str | None = None
    dictionaries: str | None = None
    add_dictionaries: list[str] = field(default_factory=list)


def config_path() -> Path | None:
    env = os.environ.get("EVENTSCOPE_CONFIG")
    if env is not None:  # set but empty: no config file at all
        return Path(env) if env else None
    for candidate in (Path.cwd() / "eventscope.toml", Path.home() / ".config" / "eventscope" / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


def load_settings(path: str | Path | None = None) -> Settings:
    path = Path(path) if path else config_path()
    if path is None:
        return Settings()
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    base = path.parent

    def resolve(p: str) -> str:
        q = Path(os.path.expanduser(p))
        return str(q if q.is_absolute() else base / q)

    dicts = data.get("dictionaries", {}) or {}
    if not isinstance(dicts, dict):
        raise ConfigError(f"{path}: [dictionaries] must be a table")
    add = dicts.get("add", [])
    if isinstance(add, str):
        add = [add]
    if not isinstance(add, list) or not all(isinstance(a, str) for a in add):
        raise ConfigError(f"{path}: dictionaries.add must be a list of folders")
    replace = dicts.get("replace")
    if replace is not None and not isinstance(replace, str):
        raise ConfigError(f"{path}: dictionaries.replace must be a folder")
    db = data.get("db")
    if db is not None and not isinstance(db, str):
        raise ConfigError(f"{path}: db must be a file name")
    return Settings(path=path, db=resolve(db) if db else None, dictionaries=resolve(replace) if replace else None,
                    add_dictionaries=[resolve(a) for a in add])


def user_home() -> Path:
    env = os.environ.get("EVENTSCOPE_HOME")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "eventscope"


def user_kb_dir() -> Path:
    """Where `eventscope kb add` writes; layered over everything else when it holds files."""
    return user_home() / "kb"
