"""Builds warehouse states for the health check: a healthy game day, then whatever breaks it.

The day under check is D (five games tipping off at 00:00 UTC on D+1, 19:00 US Eastern); its
previous game day is P. The same-day run starts at 16:00 UTC and is over by 16:20; the check
looks at 17:30 UTC (NOW), before tip-off.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from nbaprops.warehouse import Warehouse

D = date(2025, 1, 10)
P = date(2025, 1, 9)
NOW = datetime(2025, 1, 10, 17, 30, tzinfo=UTC)
RUN_HISTORY = "nba_orchestration.processor_run_history"

PHASES = {
    "nbac_schedule": "phase2",
    "odds_player_props": "phase2",
    "nbac_injury_report": "phase2",
    "nbac_player_boxscores": "phase2",
    "nbac_team_boxscores": "phase2",
    "player_game_summary": "phase3",
    "team_offense_game_summary": "phase3",
    "team_defense_game_summary": "phase3",
    "upcoming_player_game_context": "phase3",
    "upcoming_team_game_context": "phase3",
    "player_daily_cache": "phase4",
    "ml_feature_store": "phase4",
    "player_prop_predictions": "phase5",
    "prediction_accuracy": "grading",
}
SUMMARIES = ("player_game_summary", "team_offense_game_summary", "team_defense_game_summary")
UPCOMING = ("upcoming_player_game_context", "upcoming_team_game_context")
SYSTEMS = ("ensemble", "moving_average")


def at(hour: int, minute: int = 0, *, day: date = D) -> datetime:
    """`hour:minute` UTC on `day`."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def tipoff(day: date) -> datetime:
    """Where the builder puts a day's games: 00:00 UTC the next day (19:00 US Eastern)."""
    return at(0, day=day + timedelta(days=1))


def last_tipoff(day: date) -> datetime:
    """The last of the builder's five games on `day` tips off two hours after the first."""
    return tipoff(day) + timedelta(hours=2)


class PipelineDays:
    """Writes schedule, raw rows, runs, predictions and grades, one game day at a time."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse

    def healthy(self, *, without: Collection[str] = ()) -> PipelineDays:
        """D's same-day run done and P graded, with two weeks of graded history before P.

        Processors named in `without` do not run (nor write their rows, for Phase 5 and grading).
        """

        def run(processor: str, day: date, started: datetime) -> None:
            if processor not in without:
                self.run(processor, day, started=started)

        self.schedule(P).schedule(D)
        self.boxscores(P).lines(D, snapshot=at(15, 30)).injuries(D, reported=at(15))
        for processor in ("nbac_schedule", "odds_player_props", "nbac_injury_report"):
            run(processor, D, at(16))
        for processor in ("nbac_player_boxscores", "nbac_team_boxscores"):
            run(processor, P, at(16, 1))
        for processor in SUMMARIES:
            run(processor, P, at(16, 3))
        for processor in UPCOMING:
            run(processor, D, at(16, 5))
        for processor in ("player_daily_cache", "ml_feature_store"):
            run(processor, D, at(16, 10))
        run("player_prop_predictions", D, at(16, 15))
        if "player_prop_predictions" not in without:
            self.predictions(D, created=at(16, 17))
        self.predictions(P, created=at(16, 17, day=P))
        run("prediction_accuracy", P, at(16, 20))
        if "prediction_accuracy" not in without:
            self.grades(P, correct=30, wrong=20, graded_at=at(16, 22))
        for back in range(1, 15):
            day = P - timedelta(days=back)
            self.grades(day, correct=55, wrong=45, graded_at=at(10, day=day + timedelta(days=1)))
        return self

    def forget(self, *processors: str) -> PipelineDays:
        """Delete every run of `processors`, as if they never ran."""
        self.warehouse.execute(
            f"DELETE FROM {RUN_HISTORY} WHERE list_contains(?, processor)", [list(processors)]
        )
        return self

    # -- raw tables ----------------------------------------------------------------------------

    def schedule(
        self,
        day: date,
        *,
        games: int = 5,
        first_tipoff: datetime | None = None,
        status: str = "scheduled",
    ) -> PipelineDays:
        start = first_tipoff or tipoff(day)
        rows = [
            {
                "game_date": day, "game_id": f"{day:%Y%m%d}{n:02d}", "season": "2024-25",
                "season_type": "regular", "home_team": f"H{n:02d}", "away_team": f"A{n:02d}",
                "tipoff_utc": _naive(start + timedelta(minutes=30 * n)), "status": status,
            }
            for n in range(games)
        ]
        self.warehouse.replace_partition("nba_raw.schedule", {"game_date": day}, rows)
        return self

    def boxscores(self, day: date, *, players: int = 60) -> PipelineDays:
        rows = [
            {
                "game_date": day, "game_id": f"{day:%Y%m%d}{n % 5:02d}",
                "player_lookup": f"player{n}", "player_name": f"Player {n}", "team": "H00",
                "opponent": "A00", "is_home": True, "minutes": 30.0, "pts": 20,
            }
            for n in range(players)
        ]
        self.warehouse.replace_partition("nba_raw.player_boxscores", {"game_date": day}, rows)
        return self

    def lines(self, day: date, *, snapshot: datetime | None, players: int = 60) -> PipelineDays:
        rows = [
            {
                "game_date": day, "player_lookup": f"player{n}", "player_name": f"Player {n}",
                "market": "points", "bookmaker": "draftkings", "line": 20.5,
                "snapshot_utc": _naive(snapshot) if snapshot else None,
                "home_team": "H00", "away_team": "A00",
            }
            for n in range(players)
        ]
        self.warehouse.replace_partition("nba_raw.player_prop_lines", {"game_date": day}, rows)
        return self

    def injuries(self, day: date, *, reported: datetime) -> PipelineDays:
        rows = [
            {
                "game_date": day, "team": "H00", "player_lookup": "player1",
                "player_name": "Player 1", "status": "out", "reported_utc": _naive(reported),
            }
        ]
        self.warehouse.replace_partition("nba_raw.injury_report", {"game_date": day}, rows)
        return self

    # -- runs, predictions, grades -------------------------------------------------------------

    def run(
        self,
        processor: str,
        day: date,
        *,
        started: datetime,
        status: str = "success",
        minutes: float = 2.0,
        records: int | None = 100,
        expected: int | None = 100,
        attempt: int = 1,
        run_id: str | None = None,
        error: tuple[str, str] | None = None,
    ) -> PipelineDays:
        """Append one run; a 'running' run has no finish, records or error."""
        finished = None if status == "running" else _naive(started + timedelta(minutes=minutes))
        error_class, error_message = error or (None, None)
        if status in {"running", "failed", "timed_out"}:
            records = None
        if error is None and status in {"failed", "timed_out"}:
            error_class, error_message = "SourceError", f"{processor} failed on purpose."
        self.warehouse.execute(
            f"INSERT INTO {RUN_HISTORY} (processor, phase, game_date, run_id, attempt, status, "
            "records, expected, started_at, finished_at, error_class, error_message) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                processor, PHASES[processor], day, run_id or f"run-{day}-{started:%H%M}", attempt,
                status, records, expected, _naive(started),
                finished, error_class, error_message,
            ],
        )
        return self

    def predictions(
        self,
        day: date,
        *,
        created: datetime,
        players: int = 60,
        systems: Sequence[str] = SYSTEMS,
    ) -> PipelineDays:
        rows = [
            {
                "prediction_id": f"{day}-{system}-{n}-{created:%H%M}", "game_date": day,
                "game_id": f"{day:%Y%m%d}{n % 5:02d}", "player_lookup": f"player{n}",
                "market": "points", "system_id": system, "predicted_value": 21.0,
                "line_value": 20.5, "line_source": "preferred", "recommendation": "OVER",
                "is_active": True, "run_id": f"run-{created:%H%M}", "created_at": _naive(created),
            }
            for system in systems
            for n in range(players)
        ]
        existing = self.warehouse.query(
            "SELECT * FROM nba_predictions.player_prop_predictions WHERE game_date = ?", [day]
        )
        replaced = {(row["player_lookup"], row["market"], row["system_id"]) for row in rows}
        for row in existing:
            if (row["player_lookup"], row["market"], row["system_id"]) in replaced:
                row["is_active"] = False
        self.warehouse.replace_partition(
            "nba_predictions.player_prop_predictions", {"game_date": day}, [*existing, *rows]
        )
        return self

    def grades(
        self, day: date, *, correct: int, wrong: int, graded_at: datetime, pushes: int = 0
    ) -> PipelineDays:
        outcomes = [True] * correct + [False] * wrong + [None] * pushes
        rows = [_grade(day, n, outcome, graded_at) for n, outcome in enumerate(outcomes)]
        self.warehouse.replace_partition(
            "nba_predictions.prediction_accuracy", {"game_date": day}, rows
        )
        return self


def _grade(day: date, n: int, outcome: bool | None, graded_at: datetime) -> dict[str, Any]:
    return {
        "prediction_id": f"{day}-ensemble-{n}", "game_date": day,
        "game_id": f"{day:%Y%m%d}{n % 5:02d}", "player_lookup": f"player{n}",
        "market": "points", "system_id": "ensemble", "recommendation": "OVER",
        "predicted_value": 21.0, "line_value": 20.5,
        "actual_value": 20.5 if outcome is None else (24.0 if outcome else 18.0),
        "prediction_correct": outcome, "is_push": outcome is None, "is_void": False,
        "absolute_error": 2.0 if outcome else 4.0, "graded_at": _naive(graded_at),
    }


def _naive(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)


def test_healthy_days_hold_what_they_promise(warehouse: Warehouse) -> None:
    PipelineDays(warehouse).healthy()
    runs = warehouse.query(
        f"SELECT processor, game_date, status FROM {RUN_HISTORY} ORDER BY started_at"
    )
    assert {(r["processor"], r["game_date"]) for r in runs} >= {
        ("player_game_summary", P), ("upcoming_team_game_context", D),
    }
    assert all(r["status"] == "success" for r in runs)
    active = warehouse.scalar(
        "SELECT count(*) FROM nba_predictions.player_prop_predictions "
        "WHERE game_date = ? AND is_active", [D]
    )
    assert active == 60 * len(SYSTEMS)
    assert warehouse.scalar(
        "SELECT count(DISTINCT game_date) FROM nba_predictions.prediction_accuracy"
    ) == 15


def test_predicting_again_deactivates_the_players_earlier_rows(warehouse: Warehouse) -> None:
    days = PipelineDays(warehouse).predictions(D, created=at(16), players=3)
    days.predictions(D, created=at(18), players=2)
    rows = warehouse.query(
        "SELECT is_active, count(*) AS n FROM nba_predictions.player_prop_predictions "
        "GROUP BY is_active ORDER BY is_active"
    )
    assert [(r["is_active"], r["n"]) for r in rows] == [(False, 4), (True, 6)]
