"""Analyses over stored events, computed in DuckDB: dyad time series, the actor network, escalation alerts, and
the top actors, dyads and event types.

Every function takes a store (or a DuckDB connection) and an ``EventFilter`` (asserted events only unless it
asks for negated or hypothetical ones) and returns a ``Frame`` (Arrow, pandas, polars or JSON-ready rows) or
JSON-ready structures. ``eventscope.open(...)`` wraps them as methods; the CLI and the HTTP API call them.
"""

from eventscope.analysis.alerts import escalation_alerts
from eventscope.analysis.network import Network, actor_network, dyad_totals
from eventscope.analysis.timeseries import dyad_series
from eventscope.analysis.top import overview, top_actors, top_dyads, top_event_types

__all__ = [
    "Network",
    "actor_network",
    "dyad_series",
    "dyad_totals",
    "escalation_alerts",
    "overview",
    "top_actors",
    "top_dyads",
    "top_event_types",
]
