"""The fault plan applied: sources that misbehave, processors that fail, write less or stall."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any, assert_never

import pyarrow as pa

from nbaprops.errors import ProcessorError, SourceError, WarehouseError
from nbaprops.orchestration.faults import (
    FaultPlan,
    ProcessorFault,
    ProcessorFaultKind,
    SourceFaultKind,
    SourceName,
)
from nbaprops.processors.base import Processor, ProcessorContext, Rows
from nbaprops.sources.base import Row, Source
from nbaprops.sources.wrapper import SourceWrapper

# Each Source method and the fault target that governs it.
_FEEDS: dict[str, SourceName] = {
    "schedule": SourceName.SCHEDULE,
    "player_boxscores": SourceName.BOXSCORES,
    "team_boxscores": SourceName.BOXSCORES,
    "prop_lines": SourceName.PROPS,
    "injuries": SourceName.INJURIES,
}


class FaultedSource(SourceWrapper):
    """A `Source` with the plan's source faults: late data, no data, failed or refused requests.

    Only the feeds are faulted; the expected counts come from `inner` unchanged, as a late, empty or
    failing feed does not change which lines will exist."""

    def __init__(self, inner: Source, plan: FaultPlan) -> None:
        super().__init__(inner)
        self._plan = plan

    def _fetch(self, feed: str, game_date: date, as_of: datetime) -> list[Row]:
        fault = self._plan.source_fault(_FEEDS[feed])
        if fault is None:
            return super()._fetch(feed, game_date, as_of)
        where = f"the {fault.source} feed ({feed}) for {game_date}"
        match fault.kind:
            case SourceFaultKind.LATE:
                assert fault.delay_seconds is not None
                # Data published at t becomes visible at t + delay: ask for what was out delay ago.
                return super()._fetch(feed, game_date, as_of - timedelta(seconds=fault.delay_seconds))
            case SourceFaultKind.EMPTY:
                return []
            case SourceFaultKind.ERROR:
                raise SourceError(
                    f"Request to {where} failed (injected fault {fault.spec}); "
                    "the source is down, so retry later."
                )
            case SourceFaultKind.FORBIDDEN:
                raise SourceError(
                    f"Request to {where} was refused with 403 Forbidden (injected fault "
                    f"{fault.spec}); check the API key and its plan."
                )
            case _:
                assert_never(fault.kind)


class ProcessorWrapper(Processor):
    """A processor that behaves as `inner` except where a subclass says otherwise."""

    def __init__(self, inner: Processor) -> None:
        self._inner = inner
        self.name = inner.name  # type: ignore[misc]
        self.phase = inner.phase  # type: ignore[misc]
        self.output_table = inner.output_table  # type: ignore[misc]
        self.inputs = inner.inputs  # type: ignore[misc]

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        return self._inner.expected_records(ctx, game_date)

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        return self._inner.build(ctx, game_date)

    def count_records(self, rows: Rows) -> int:
        return self._inner.count_records(rows)

    def shortfall(
        self, ctx: ProcessorContext, game_date: date, *, records: int, expected: int | None
    ) -> str | None:
        return self._inner.shortfall(ctx, game_date, records=records, expected=expected)

    def write(self, ctx: ProcessorContext, game_date: date, rows: Rows) -> int:
        return self._inner.write(ctx, game_date, rows)


class FaultedProcessor(ProcessorWrapper):
    """`inner` on one attempt, with that attempt's processor fault applied."""

    def __init__(self, inner: Processor, fault: ProcessorFault) -> None:
        super().__init__(inner)
        self._fault = fault

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        fault = self._fault
        match fault.kind:
            case ProcessorFaultKind.FAIL:
                raise ProcessorError(
                    f"Processor {self.name} failed for {game_date} (injected fault {fault.spec})."
                )
            case ProcessorFaultKind.CRASH:
                raise RuntimeError(f"injected crash ({fault.spec})")
            case ProcessorFaultKind.IMPORT:
                # What a worker whose environment lacks a package raises: named as Python names it,
                # so the diagnosis reads it as it would read the real failure.
                raise ModuleNotFoundError(f"No module named '{fault.module}'", name=fault.module)
            case ProcessorFaultKind.WRITE_ERROR:
                return self._inner.build(ctx, game_date)
            case ProcessorFaultKind.SLOW:
                assert fault.duration_seconds is not None
                ctx.clock.sleep(fault.duration_seconds)
                return self._inner.build(ctx, game_date)
            case ProcessorFaultKind.PARTIAL:
                assert fault.fraction is not None
                return keep_share(self._inner.build(ctx, game_date), fault.fraction)
            case _:
                assert_never(fault.kind)

    def write(self, ctx: ProcessorContext, game_date: date, rows: Rows) -> int:
        if self._fault.kind is ProcessorFaultKind.WRITE_ERROR:
            raise WarehouseError(
                f"Could not write {self.output_table} for {game_date}: IO Error: could not write to the "
                f"warehouse file (injected fault {self._fault.spec})."
            )
        return self._inner.write(ctx, game_date, rows)


def keep_share(rows: Rows, fraction: float) -> Rows:
    """The first floor(fraction * n) rows."""
    if isinstance(rows, pa.Table):
        return rows.slice(0, math.floor(fraction * rows.num_rows))
    kept: list[dict[str, Any]] = list(rows)[: math.floor(fraction * len(rows))]
    return kept
