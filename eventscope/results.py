"""What the Python API returns: tables you can turn into Arrow, pandas, polars or JSON-ready rows.

``Frame`` holds a computed result (a time series, a ranking, alerts). ``Events`` is a query not yet run:
each conversion reads the store then, so a filter over ten million events never becomes ten million Python
dicts unless you iterate over it (which streams them in batches).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from eventscope.extras import require
from eventscope.query import EventFilter, _iso, count_events, events_arrow, iter_events, query_events

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa


def json_value(value: Any) -> Any:
    """A cell as JSON has it: dates and times as ISO strings (naive times are UTC), NaN as None."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def arrow_records(table: pa.Table) -> list[dict]:
    """The rows of an Arrow table as JSON-ready dicts."""
    return [{k: json_value(v) for k, v in row.items()} for row in table.to_pylist()]


def _pandas(table: pa.Table) -> pd.DataFrame:
    require("pandas", "to_pandas()")
    # dates become datetime64 columns: what resampling, plotting and joins in pandas expect
    return table.to_pandas(date_as_object=False)


def _polars(table: pa.Table) -> pl.DataFrame:
    polars = require("polars", "to_polars()")
    return polars.from_arrow(table)


class Frame:
    """A computed result table. Iterating gives JSON-ready dicts; ``to_arrow/to_pandas/to_polars`` give frames."""

    def __init__(self, table: pa.Table) -> None:
        self._table = table

    @property
    def columns(self) -> list[str]:
        return list(self._table.column_names)

    def to_arrow(self) -> pa.Table:
        return self._table

    def to_pandas(self) -> pd.DataFrame:
        return _pandas(self._table)

    def to_polars(self) -> pl.DataFrame:
        return _polars(self._table)

    def records(self) -> list[dict]:
        """The rows as JSON-ready dicts (dates as ISO strings)."""
        return arrow_records(self._table)

    def __iter__(self) -> Iterator[dict]:
        return iter(self.records())

    def __len__(self) -> int:
        return self._table.num_rows

    def __repr__(self) -> str:
        return f"<Frame: {len(self)} rows; {', '.join(self.columns)}>"

    def _repr_html_(self) -> str | None:  # a table in notebooks, when pandas is there
        try:
            return self.to_pandas()._repr_html_()
        except ImportError:
            return None


class Events:
    """The events matching a filter, read when converted or iterated (asserted events only, unless the filter
    asks for negated or hypothetical ones). Iterating yields the dicts of ``eventscope events --format json``."""

    def __init__(self, store: Any, flt: EventFilter) -> None:
        self._store = store
        self.filter = flt

    def __iter__(self) -> Iterator[dict]:
        return iter_events(self._store, self.filter)

    def __len__(self) -> int:
        total = max(count_events(self._store, self.filter) - (self.filter.offset or 0), 0)
        return total if self.filter.limit is None else min(total, self.filter.limit)

    def to_list(self) -> list[dict]:
        """Every matching event as a dict (as JSON has them)."""
        return query_events(self._store, self.filter)

    def to_arrow(self) -> pa.Table:
        """One row per event; the location is flattened into ``location_*`` columns, ``date`` is a date."""
        return events_arrow(self._store, self.filter)

    def to_pandas(self) -> pd.DataFrame:
        return _pandas(self.to_arrow())

    def to_polars(self) -> pl.DataFrame:
        return _polars(self.to_arrow())

    def __repr__(self) -> str:
        set_fields = {k: v for k, v in vars(self.filter).items() if v not in (None, False, 0)}
        return f"<Events {set_fields}>"
