"""Data-availability events: new lines refresh a date's predictions once, superseding old rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tests.orchestration.conftest import make_settings
from tests.processors.league import Row, TinyLeague

from nbaprops.errors import ConfigError
from nbaprops.home import Home
from nbaprops.orchestration.engine import Engine, launched
from nbaprops.orchestration.requests import DailyRun, DataEvent, EventKind, SourceKind
from nbaprops.orchestration.service import apply_event
from nbaprops.orchestration.settings import RunMode
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(4)]
EVENT_DATE = DATES[3]
EARLY_PLAYERS = ["jaysontatum", "jalenbrunson"]
LATE_LINES_AT = datetime(2024, 11, 4, 23, 40, tzinfo=UTC)  # after the day run (23:29)


class LateLinesLeague(TinyLeague):
    """TinyLeague whose last date has lines for two players at first and for all four later."""

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        rows = super().prop_lines(game_date, as_of=as_of)
        if game_date == EVENT_DATE and as_of < LATE_LINES_AT:
            rows = [row for row in rows if row["player_lookup"] in EARLY_PLAYERS]
        return rows


@pytest.fixture
def engine(home: Home, backend: str | None) -> Any:
    # Two games of history are enough to predict, so four dates make a season.
    settings = make_settings(backend, predictions={"min_history_games": 2})
    league = LateLinesLeague(DATES)
    with launched(
        home, settings, source_factory=lambda kind, warehouse, _settings, _home: league
    ) as launched_engine:
        yield launched_engine


def day_run() -> DailyRun:
    return DailyRun(EVENT_DATE, RunMode.SAME_DAY, SourceKind.SIM, since=DATES[0])


def props_event(
    observed_at: datetime, players: tuple[str, ...] = ("joshhart", "jaylenbrown")
) -> DataEvent:
    return DataEvent(EventKind.PROPS, day_run(), observed_at, players)


def query(home: Home, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query(sql, params)


def active_players(home: Home) -> list[str]:
    rows = query(
        home,
        "SELECT DISTINCT player_lookup FROM nba_predictions.player_prop_predictions "
        "WHERE game_date = ? AND is_active ORDER BY 1",
        [EVENT_DATE],
    )
    return [row["player_lookup"] for row in rows]


def test_new_lines_rerun_context_features_and_predictions_and_supersede_old_rows(
    engine: Engine, home: Home
) -> None:
    event = props_event(LATE_LINES_AT + timedelta(minutes=5))
    outcome = engine.run(event)
    assert outcome.ok and outcome.result is not None
    assert outcome.workflow_id == event.workflow_id
    assert outcome.workflow_id.startswith(f"event:props:{EVENT_DATE}:same_day:sim:")
    rerun = query(
        home,
        "SELECT DISTINCT processor FROM nba_orchestration.processor_run_history WHERE run_id = ? "
        "ORDER BY 1",
        [event.workflow_id],
    )
    assert [r["processor"] for r in rerun] == [
        "ml_feature_store",
        "odds_player_props",
        "player_daily_cache",
        "player_prop_predictions",
        "upcoming_player_game_context",
    ]
    assert active_players(home) == sorted(
        ["jaysontatum", "jalenbrunson", "joshhart", "jaylenbrown"]
    )
    duplicates = query(
        home,
        "SELECT player_lookup, market, system_id, count(*) AS n "
        "FROM nba_predictions.player_prop_predictions WHERE game_date = ? AND is_active "
        "GROUP BY ALL HAVING count(*) > 1",
        [EVENT_DATE],
    )
    assert duplicates == []
    runs = query(
        home,
        "SELECT run_id, bool_or(is_active) AS active, count(*) AS n "
        "FROM nba_predictions.player_prop_predictions WHERE game_date = ? GROUP BY run_id "
        "ORDER BY run_id",
        [EVENT_DATE],
    )
    assert [(r["run_id"], r["active"]) for r in runs] == [
        (day_run().workflow_id, False),
        (event.workflow_id, True),
    ]
    applied = query(
        home,
        "SELECT decision, reason FROM nba_orchestration.orchestration_events "
        "WHERE kind = 'data_event'",
    )
    assert [a["decision"] for a in applied] == ["applied"]
    assert applied[0]["reason"].startswith(
        f"Applied the props event seen at {event.observed_at.isoformat()} "
        "for 2 players: re-ran ml_feature_store, odds_player_props"
    )


def test_a_redelivered_event_runs_once(engine: Engine, home: Home) -> None:
    event = props_event(LATE_LINES_AT + timedelta(minutes=5))
    first = engine.run(event)
    runs_after_first = query(
        home, "SELECT count(*) AS n FROM nba_orchestration.processor_run_history"
    )[0]["n"]
    again = engine.run(DataEvent.from_json(event.to_json()))
    assert again.workflow_id == first.workflow_id and again.result == first.result
    assert (
        query(home, "SELECT count(*) AS n FROM nba_orchestration.processor_run_history")[0]["n"]
        == runs_after_first
    )


def test_an_event_older_than_one_applied_is_skipped(engine: Engine, home: Home) -> None:
    newer = props_event(LATE_LINES_AT + timedelta(minutes=10))
    older = props_event(LATE_LINES_AT + timedelta(minutes=5), players=("joshhart",))
    assert engine.run(newer).ok
    predictions_before = query(
        home,
        "SELECT prediction_id, is_active FROM nba_predictions.player_prop_predictions ORDER BY 1",
    )
    outcome = engine.run(older)
    assert outcome.ok and outcome.result is not None and outcome.result["status"] == "skipped_stale"
    assert (
        query(
            home,
            "SELECT prediction_id, is_active FROM nba_predictions.player_prop_predictions "
            "ORDER BY 1",
        )
        == predictions_before
    )
    skipped = query(
        home,
        "SELECT reason FROM nba_orchestration.orchestration_events WHERE decision = "
        "'skipped_stale'",
    )
    assert len(skipped) == 1 and "is older than the one seen at" in skipped[0]["reason"]


def test_an_injury_update_refreshes_the_context(engine: Engine, home: Home) -> None:
    event = DataEvent(EventKind.INJURIES, day_run(), LATE_LINES_AT)
    assert engine.run(event).ok
    rerun = query(
        home,
        "SELECT DISTINCT processor FROM nba_orchestration.processor_run_history WHERE run_id = ? "
        "ORDER BY 1",
        [event.workflow_id],
    )
    assert [r["processor"] for r in rerun] == ["nbac_injury_report", "upcoming_player_game_context"]


def test_a_schedule_change_evaluates_the_date_again(engine: Engine, home: Home) -> None:
    event = DataEvent(EventKind.SCHEDULE, day_run(), LATE_LINES_AT + timedelta(minutes=5))
    outcome = engine.run(event)
    assert outcome.ok and outcome.result is not None and outcome.result["status"] == "complete"
    rerun = query(
        home,
        "SELECT count(DISTINCT processor) AS n FROM nba_orchestration.processor_run_history "
        "WHERE run_id = ?",
        [event.workflow_id],
    )
    assert rerun[0]["n"] == 14
    assert active_players(home) == sorted(
        ["jaysontatum", "jalenbrunson", "joshhart", "jaylenbrown"]
    )


def test_an_event_needs_an_aware_time() -> None:
    with pytest.raises(
        ConfigError, match=r"has a naive observed_at \(2024-11-04T23:40:00\); pass a timezone-aware"
    ):
        DataEvent(EventKind.PROPS, day_run(), datetime(2024, 11, 4, 23, 40))


def test_apply_event_runs_the_event_where_no_executor_is_running(
    home: Home, backend: str | None
) -> None:
    settings = make_settings(backend, predictions={"min_history_games": 2})
    league = LateLinesLeague(DATES)
    outcome = apply_event(
        home,
        settings,
        kind=EventKind.PROPS,
        run=day_run(),
        observed_at=LATE_LINES_AT,
        players=("joshhart",),
        source_factory=lambda kind, warehouse, _settings, _home: league,
    )
    assert (
        outcome.ok and outcome.workflow_id == props_event(LATE_LINES_AT, ("joshhart",)).workflow_id
    )
