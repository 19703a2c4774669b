"""Charts as self-contained HTML: plotly with its JavaScript inside the file, so a chart opens offline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from eventscope.analysis.grouping import QUAD_CLASS_NAMES
from eventscope.extras import require
from eventscope.results import Frame

if TYPE_CHECKING:
    import plotly.graph_objects as go

# the usual colours of the four quad classes: cooperation green, conflict red; verbal lighter than material
_QUAD_COLOURS = {1: "#8fd19e", 2: "#2e8b57", 3: "#f4a582", 4: "#b2182b"}
_SHARE_COLUMNS = {
    1: "verbal_cooperation_share", 2: "material_cooperation_share", 3: "verbal_conflict_share",
    4: "material_conflict_share",
}  # fmt: skip


def dyad_figure(series: Frame, title: str) -> go.Figure:
    """A dyad's time series (``dyad_series``): events per period and mean Goldstein above, quad-class shares
    below."""
    require("plotly", "charts")
    from plotly.subplots import make_subplots

    rows = series.records()
    periods = [r["period"] for r in rows]
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4], vertical_spacing=0.06,
        specs=[[{"secondary_y": True}], [{}]],
    )  # fmt: skip
    fig.add_bar(x=periods, y=[r["events"] for r in rows], name="events", marker_color="#4c72b0", row=1, col=1)
    fig.add_scatter(
        x=periods, y=[r["goldstein_mean"] for r in rows], name="mean Goldstein", mode="lines+markers",
        line={"color": "#222222"}, connectgaps=False, row=1, col=1, secondary_y=True,
    )  # fmt: skip
    for quad, column in _SHARE_COLUMNS.items():
        fig.add_bar(
            x=periods, y=[r[column] for r in rows], name=QUAD_CLASS_NAMES[quad], marker_color=_QUAD_COLOURS[quad],
            row=2, col=1,
        )  # fmt: skip
    fig.update_layout(title=title, barmode="stack", template="plotly_white", legend={"orientation": "h"},
                      bargap=0.15)
    fig.update_yaxes(title_text="events", row=1, col=1, secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text="mean Goldstein", row=1, col=1, secondary_y=True, range=[-10, 10])
    fig.update_yaxes(title_text="share of events", row=2, col=1, range=[0, 1])
    return fig


def write_html(fig: go.Figure, path: str | Path) -> Path:
    """Write ``fig`` as one HTML file with plotly.js inside it (about 5 MB; no network needed to open it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.write_html(str(path), include_plotlyjs=True, full_html=True)
    return path
