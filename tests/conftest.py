"""Shared fixtures: the real spaCy model and coder, loaded once per test session, and paths to ../shared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    """Tests never read or write the developer's own settings or user knowledge base."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="eventscope-home-"))
    os.environ["EVENTSCOPE_HOME"] = str(home)
    os.environ["EVENTSCOPE_CONFIG"] = ""
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            raise FileNotFoundError(f"{path} is missing: CI runs with ../shared beside the repository")
        pytest.skip(f"{path} not found (../shared is not beside this checkout)")
    return path


@pytest.fixture(scope="session")
def coder():
    from eventscope.coder import Coder

    return Coder.from_config()


@pytest.fixture(scope="session")
def validation_coder():
    from eventscope.coder import Coder, CoderConfig

    return Coder.from_config(CoderConfig(dictionaries=str(shared_path("eval", "petrarch2_dictionaries"))))


def run_cli(*args: str, cwd: Path | None = None, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the installed command line as a user would (a real subprocess, no mocks)."""
    proc = subprocess.run(
        [sys.executable, "-m", "eventscope.cli", *args],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"eventscope {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


FLAGGED_STORY = """MOSCOW, March 4, 2025 - Russian forces did not attack Kharkiv on Monday, the Ukrainian military said.

Iran could attack Israel if the talks fail, analysts warned. Turkey may impose sanctions on Syria.

Egypt refused to meet Ethiopian officials on Tuesday.
"""


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory) -> Path:
    """A store coded by `eventscope run` from examples/ and a story with a negated, a merely possible and
    an intended event. Tests copy it before writing to it."""
    folder = tmp_path_factory.mktemp("examples_store")
    story = folder / "input" / "flagged.txt"
    story.parent.mkdir()
    story.write_text(FLAGGED_STORY, encoding="utf-8")
    db = folder / "examples.duckdb"
    run_cli("run", str(EXAMPLES), str(story.parent), "--db", str(db), "--quiet")
    return db
