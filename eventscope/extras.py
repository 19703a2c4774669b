"""Optional dependencies: imported when a feature needs them, with an error that says what to install.

pandas, polars, networkx and plotly come with ``pip install 'eventscope[analysis]'``; the core (coding,
storing, querying, Arrow results) works without them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# module -> the extra that installs it
_EXTRAS = {
    "pandas": "analysis",
    "polars": "analysis",
    "networkx": "analysis",
    "plotly": "analysis",
}


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the pip command that installs it."""


def require(module: str, feature: str | None = None) -> ModuleType:
    """Import ``module`` (for ``feature``), or raise MissingExtraError naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        extra = _EXTRAS.get(top, "all")
        what = f" for {feature}" if feature else ""
        raise MissingExtraError(
            f"{top} is needed{what} but is not installed: pip install 'eventscope[{extra}]'"
        ) from exc
