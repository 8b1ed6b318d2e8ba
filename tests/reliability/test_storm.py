"""The 7,139-run storm, replayed through the real orchestrator at small scale: data-availability
events keep re-running a date whose games do not exist yet. Without a budget every event runs
every processor again; with one, each processor runs at most its budget for the date, the rest
are refused, and the health check's alerting sends exactly one alert however often it runs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.processors.league import TinyLeague

from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.ops.health import check_health, send_health_alerts
from nbaprops.orchestration.engine import launched
from nbaprops.orchestration.requests import DailyRun, DataEvent, EventKind, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(3)]
NO_GAMES_YET = date(2024, 11, 8)  # its schedule is not published: the league has no games on it
FIRST_EVENT = datetime(2024, 11, 8, 12, 0, tzinfo=UTC)
TRIGGERS = 5
BUDGET = 2


def storm(home: Home, *, budget: bool) -> tuple[dict[str, int], Settings]:
    """TRIGGERS schedule events for NO_GAMES_YET, ten minutes apart; attempts per processor."""
    settings = Settings(
        predictions={"markets": ["points"], "min_history_games": 1},
        reliability={"budgets": {"enabled": budget, "max_attempts_per_processor_day": BUDGET}},
        alerting={"channels": [{"name": "ops", "url": "jsonl://alerts.jsonl"}]},
    )
    league = TinyLeague(DATES)
    run = DailyRun(NO_GAMES_YET, RunMode.SAME_DAY, SourceKind.SIM)
    with launched(home, settings, source_factory=lambda kind, warehouse, _settings, _home: league) as engine:
        for n in range(TRIGGERS):
            engine.run(DataEvent(EventKind.SCHEDULE, run, FIRST_EVENT + timedelta(minutes=10 * n), ()))
    with Warehouse.open(home.warehouse_path) as warehouse:
        rows = warehouse.query(
            "SELECT processor, count(*) AS n FROM nba_orchestration.processor_run_history WHERE game_date = ? "
            "GROUP BY processor",
            [NO_GAMES_YET],
        )
    return {row["processor"]: row["n"] for row in rows}, settings


def health_alerts(home: Home, settings: Settings, *, checks: int) -> list[dict[str, Any]]:
    """Run the health check `checks` times, an hour apart; what the channel received."""
    with Warehouse.open(home.warehouse_path) as warehouse:
        for n in range(checks):
            now = FIRST_EVENT + timedelta(hours=2 + n)
            report = check_health(warehouse, game_date=NO_GAMES_YET, now_utc=now, settings=settings)
            send_health_alerts(report, warehouse=warehouse, settings=settings, home_root=home.root,
                               clock=VirtualClock(now))
    path = home.root / "alerts.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def firing(notifications: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [alert for n in notifications for alert in n["firing"] if alert["name"] == name]


def test_without_a_budget_every_trigger_runs_every_processor_again(home: Home) -> None:
    attempts, _ = storm(home, budget=False)
    # The day run the first event starts, then one run a trigger.
    assert attempts["upcoming_player_game_context"] == TRIGGERS + 1
    assert attempts["nbac_schedule"] == TRIGGERS + 1


def test_the_budget_bounds_the_storm_and_one_alert_is_sent(home: Home) -> None:
    attempts, settings = storm(home, budget=True)
    assert attempts and max(attempts.values()) == BUDGET
    notifications = health_alerts(home, settings, checks=3)
    sent = firing(notifications, "retry_budget_exhausted")
    assert len(sent) == 1, notifications
    assert [a["name"] for n in notifications for a in n["firing"]] == ["retry_budget_exhausted"]  # nothing else
    assert "refused" in sent[0]["message"]
    assert "retry storm" in (sent[0]["diagnosis"] or "")
    with Warehouse.open(home.warehouse_path) as warehouse:
        incidents = warehouse.query(
            "SELECT component, status, error_class, root_cause FROM nba_orchestration.incidents WHERE game_date = ?",
            [NO_GAMES_YET],
        )
    assert incidents and {i["error_class"] for i in incidents} == {"RetryBudgetExhausted"}
    assert all(i["status"] == "open" and "retry storm" in i["root_cause"] for i in incidents)
