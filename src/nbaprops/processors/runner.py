"""Runs one processor for one game_date and records the run in processor_run_history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from nbaprops.errors import NbaPropsError, ProcessorError
from nbaprops.processors.base import Processor, ProcessorContext
from nbaprops.processors.resources import ResourceMeter, ResourceUse

RUN_HISTORY = "nba_orchestration.processor_run_history"
RUN_USAGE = "nba_orchestration.processor_run_usage"


@dataclass(frozen=True)
class ProcessorRun:
    """Outcome of one processor run."""

    processor: str
    phase: str
    game_date: date
    run_id: str
    attempt: int
    status: str  # success, partial, failed
    records: int | None
    expected: int | None
    note: str | None = None  # why a partial run fell short

    @property
    def completeness(self) -> float | None:
        if self.records is None or self.expected is None:
            return None
        if self.expected == 0:
            return 1.0
        return self.records / self.expected


def run_processor(
    processor: Processor, ctx: ProcessorContext, game_date: date, *, attempt: int = 1
) -> ProcessorRun:
    """Build and write the partition, appending the run to processor_run_history and what it used
    (wall time, CPU, peak memory, rows read and written) to processor_run_usage.

    The partition write, the run's final status and its usage commit together, so a crash leaves either
    the old partition with a 'running' row (detectable as stuck) or the new partition with its status.
    """
    warehouse = ctx.warehouse
    meter = ResourceMeter(warehouse)
    started_at = _naive(ctx)
    key = [processor.name, game_date, ctx.run_id, attempt]
    warehouse.execute(
        f"INSERT INTO {RUN_HISTORY} (processor, phase, game_date, run_id, attempt, status, started_at, "
        "started_utc) VALUES (?, ?, ?, ?, ?, 'running', ?, ?)",
        [processor.name, processor.phase, game_date, ctx.run_id, attempt, started_at,
         datetime.now(UTC).replace(tzinfo=None)],
    )
    expected: int | None = None
    rows_read: int | None = None
    try:
        expected = processor.expected_records(ctx, game_date)
        rows = processor.build(ctx, game_date)
        records = processor.count_records(rows)
        note = processor.shortfall(ctx, game_date, records=records, expected=expected)
        rows_read = meter.rows_read()
        short = note is not None or (expected is not None and records < expected)
        status = "partial" if short else "success"
        with warehouse.transaction():
            written = processor.write(ctx, game_date, rows)
            # A partial run's error_message says why it fell short.
            finished = warehouse.query(
                f"UPDATE {RUN_HISTORY} SET status = ?, records = ?, expected = ?, finished_at = ?, "
                "error_message = ? "
                "WHERE processor = ? AND game_date = ? AND run_id = ? AND attempt = ? AND status = 'running' "
                "RETURNING attempt",
                [status, records, expected, _naive(ctx), note, *key],
            )
            if not finished:
                # The stuck-work sweep declared this run timed out while it ran: keep the old rows.
                raise ProcessorError(
                    f"Processor {processor.name} for {game_date} (attempt {attempt}) was recorded as timed "
                    "out while it ran; its rows were not written and the run will be retried."
                )
            # In the same commit: each DuckDB commit syncs its log to disk, a cost per run.
            record_usage(ctx, processor, game_date, attempt=attempt, status=status, started_at=started_at,
                         use=meter.reading(rows_read=rows_read), rows_written=written)
    except Exception as e:
        warehouse.execute(
            f"UPDATE {RUN_HISTORY} SET status = 'failed', expected = ?, finished_at = ?, error_class = ?, "
            "error_message = ? WHERE processor = ? AND game_date = ? AND run_id = ? AND attempt = ? "
            "AND status = 'running'",
            [expected, _naive(ctx), type(e).__name__, str(e)[:2000], *key],
        )
        record_usage(ctx, processor, game_date, attempt=attempt, status="failed", started_at=started_at,
                     use=meter.reading(rows_read=rows_read), rows_written=None)
        if isinstance(e, ProcessorError):
            raise
        detail = str(e) if isinstance(e, NbaPropsError) else f"{type(e).__name__}: {e}"
        raise ProcessorError(
            f"Processor {processor.name} failed for {game_date} (attempt {attempt}): {detail}"
        ) from e
    return ProcessorRun(
        processor.name, processor.phase, game_date, ctx.run_id, attempt, status, records, expected, note
    )


def record_usage(
    ctx: ProcessorContext,
    processor: Processor,
    game_date: date,
    *,
    attempt: int,
    status: str,
    started_at: datetime,
    use: ResourceUse,
    rows_written: int | None,
) -> None:
    """Append what one run used to processor_run_usage."""
    ctx.warehouse.execute(
        f"INSERT INTO {RUN_USAGE} (processor, phase, game_date, run_id, attempt, source, status, started_at, "
        "wall_seconds, cpu_seconds, peak_rss_bytes, rss_grew, rows_read, rows_written, recorded_utc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [processor.name, processor.phase, game_date, ctx.run_id, attempt, _source_name(ctx), status, started_at,
         use.wall_seconds, use.cpu_seconds, use.peak_rss_bytes, use.rss_grew, use.rows_read, rows_written,
         datetime.now(UTC).replace(tzinfo=None)],
    )


def _source_name(ctx: ProcessorContext) -> str:
    name = getattr(ctx.source, "name", None)
    return name if isinstance(name, str) and name else type(ctx.source).__name__


def _naive(ctx: ProcessorContext):  # noqa: ANN202 - a naive UTC datetime for DuckDB TIMESTAMP
    return ctx.clock.now().replace(tzinfo=None)
