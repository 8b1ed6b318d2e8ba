"""A processor: one unit of the pipeline that fills one (table, game_date) partition."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, TypeAlias

import pyarrow as pa

from nbaprops.clock import Clock
from nbaprops.config import Settings
from nbaprops.sources.base import Source
from nbaprops.warehouse import Warehouse

Rows: TypeAlias = pa.Table | list[dict[str, Any]]


@dataclass
class ProcessorContext:
    """What a processor may touch: the warehouse, the source, the clock, the settings."""

    warehouse: Warehouse
    source: Source
    clock: Clock
    settings: Settings
    run_id: str = "manual"
    markets: tuple[str, ...] = field(default=("points", "rebounds", "assists", "threes", "pra"))


class Processor(ABC):
    """Declares its phase, inputs and output table; builds the rows of one game_date."""

    name: ClassVar[str]
    phase: ClassVar[str]
    output_table: ClassVar[str]
    inputs: ClassVar[tuple[str, ...]]

    @abstractmethod
    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        """Records that can really exist for `game_date` (None: no expectation, e.g. a free-form feed)."""

    @abstractmethod
    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        """The partition's new rows."""

    def write(self, ctx: ProcessorContext, game_date: date, rows: Rows) -> int:
        """Replace the game_date partition; called inside the runner's transaction."""
        return ctx.warehouse.replace_partition(
            self.output_table, {"game_date": game_date}, rows, in_transaction=True
        )

    def shortfall(
        self, ctx: ProcessorContext, game_date: date, *, records: int, expected: int | None
    ) -> str | None:
        """Why `records` fall short of what the inputs could give, naming what is missing (None:
        they do not). A shortfall makes the run partial even at 0 of 0 expected records."""
        return None

    def count_records(self, rows: Rows) -> int:
        """Records that count toward completeness (rows written, unless a processor says otherwise)."""
        return rows.num_rows if isinstance(rows, pa.Table) else len(rows)
