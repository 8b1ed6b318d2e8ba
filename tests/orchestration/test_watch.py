"""The watcher: new data for a date already run fires one event, applied once, superseding rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tests.orchestration.conftest import make_settings
from tests.processors.league import Row, TinyLeague

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import Role, launched
from nbaprops.orchestration.requests import DailyRun, EventKind, SourceKind
from nbaprops.orchestration.service import apply_event
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.watch import (
    DetectedEvent,
    detect_changes,
    eastern_today,
    watch_date,
    watch_dates,
    watch_in_engine,
    watch_once,
)
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(4)]
EVENT_DATE = DATES[3]
EARLY_PLAYERS = ["jaysontatum", "jalenbrunson"]
LATE_PLAYERS = ("jaylenbrown", "joshhart")
# Published just before the 23:30 tip-off (the tests publish them once the day run is done).
LATE_LINES_AT = datetime(2024, 11, 4, 23, 29, 30, tzinfo=UTC)
WATCH_AT = LATE_LINES_AT + timedelta(seconds=15)


class LateLinesLeague(TinyLeague):
    """TinyLeague whose last date has lines for two players at first, for all four from
    `late_lines_at` on, and a questionable Josh Hart from `hart_questionable_at` on."""

    late_lines_at: datetime | None = None
    hart_questionable_at: datetime | None = None

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        rows = super().prop_lines(game_date, as_of=as_of)
        late = self.late_lines_at
        if game_date == EVENT_DATE and (late is None or as_of < late):
            rows = [row for row in rows if row["player_lookup"] in EARLY_PLAYERS]
        return rows

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        at = self.hart_questionable_at
        if game_date != EVENT_DATE or at is None or as_of < at:
            return []
        return [
            {
                "team": "NYK",
                "player_lookup": "joshhart",
                "player_name": "Josh Hart",
                "status": "questionable",
                "reason": "ankle",
                "reported_utc": at.replace(tzinfo=None),
            }
        ]


@pytest.fixture
def settings() -> Settings:
    # Half the slate is enough to predict early, before the late lines come.
    return make_settings(predictions={"min_history_games": 2}, modes={"same_day": {"min_completeness": 0.5}})


@pytest.fixture
def league() -> LateLinesLeague:
    return LateLinesLeague(DATES)


@pytest.fixture
def ran_home(home: Home, settings: Settings, league: LateLinesLeague) -> Home:
    """The season's days run in order, the event date's early, with lines for two players only."""
    run = DailyRun(EVENT_DATE, RunMode.SAME_DAY, SourceKind.SIM, since=DATES[0])
    with launched(home, settings, source_factory=lambda kind, warehouse, _settings, _home: league) as engine:
        outcome = engine.run(run)
    assert outcome.ok, outcome.error
    return home


def query(home: Home, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query(sql, params)


def detect(home: Home, league: LateLinesLeague, as_of: datetime) -> list[DetectedEvent]:
    with Warehouse.open(home.warehouse_path) as warehouse:
        return detect_changes(warehouse, league, game_date=EVENT_DATE, as_of=as_of, markets=["points", "threes"])


def watch(home: Home, settings: Settings, league: LateLinesLeague, as_of: datetime) -> list[Any]:
    report = watch_date(
        home,
        settings,
        game_date=EVENT_DATE,
        source_kind=SourceKind.SIM,
        as_of=as_of,
        source_factory=lambda kind, warehouse, _settings, _home: league,
    )
    assert report.day_run is not None
    assert report.day_run.workflow_id == f"daily:{EVENT_DATE}:same_day:sim"
    return list(report.applied)


def test_late_lines_fire_one_props_event_that_supersedes_predictions_once(
    ran_home: Home, settings: Settings, league: LateLinesLeague
) -> None:
    league.late_lines_at = LATE_LINES_AT
    assert detect(ran_home, league, LATE_LINES_AT - timedelta(seconds=10)) == []
    applied = watch(ran_home, settings, league, WATCH_AT)
    assert [(a.detected.kind, a.detected.players) for a in applied] == [(EventKind.PROPS, LATE_PLAYERS)]
    assert applied[0].detected.reason == (
        f"Prop lines for {EVENT_DATE} changed since the last run for 2 players (8 appeared)."
    )
    event = applied[0].outcome
    assert event.ok and event.workflow_id.startswith(f"event:props:{EVENT_DATE}:same_day:sim:")
    active = query(
        ran_home,
        "SELECT player_lookup, market, system_id, count(*) AS n, any_value(run_id) AS run_id "
        "FROM nba_predictions.player_prop_predictions WHERE game_date = ? AND is_active "
        "GROUP BY ALL ORDER BY 1",
        [EVENT_DATE],
    )
    assert {r["player_lookup"] for r in active} == {*EARLY_PLAYERS, *LATE_PLAYERS}
    assert {r["n"] for r in active} == {1}
    assert {r["run_id"] for r in active} == {event.workflow_id}
    superseded = query(
        ran_home,
        "SELECT DISTINCT player_lookup FROM nba_predictions.player_prop_predictions "
        "WHERE game_date = ? AND NOT is_active ORDER BY 1",
        [EVENT_DATE],
    )
    assert [r["player_lookup"] for r in superseded] == sorted(EARLY_PLAYERS)

    # Nothing new: nothing fires.
    assert watch(ran_home, settings, league, WATCH_AT + timedelta(seconds=5)) == []
    # The same event delivered again runs once: same workflow, no new processor runs.
    runs = query(ran_home, "SELECT count(*) AS n FROM nba_orchestration.processor_run_history")
    again = apply_event(
        ran_home,
        settings,
        kind=EventKind.PROPS,
        run=DailyRun(EVENT_DATE, RunMode.SAME_DAY, SourceKind.SIM),
        observed_at=WATCH_AT,
        players=LATE_PLAYERS,
        source_factory=lambda kind, warehouse, _settings, _home: league,
    )
    assert again.workflow_id == event.workflow_id and again.result == event.result
    assert query(ran_home, "SELECT count(*) AS n FROM nba_orchestration.processor_run_history") == runs


def test_an_injury_change_fires_an_injuries_event(ran_home: Home, settings: Settings, league: LateLinesLeague) -> None:
    league.hart_questionable_at = LATE_LINES_AT
    events = detect(ran_home, league, WATCH_AT)
    assert events == [
        DetectedEvent(
            EventKind.INJURIES,
            EVENT_DATE,
            ("joshhart",),
            f"The injury status of 1 players for {EVENT_DATE} changed since the last run.",
        )
    ]


def test_nothing_fires_once_the_games_have_started(ran_home: Home, league: LateLinesLeague) -> None:
    assert detect(ran_home, league, datetime(2024, 11, 4, 23, 31, tzinfo=UTC)) == []


def test_nothing_fires_for_a_date_whose_day_run_has_not_happened(ran_home: Home, league: LateLinesLeague) -> None:
    with Warehouse.open(ran_home.warehouse_path) as warehouse:
        assert (
            detect_changes(
                warehouse,
                league,
                game_date=DATES[1],
                as_of=datetime(2024, 11, 2, 12, tzinfo=UTC),
                markets=["points"],
            )
            == []
        )


def test_a_moved_game_fires_a_schedule_event_only(ran_home: Home, league: LateLinesLeague) -> None:
    class Moved(LateLinesLeague):
        def _tipoff(self, game_date: date) -> datetime:
            return super()._tipoff(game_date) + timedelta(hours=1)

    events = detect(ran_home, Moved(DATES), WATCH_AT)
    assert [(e.kind, e.players) for e in events] == [(EventKind.SCHEDULE, ())]
    assert events[0].reason == (f"The schedule changed since the last run: moved or postponed G{EVENT_DATE:%Y%m%d}.")


@pytest.mark.parametrize(
    ("now", "days_ahead", "expected"),
    [
        (datetime(2024, 11, 5, 3, tzinfo=UTC), 0, [date(2024, 11, 4)]),  # 22:00 in New York
        (datetime(2024, 11, 5, 12, tzinfo=UTC), 1, [date(2024, 11, 5), date(2024, 11, 6)]),
    ],
)
def test_the_watched_dates_are_eastern_today_and_the_days_ahead(
    now: datetime, days_ahead: int, expected: list[date]
) -> None:
    assert watch_dates(eastern_today(now), days_ahead=days_ahead) == expected


def test_watch_once_watches_today_in_new_york(ran_home: Home, settings: Settings, league: LateLinesLeague) -> None:
    league.late_lines_at = LATE_LINES_AT
    outcomes = watch_once(
        ran_home,
        settings,
        source_kind=SourceKind.SIM,
        now=WATCH_AT,
        days_ahead=1,
        source_factory=lambda kind, warehouse, _settings, _home: league,
    )
    assert [o.workflow_id.split(":")[:3] for o in outcomes] == [["event", "props", str(EVENT_DATE)]]


def test_the_worker_watch_starts_each_event_once(ran_home: Home, settings: Settings, league: LateLinesLeague) -> None:
    league.late_lines_at = LATE_LINES_AT
    notes: list[str] = []
    with launched(
        ran_home, settings, role=Role.WORKER, source_factory=lambda kind, warehouse, _settings, _home: league
    ) as engine:
        started = watch_in_engine(engine, source_kind=SourceKind.SIM, now=WATCH_AT, days_ahead=0, notify=notes.append)
        assert [w.split(":")[:3] for w in started] == [["event", "props", str(EVENT_DATE)]]
        assert engine.wait(started[0]).ok
        later = WATCH_AT + timedelta(seconds=5)
        assert watch_in_engine(engine, source_kind=SourceKind.SIM, now=later, days_ahead=0, notify=notes.append) == []
    assert notes == [
        f"Prop lines for {EVENT_DATE} changed since the last run for 2 players (8 appeared). Started {started[0]}."
    ]
