"""The actor network: who acts on whom, edges weighted by event count and mean Goldstein score.

``dyad_totals`` (one row per directed dyad, computed in DuckDB) is the edge list; it is also what
``top_dyads`` ranks. ``actor_network`` adds the nodes and gives JSON (networkx's node-link layout, so
``networkx.node_link_graph`` reads it back), a networkx graph, and GraphML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from eventscope.analysis.grouping import (
    CONFLICT_SHARE,
    actor_key,
    actor_names,
    check_count,
    check_level,
    where_clause,
)
from eventscope.extras import require
from eventscope.query import EventFilter, fetch_arrow
from eventscope.results import Frame

if TYPE_CHECKING:
    import networkx as nx


def dyad_totals(
    store: Any,
    flt: EventFilter | None = None,
    level: str = "country",
    min_events: int = 1,
    limit: int | None = None,
) -> Frame:
    """Events per directed dyad (both actors known), most events first.

    Columns: ``source``, ``target`` (actors at ``level``: ``country`` or ``code``), ``events``,
    ``goldstein_mean``, ``conflict_share``, ``first_date``, ``last_date``, and ``goldstein_sum`` /
    ``goldstein_events`` / ``quad_events`` / ``conflict_events`` (the sums behind the means, so that they can
    be added up over dyads).
    """
    check_level(level)
    check_count(min_events, "min_events", 1)
    src, tgt = actor_key(level, "source"), actor_key(level, "target")
    where, params = where_clause(flt, ("source_code IS NOT NULL AND target_code IS NOT NULL", []))
    sql = f"""
        SELECT {src} AS source, {tgt} AS target, count(*) AS events, avg(goldstein) AS goldstein_mean,
               {CONFLICT_SHARE} AS conflict_share, min(event_date) AS first_date, max(event_date) AS last_date,
               sum(goldstein) AS goldstein_sum, count(goldstein) AS goldstein_events,
               count(quad_class) AS quad_events, count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict_events
        FROM events {where}
        GROUP BY ALL
        HAVING count(*) >= ?
        ORDER BY events DESC, source, target
    """
    params.append(min_events)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(check_count(limit, "limit"))
    return Frame(fetch_arrow(store, sql, params))


# the nodes, from the edges: an event counts once for each actor in it (a self-loop once)
_NODES_SQL = """
    WITH ends AS (
        SELECT source AS id, events AS out_events, 0 AS in_events, events, goldstein_sum, goldstein_events,
               quad_events, conflict_events
        FROM edges
        UNION ALL
        SELECT target, 0, events, CASE WHEN target = source THEN 0 ELSE events END,
               CASE WHEN target = source THEN 0 ELSE goldstein_sum END,
               CASE WHEN target = source THEN 0 ELSE goldstein_events END,
               CASE WHEN target = source THEN 0 ELSE quad_events END,
               CASE WHEN target = source THEN 0 ELSE conflict_events END
        FROM edges
    )
    SELECT id, sum(events)::BIGINT AS events, sum(out_events)::BIGINT AS out_events,
           sum(in_events)::BIGINT AS in_events,
           sum(goldstein_sum) / nullif(sum(goldstein_events), 0) AS goldstein_mean,
           sum(conflict_events) / nullif(sum(quad_events), 0) AS conflict_share
    FROM ends GROUP BY id ORDER BY events DESC, id
"""

_EDGE_KEYS = ("source", "target", "events", "goldstein_mean", "conflict_share", "first_date", "last_date")


@dataclass
class Network:
    """Actors (nodes) and directed dyads (edges). Edge ``weight`` is the event count; ``goldstein_mean`` the
    mean Goldstein score of the dyad's events."""

    nodes: Frame
    edges: Frame
    level: str

    def to_dict(self) -> dict:
        """JSON-ready, in networkx's node-link layout (``networkx.node_link_graph(d, edges="edges")``)."""
        edges = [{k: e[k] for k in _EDGE_KEYS} | {"weight": e["events"]} for e in self.edges]
        return {
            "directed": True,
            "multigraph": False,
            "graph": {"level": self.level},
            "nodes": self.nodes.records(),
            "edges": edges,
        }

    def to_networkx(self) -> nx.DiGraph:
        """A networkx DiGraph; attributes without a value (a mean over no scores) are left out."""
        networkx = require("networkx", "the actor network")
        data = self.to_dict()
        for item in [*data["nodes"], *data["edges"]]:
            for key in [k for k, v in item.items() if v is None]:
                del item[key]
        return networkx.node_link_graph(data, directed=True, multigraph=False, edges="edges")

    def write_graphml(self, path: str | Path) -> None:
        networkx = require("networkx", "GraphML export")
        networkx.write_graphml(self.to_networkx(), str(path))

    def graphml(self) -> str:
        networkx = require("networkx", "GraphML export")
        return "\n".join(networkx.generate_graphml(self.to_networkx())) + "\n"

    def write_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def actor_network(
    store: Any,
    flt: EventFilter | None = None,
    level: str = "country",
    min_events: int = 1,
    max_edges: int | None = None,
) -> Network:
    """The network of actors at ``level`` (``country`` or ``code``) over the events matching ``flt``: an edge per
    directed dyad with at least ``min_events`` events (the ``max_edges`` biggest, if given), and a node per actor
    on a kept edge, with its event count (``events``, ``out_events`` as source, ``in_events`` as target), mean
    Goldstein score and conflict share over those edges, and a ``name`` for country codes."""
    edges = dyad_totals(store, flt, level=level, min_events=min_events, limit=max_edges)
    con = duckdb.connect()  # the edges are few: the nodes are summed from them here, not from the events again
    try:
        con.register("edges", edges.to_arrow())
        nodes = con.sql(_NODES_SQL).to_arrow_table()
    finally:
        con.close()
    nodes = nodes.append_column("name", actor_names(nodes["id"].to_pylist()))
    return Network(nodes=Frame(nodes), edges=edges, level=level)

