"""Notices new data for dates already run and applies it as data-availability events.

What the source serves now for a date is compared with what the warehouse's raw tables hold from
the last run: moved or new prop lines, injury status changes and schedule changes each become one
event, applied through the orchestrator (whose workflow IDs make a redelivered event run once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dbos import DBOS

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import Engine, WorkflowOutcome
from nbaprops.orchestration.requests import (
    RERUN_SUFFIX,
    DailyRun,
    DataEvent,
    EventKind,
    SourceKind,
    attempt_of,
)
from nbaprops.orchestration.runtime import SourceFactory, default_source
from nbaprops.orchestration.service import READ_WAIT_SECONDS, apply_event
from nbaprops.orchestration.settings import RunMode
from nbaprops.sources.base import Source
from nbaprops.warehouse import Warehouse

EASTERN = ZoneInfo("America/New_York")
CONTEXT_PROCESSOR = "upcoming_player_game_context"


@dataclass(frozen=True)
class DetectedEvent:
    """New data for `game_date`: the event kind, the players it names, and why, in words."""

    kind: EventKind
    game_date: date
    players: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "game_date": self.game_date.isoformat(),
            "players": list(self.players),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class AppliedEvent:
    """A detected event and the workflow that applied it."""

    detected: DetectedEvent
    outcome: WorkflowOutcome

    def to_json(self) -> dict[str, Any]:
        result = self.outcome.result or {}
        return {
            **self.detected.to_json(),
            "workflow_id": self.outcome.workflow_id,
            "workflow_status": self.outcome.status,
            "status": result.get("status"),
            "error": self.outcome.error,
        }


def watch_dates(today: date, *, days_ahead: int) -> list[date]:
    """Today and the next `days_ahead` dates."""
    return [today + timedelta(days=offset) for offset in range(days_ahead + 1)]


def eastern_today(now: datetime) -> date:
    """The game date (US/Eastern) at the instant `now`."""
    return now.astimezone(EASTERN).date()


def detect_changes(
    warehouse: Warehouse,
    source: Source,
    *,
    game_date: date,
    as_of: datetime,
    markets: Sequence[str],
) -> list[DetectedEvent]:
    """Events for what `source` serves for `game_date` as of `as_of` that the warehouse lacks.

    Nothing for a date whose day run has not built its upcoming context yet (that run will read
    the new data anyway) or whose games have all started. A schedule change re-runs the whole
    date, so it is the only event then.
    """
    if not _context_built(warehouse, game_date):
        return []
    games_now = {g["game_id"]: _game(g) for g in source.schedule(game_date, as_of=as_of)}
    games_held = {
        g["game_id"]: _game(g)
        for g in warehouse.query(
            "SELECT game_id, home_team, away_team, tipoff_utc, status FROM nba_raw.schedule WHERE game_date = ?",
            [game_date],
        )
    }
    cutoff = _naive_utc(as_of)
    if not any(g[2] > cutoff for g in (*games_now.values(), *games_held.values())):
        return []
    schedule = _schedule_change(games_held, games_now)
    if schedule:
        return [DetectedEvent(EventKind.SCHEDULE, game_date, (), schedule)]
    events = []
    lines = _line_changes(warehouse, source, game_date=game_date, as_of=as_of, markets=markets)
    if lines:
        players, detail = lines
        events.append(
            DetectedEvent(
                EventKind.PROPS,
                game_date,
                players,
                f"Prop lines for {game_date} changed since the last run for {len(players)} players ({detail}).",
            )
        )
    injured = _injury_changes(warehouse, source, game_date=game_date, as_of=as_of)
    if injured:
        events.append(
            DetectedEvent(
                EventKind.INJURIES,
                game_date,
                injured,
                f"The injury status of {len(injured)} players for {game_date} changed since the last run.",
            )
        )
    return events


def day_run_of(warehouse: Warehouse, game_date: date, *, source: SourceKind) -> DailyRun | None:
    """The latest day run (of its attempts, the last) of `game_date` from `source` that built
    the upcoming context."""
    rows = warehouse.query(
        "SELECT run_id FROM nba_orchestration.processor_run_history WHERE processor = ? "
        "AND game_date = ? AND regexp_matches(run_id, ?) "
        "ORDER BY started_at DESC, length(run_id) DESC, run_id DESC LIMIT 1",
        [CONTEXT_PROCESSOR, game_date, f"^daily:[^:]+:[^:]+:{source}({RERUN_SUFFIX}[0-9]+)?$"],
    )
    if not rows:
        return None
    run_id = rows[0]["run_id"]
    mode = run_id.split(":")[2]
    run = DailyRun(game_date, RunMode(mode), source, virtual=source is not SourceKind.LIVE)
    return replace(run, attempt=attempt_of(run_id, run.first_workflow_id) or 1)


@dataclass(frozen=True)
class WatchReport:
    """One watch of one date: the day run events refine (None: no run yet), what was applied."""

    game_date: date
    as_of: datetime
    day_run: DailyRun | None
    applied: tuple[AppliedEvent, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "game_date": self.game_date.isoformat(),
            "as_of": self.as_of.astimezone(UTC).isoformat(),
            "day_run": None if self.day_run is None else self.day_run.workflow_id,
            "events": [applied.to_json() for applied in self.applied],
        }


def watch_date(
    home: Home,
    settings: Settings,
    *,
    game_date: date,
    source_kind: SourceKind,
    as_of: datetime,
    notify: Callable[[str], None] = lambda message: None,
    source_factory: SourceFactory = default_source,
) -> WatchReport:
    """Detect new data for `game_date` as of `as_of` and apply each event, in order."""
    markets = tuple(settings.predictions.markets)
    with Warehouse.open(home.warehouse_target, wait_seconds=READ_WAIT_SECONDS) as warehouse:
        run = day_run_of(warehouse, game_date, source=source_kind)
        if run is None:
            return WatchReport(game_date, as_of, None, ())
        source = source_factory(source_kind, warehouse, settings, home)
        detected = detect_changes(warehouse, source, game_date=game_date, as_of=as_of, markets=markets)
    applied = []
    for event in detected:
        notify(event.reason)
        outcome = apply_event(
            home,
            settings,
            kind=event.kind,
            run=run,
            observed_at=as_of,
            players=event.players,
            notify=notify,
            source_factory=source_factory,
        )
        applied.append(AppliedEvent(event, outcome))
    return WatchReport(game_date, as_of, run, tuple(applied))


def watch_once(
    home: Home,
    settings: Settings,
    *,
    source_kind: SourceKind,
    now: datetime,
    days_ahead: int,
    notify: Callable[[str], None] = lambda message: None,
    source_factory: SourceFactory = default_source,
) -> list[WorkflowOutcome]:
    """Detect and apply new data for today (US/Eastern) and the next `days_ahead` dates."""
    return [
        applied.outcome
        for game_date in watch_dates(eastern_today(now), days_ahead=days_ahead)
        for applied in watch_date(
            home,
            settings,
            game_date=game_date,
            source_kind=source_kind,
            as_of=now,
            notify=notify,
            source_factory=source_factory,
        ).applied
    ]


def watch_in_engine(
    engine: Engine,
    *,
    source_kind: SourceKind,
    now: datetime,
    days_ahead: int,
    notify: Callable[[str], None],
) -> list[str]:
    """The worker's watch: detect over a side connection and start (not wait for) each event.

    Dates with an event still unfinished are left for the next watch, so a slow event is not
    detected again and started twice over.
    """
    busy = _dates_with_unfinished_events()
    runtime = engine.runtime
    started: list[tuple[DailyRun, DetectedEvent]] = []
    with runtime.lease.side_connection() as warehouse:
        source = runtime.source_factory(source_kind, warehouse, engine.settings, engine.home)
        for game_date in watch_dates(eastern_today(now), days_ahead=days_ahead):
            if game_date in busy:
                continue
            run = day_run_of(warehouse, game_date, source=source_kind)
            if run is None:
                continue
            events = detect_changes(warehouse, source, game_date=game_date, as_of=now, markets=runtime.markets)
            started.extend((DailyRun(game_date, run.mode, source_kind, virtual=False), e) for e in events)
    workflow_ids = []
    for run, event in started:
        workflow_id = engine.start(DataEvent(event.kind, run, now, event.players))
        notify(f"{event.reason} Started {workflow_id}.")
        workflow_ids.append(workflow_id)
    return workflow_ids


def _dates_with_unfinished_events() -> set[date]:
    statuses = DBOS.list_workflows(
        workflow_id_prefix="event:",
        status=["PENDING", "ENQUEUED"],
        load_input=False,
        load_output=False,
    )
    return {date.fromisoformat(s.workflow_id.split(":")[2]) for s in statuses}


def _context_built(warehouse: Warehouse, game_date: date) -> bool:
    return bool(
        warehouse.query(
            "SELECT 1 FROM nba_orchestration.processor_run_history WHERE processor = ? AND game_date = ? LIMIT 1",
            [CONTEXT_PROCESSOR, game_date],
        )
    )


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _game(row: dict[str, Any]) -> tuple[str, str, datetime, bool]:
    return (
        row["home_team"],
        row["away_team"],
        _naive_utc(row["tipoff_utc"]),
        row["status"] == "postponed",
    )


def _schedule_change(
    held: dict[str, tuple[str, str, datetime, bool]],
    now: dict[str, tuple[str, str, datetime, bool]],
) -> str:
    """In words, how the date's games changed ('' when they did not)."""
    parts = []
    added = sorted(set(now) - set(held))
    removed = sorted(set(held) - set(now))
    moved = sorted(g for g in set(held) & set(now) if held[g] != now[g])
    if added:
        parts.append(f"added {', '.join(added)}")
    if removed:
        parts.append(f"removed {', '.join(removed)}")
    if moved:
        parts.append(f"moved or postponed {', '.join(moved)}")
    return f"The schedule changed since the last run: {'; '.join(parts)}." if parts else ""


def _line_changes(
    warehouse: Warehouse,
    source: Source,
    *,
    game_date: date,
    as_of: datetime,
    markets: Sequence[str],
) -> tuple[tuple[str, ...], str] | None:
    """The players whose lines (line or prices, per market and bookmaker) changed, and how."""

    def key(row: dict[str, Any]) -> tuple[str, str, str]:
        return (row["player_lookup"], row["market"], row["bookmaker"])

    def value(row: dict[str, Any]) -> tuple[float, int | None, int | None]:
        return (float(row["line"]), row["over_price"], row["under_price"])

    wanted = set(markets)
    now = {key(r): value(r) for r in source.prop_lines(game_date, as_of=as_of) if r["market"] in wanted}
    held = {
        key(r): value(r)
        for r in warehouse.query(
            "SELECT player_lookup, market, bookmaker, line, over_price, under_price "
            "FROM nba_raw.player_prop_lines WHERE game_date = ?",
            [game_date],
        )
        if r["market"] in wanted
    }
    new = {k for k in now if k not in held}
    moved = {k for k in now if k in held and now[k] != held[k]}
    pulled = {k for k in held if k not in now}
    changed = new | moved | pulled
    if not changed:
        return None
    counts = [(len(new), "appeared"), (len(moved), "moved"), (len(pulled), "were pulled")]
    detail = ", ".join(f"{n} {what}" for n, what in counts if n)
    return tuple(sorted({k[0] for k in changed})), detail


def _injury_changes(warehouse: Warehouse, source: Source, *, game_date: date, as_of: datetime) -> tuple[str, ...]:
    """The players whose injury status is new, changed or cleared."""
    now = {r["player_lookup"]: r["status"] for r in source.injuries(game_date, as_of=as_of)}
    held = {
        r["player_lookup"]: r["status"]
        for r in warehouse.query(
            "SELECT player_lookup, status FROM nba_raw.injury_report WHERE game_date = ?",
            [game_date],
        )
    }
    return tuple(sorted(p for p in set(now) | set(held) if now.get(p) != held.get(p)))
