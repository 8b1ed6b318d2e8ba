"""Phase 3 progress: which processors of a game_date's pipeline ran, how far, and when complete.

The reader fetches runs; `phase3_targets` and `judge_progress` are the pure rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from nbaprops.state._calendar import utc, warehouse_instant
from nbaprops.state._error_text import error_text
from nbaprops.state._schedule import previous_game_day
from nbaprops.state._sql import RUNS_AS_OF
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings

# The Phase 3 processors that summarise finished games run, in the pipeline of game_date D, for
# the previous game day; the others prepare D itself (see nbaprops.pipeline.plan).
RESULTS_PROCESSORS = frozenset(
    {"player_game_summary", "team_offense_game_summary", "team_defense_game_summary"}
)
ERROR_TEXT_LIMIT = 200


@dataclass(frozen=True)
class ProcessorProgress:
    """Where one processor stands for the date it works on in the pipeline of a game_date."""

    processor: str
    target_date: date
    attempts: int
    """Runs recorded for `target_date`; 0 when it never ran."""
    status: str | None
    """The latest run's status (running, success, partial, failed, timed_out, ...)."""
    records: int | None
    expected: int | None
    first_started_utc: datetime | None
    finished_utc: datetime | None
    """When the latest run finished."""
    complete_utc: datetime | None
    """When the first run that wrote a complete partition finished; None: not complete."""
    error: str | None
    """The latest run's error class and message."""

    @property
    def complete(self) -> bool:
        return self.complete_utc is not None


def phase3_targets(
    processors: Iterable[str], *, game_date: date, previous: date | None
) -> dict[str, date]:
    """Each Phase 3 processor of the pipeline of `game_date`, and the date it works on.

    Results processors work on the previous game day and are left out when there is none (the
    first day of a season).
    """
    targets: dict[str, date] = {}
    for processor in processors:
        if processor not in RESULTS_PROCESSORS:
            targets[processor] = game_date
        elif previous is not None:
            targets[processor] = previous
    return targets


def phase3_progress(
    warehouse: Warehouse,
    *,
    game_date: date,
    now_utc: datetime,
    settings: Settings,
    previous: date | None = None,
) -> tuple[ProcessorProgress, ...]:
    """Where each Phase 3 processor (those of the phase3_to_phase4 gate) of the pipeline of
    `game_date` stands at `now_utc`. `previous`: the previous game day, when already read."""
    if previous is None:
        previous = previous_game_day(warehouse, game_date=game_date, now_utc=now_utc)
    targets = phase3_targets(
        settings.orchestration.gates.phase3_to_phase4.processors,
        game_date=game_date,
        previous=previous,
    )
    runs = read_target_runs(warehouse, targets=targets, now_utc=now_utc)
    return judge_progress(
        targets, runs, threshold=settings.orchestration.completeness_retry.threshold
    )


def read_target_runs(
    warehouse: Warehouse, *, targets: Mapping[str, date], now_utc: datetime
) -> list[dict[str, Any]]:
    """The runs, as of `now_utc`, of the processors and dates of `targets`, oldest first."""
    return warehouse.query(
        f"""
        SELECT * FROM ({RUNS_AS_OF})
        WHERE list_contains($processors, processor) AND list_contains($dates, game_date)
        ORDER BY started_at, attempt
        """,
        {
            "processors": list(targets),
            "dates": sorted(set(targets.values())),
            "now": warehouse_instant(now_utc),
        },
    )


def judge_progress(
    targets: Mapping[str, date], runs: Sequence[Mapping[str, Any]], *, threshold: float
) -> tuple[ProcessorProgress, ...]:
    """Each target processor's progress from its runs (oldest first)."""
    return tuple(
        _progress(
            processor,
            target,
            [r for r in runs if r["processor"] == processor and r["game_date"] == target],
            threshold=threshold,
        )
        for processor, target in targets.items()
    )


def _progress(
    processor: str, target: date, runs: Sequence[Mapping[str, Any]], *, threshold: float
) -> ProcessorProgress:
    latest = runs[-1] if runs else None
    complete = [
        run["finished_at"]
        for run in runs
        if is_complete(run, threshold=threshold) and run["finished_at"] is not None
    ]
    error = None
    if latest is not None and latest["error_message"]:
        error = error_text(latest["error_class"], latest["error_message"], limit=ERROR_TEXT_LIMIT)
    return ProcessorProgress(
        processor=processor,
        target_date=target,
        attempts=len(runs),
        status=latest["status"] if latest else None,
        records=latest["records"] if latest else None,
        expected=latest["expected"] if latest else None,
        first_started_utc=utc(runs[0]["started_at"]) if runs else None,
        finished_utc=utc(latest["finished_at"]) if latest else None,
        complete_utc=utc(min(complete)) if complete else None,
        error=error,
    )


def is_complete(run: Mapping[str, Any], *, threshold: float) -> bool:
    """A success, or a partial run at or above the completeness threshold."""
    if run["status"] == "success":
        return True
    if run["status"] != "partial" or run["expected"] is None or run["records"] is None:
        return False
    return bool(run["expected"] == 0 or run["records"] / run["expected"] >= threshold)


def phase3_finished(progress: Sequence[ProcessorProgress]) -> datetime | None:
    """When the last Phase 3 processor became complete; None until all are."""
    complete = [p.complete_utc for p in progress if p.complete_utc is not None]
    if not progress or len(complete) < len(progress):
        return None
    return max(complete)
