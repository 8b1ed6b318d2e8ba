"""Planner statistics kept fresh while a backfill writes: PostgreSQL's autovacuum analyzes a table at
most once a minute and only past its thresholds, so a season written in minutes is planned on stale
statistics (a table never analyzed is planned as one row: nested loops over thousands of rows, a
join of 3,124 x 1,874 rows that took 3.9 s instead of milliseconds).

`Analyzer` counts the rows a connection writes into each table and, once they reach a share of what
the table held at its last analyze, analyzes it after the write's transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# A table is analyzed again once the rows written since reach this share of its rows (and at least MIN_ROWS).
GROWTH_SHARE = 0.2
MIN_ROWS = 200

_RELTUPLES = """
    SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = %s AND c.relname = %s
"""


@dataclass
class Analyzer:
    """Which tables need ANALYZE, from the rows written into them; `execute` runs a statement."""

    execute: Callable[[str, list[object]], list[tuple[object, ...]]]
    known: dict[str, float] = field(default_factory=dict)
    """Rows each table held at its last analyze (as PostgreSQL estimates them, or as counted here)."""
    written: dict[str, int] = field(default_factory=dict)
    due: set[str] = field(default_factory=set)

    def wrote(self, table: str, rows: int) -> None:
        """`rows` rows went into `table`; it is due once they are enough to change its plans."""
        if table not in self.known:
            schema, _, name = table.rpartition(".")
            found = self.execute(_RELTUPLES, [schema or "public", name])
            self.known[table] = max(float(str(found[0][0])), 0.0) if found else 0.0  # -1: never analyzed
        self.written[table] = self.written.get(table, 0) + rows
        if self.written[table] >= max(MIN_ROWS, GROWTH_SHARE * self.known[table]):
            self.due.add(table)

    def analyze_due(self) -> None:
        """ANALYZE every due table (outside a transaction: its lock would be held to the commit)."""
        for table in sorted(self.due):
            self.execute(f"ANALYZE {table}", [])
            self.known[table] += self.written.pop(table, 0)
        self.due.clear()
