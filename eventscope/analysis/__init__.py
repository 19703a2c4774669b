"""Analysis over the event store: dyad time series, the actor network, escalation alerts, top counts."""

from eventscope.analysis.aggregates import actor_network, dyad_series, escalation_alerts, top_counts

__all__ = ["actor_network", "dyad_series", "escalation_alerts", "top_counts"]
