"""Which clock `nbaprops health` judges by: the wall clock, or the virtual time recorded runs used.

A home built by replaying or simulating days holds runs whose times are virtual (2025 game days
run in seconds today); judging them against today's wall clock makes every day look stale. So the
check reads how the home's runs kept time and takes, for a home whose runs were all on virtual
time, the latest instant those runs reached. `--as-of` overrides either.

How a run kept time is read from what it recorded, never guessed from how old it is (a live
pipeline that stopped days ago must still look stale):
- orchestrated runs write each decision and phase completion with both their own clock and the
  wall clock; they agree on a wall-clock run and disagree on a virtual one;
- backtest runs (run ID `backtest:<market>:<day>`) always walk forward on a virtual clock;
- any other run did not record its clock and counts for neither.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from nbaprops.alerting.collect import table_exists
from nbaprops.warehouse import Warehouse

CLOCKS_AGREE = timedelta(minutes=10)
"""A run whose own clock was this close to the wall clock on some record ran on the wall clock."""

# The sources a workflow ID names (`daily:<date>:<mode>:<source>`, see
# nbaprops.orchestration.requests), and the run-ID prefix of the walk-forward backtest.
_WORKFLOW_SOURCES = ("replay", "sim", "live")
_BACKTEST = "backtest"


class ClockKind(StrEnum):
    """The clock a health check judged by."""

    WALL = "wall"  # now, on the wall clock
    VIRTUAL = "virtual"  # the latest instant the home's virtual-time runs reached
    GIVEN = "given"  # the instant given with --as-of


@dataclass(frozen=True)
class RecordedRun:
    """One run (a workflow, or a backtest day) as the warehouse remembers its time."""

    run_id: str
    reached_utc: datetime
    """The latest instant on the run's own clock that it recorded."""
    closest_to_wall_seconds: float | None
    """The smallest gap between the run's clock and the wall clock over the records that hold
    both; None when it recorded no wall-clock time."""

    @property
    def source(self) -> str | None:
        """replay, sim, live or backtest, as the run ID says; None when it does not."""
        return source_of(self.run_id)

    @property
    def clock(self) -> ClockKind | None:
        """WALL or VIRTUAL as the run recorded it; None when it did not record its clock."""
        if self.closest_to_wall_seconds is not None:
            agree = self.closest_to_wall_seconds <= CLOCKS_AGREE.total_seconds()
            return ClockKind.WALL if agree else ClockKind.VIRTUAL
        return ClockKind.VIRTUAL if self.source == _BACKTEST else None


@dataclass(frozen=True)
class HealthClock:
    """The instant a health check judges at, the clock it came from, and why that clock."""

    kind: ClockKind
    now_utc: datetime
    reason: str

    @property
    def header(self) -> str:
        """`clock: virtual (replay runs; as of 2025-01-11T03:10Z, ...)`, for the report's top."""
        return f"clock: {self.kind.value} ({self.reason})"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "now_utc": self.now_utc.isoformat(), "reason": self.reason}


def source_of(run_id: str) -> str | None:
    """The source a run ID names: `daily:2025-01-10:backfill:replay` -> replay,
    `backtest:threes:2025-01-10` -> backtest; None for any other ID."""
    parts = run_id.split(":")
    if parts[0] == _BACKTEST:
        return _BACKTEST
    return next((part for part in parts[1:] if part in _WORKFLOW_SOURCES), None)


def choose_clock(
    runs: Sequence[RecordedRun],
    *,
    wall_now: datetime,
    as_of: datetime | None = None,
    game_date: date | None = None,
    day_reached_utc: datetime | None = None,
) -> HealthClock:
    """The clock to judge by.

    `as_of` wins. Otherwise the wall clock, unless the runs that recorded their clock were all
    on virtual time: then the latest instant they reached, or `day_reached_utc` (the latest they
    reached working on `game_date`) when a game_date was asked for. A home with both kinds is
    judged by the wall clock, so a live pipeline that stopped still shows as stale.
    """
    if as_of is not None:
        instead = choose_clock(
            runs, wall_now=wall_now, game_date=game_date, day_reached_utc=day_reached_utc
        )
        return HealthClock(
            ClockKind.GIVEN,
            as_of,
            f"--as-of {_instant(as_of)}, instead of the {instead.kind.value} clock "
            f"({instead.reason})",
        )
    virtual = [run for run in runs if run.clock is ClockKind.VIRTUAL]
    wall = [run for run in runs if run.clock is ClockKind.WALL]
    replayed = _described(virtual)
    if wall and virtual:
        return HealthClock(
            ClockKind.WALL,
            wall_now,
            f"{_described(wall)} beside {replayed}: a home that runs on the wall clock is judged "
            "by it; pass --as-of to check the virtual-time days",
        )
    if wall:
        return HealthClock(ClockKind.WALL, wall_now, _described(wall))
    if not virtual:
        return HealthClock(ClockKind.WALL, wall_now, "no run recorded a virtual clock")
    if game_date is not None and day_reached_utc is not None:
        return HealthClock(
            ClockKind.VIRTUAL,
            day_reached_utc,
            f"{replayed}; as of {_instant(day_reached_utc)}, when they last worked on {game_date}",
        )
    reached = max(run.reached_utc for run in virtual)
    return HealthClock(
        ClockKind.VIRTUAL, reached, f"{replayed}; as of {_instant(reached)}, the latest they reached"
    )


def read_recorded_runs(warehouse: Warehouse) -> tuple[RecordedRun, ...]:
    """Every run of the home with the latest instant it reached and how its clock compared
    with the wall clock."""
    orchestrated = all(
        table_exists(warehouse, table)
        for table in (
            "nba_orchestration.phase_completions",
            "nba_orchestration.orchestration_events",
        )
    )
    both_clocks = (
        """
        SELECT workflow_id AS run_id, completed_at AS run_at, completed_utc AS wall_at
        FROM nba_orchestration.phase_completions
        UNION ALL
        SELECT workflow_id, decided_at, recorded_utc FROM nba_orchestration.orchestration_events
        """
        if orchestrated
        else "SELECT NULL::VARCHAR AS run_id, NULL::TIMESTAMP AS run_at, "
        "NULL::TIMESTAMP AS wall_at WHERE false"
    )
    rows = warehouse.query(
        f"""
        WITH processor_runs AS (
            SELECT run_id, max(coalesce(finished_at, started_at)) AS reached
            FROM nba_orchestration.processor_run_history GROUP BY run_id
        ),
        recorded AS (
            SELECT run_id, max(run_at) AS reached,
                   min(abs(epoch(run_at) - epoch(wall_at))) AS closest
            FROM ({both_clocks}) GROUP BY run_id
        )
        SELECT run_id, greatest(p.reached, r.reached) AS reached, r.closest
        FROM processor_runs AS p FULL JOIN recorded AS r USING (run_id)
        ORDER BY run_id
        """
    )
    return tuple(
        RecordedRun(
            run_id=row["run_id"],
            reached_utc=row["reached"].replace(tzinfo=UTC),
            closest_to_wall_seconds=None if row["closest"] is None else float(row["closest"]),
        )
        for row in rows
    )


def day_reached(warehouse: Warehouse, *, run_ids: Collection[str], game_date: date) -> datetime | None:
    """The latest instant the runs `run_ids` reached working on `game_date`."""
    reached = warehouse.scalar(
        "SELECT max(coalesce(finished_at, started_at)) FROM nba_orchestration.processor_run_history "
        "WHERE game_date = $day AND list_contains($runs, run_id)",
        {"day": game_date, "runs": list(run_ids)},
    )
    return None if reached is None else reached.replace(tzinfo=UTC)


def home_clock(
    warehouse: Warehouse,
    *,
    wall_now: datetime,
    as_of: datetime | None = None,
    game_date: date | None = None,
) -> HealthClock:
    """`choose_clock` over the home's recorded runs."""
    runs = read_recorded_runs(warehouse)
    virtual = [run.run_id for run in runs if run.clock is ClockKind.VIRTUAL]
    reached = (
        day_reached(warehouse, run_ids=virtual, game_date=game_date)
        if game_date is not None and virtual and as_of is None
        else None
    )
    return choose_clock(
        runs, wall_now=wall_now, as_of=as_of, game_date=game_date, day_reached_utc=reached
    )


def _described(runs: Sequence[RecordedRun]) -> str:
    """`replay runs`, `2 live and 1 sim runs`: the runs by the source their IDs name."""
    counts: dict[str, int] = {}
    for run in runs:
        source = run.source or "unnamed"
        counts[source] = counts.get(source, 0) + 1
    if len(counts) == 1:
        return f"{next(iter(counts))} runs"
    return " and ".join(f"{n} {source}" for source, n in sorted(counts.items())) + " runs"


def _instant(instant: datetime) -> str:
    return f"{instant.astimezone(UTC):%Y-%m-%dT%H:%MZ}"
