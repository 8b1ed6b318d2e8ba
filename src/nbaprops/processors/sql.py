"""Processors whose rows are one SQL query over the warehouse."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from nbaprops.processors.base import Processor, ProcessorContext, Rows
from nbaprops.seasons import season_start


class SqlProcessor(Processor):
    """Rows from `sql`; expected records from `expected_sql` (None when it is empty).

    Both queries take the named parameters $game_date and $season_start, plus `extra_params`.
    """

    sql: ClassVar[str]
    expected_sql: ClassVar[str] = ""

    def params(self, ctx: ProcessorContext, game_date: date) -> dict[str, Any]:
        return {"game_date": game_date, "season_start": season_start(game_date)}

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        if not self.expected_sql:
            return None
        value = ctx.warehouse.scalar(self.expected_sql, self.params(ctx, game_date))
        return int(value or 0)

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        return ctx.warehouse.arrow(self.sql, self.params(ctx, game_date))
