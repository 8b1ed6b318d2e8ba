"""Zero is not complete: a day whose predictions fall short of its lined player-markets is retried,
then fails naming what is missing; building the history first gives the day its predictions."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.orchestration.conftest import League, make_settings

from nbaprops.home import Home
from nbaprops.orchestration.engine import launched
from nbaprops.orchestration.requests import DailyRun, SourceKind
from nbaprops.orchestration.service import build_history, history_gap, run_day
from nbaprops.orchestration.settings import RunMode
from nbaprops.warehouse import Warehouse

# Three games of history before a prediction: the league's sixth day has it for most players.
SETTINGS = make_settings(predictions={"min_history_games": 3})


def runs(home: Home, processor: str) -> list[dict[str, Any]]:
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query(
            "SELECT game_date, attempt, status, records, expected, run_id, error_message "
            "FROM nba_orchestration.processor_run_history WHERE processor = ? "
            "ORDER BY game_date, started_at, attempt",
            [processor],
        )


def span(days: list[date]) -> str:
    return f"{len(days)} game days ({days[0]}..{days[-1]})"


def test_a_day_without_its_history_is_retried_then_fails_naming_the_missing_days(
    league_home: Home, league: League
) -> None:
    day = league.game_dates[5]
    with launched(league_home, SETTINGS) as engine:
        outcome = engine.run(DailyRun(day, RunMode.SAME_DAY, SourceKind.SIM))
    assert not outcome.ok and outcome.error is not None
    attempts = runs(league_home, "player_prop_predictions")
    expected = attempts[0]["expected"]
    assert expected > 0
    assert [(a["attempt"], a["status"], a["records"]) for a in attempts] == [
        (1, "partial", 0),
        (2, "partial", 0),
        (3, "partial", 0),
    ]
    missing = (
        f"0 of {expected} lined player-markets predicted: Phase 3 history missing for "
        f"{span(league.game_dates[:4])}; Phase 4 history missing for {span(league.game_dates[:5])}."
    )
    assert attempts[0]["error_message"] == missing
    assert f"player_prop_predictions incomplete: player_prop_predictions for {day}: {missing}" in (
        outcome.error
    )
    assert (
        f"Build the history with `nbaprops backfill --start {league.game_dates[0]} --end "
        f"{league.game_dates[4]} --source sim`, then run {day} again." in outcome.error
    )


def test_built_history_gives_the_day_its_predictions_and_is_not_built_twice(
    league_home: Home, league: League
) -> None:
    dates = league.game_dates
    first = history_gap(league_home, SETTINGS, game_date=dates[3], source=SourceKind.SIM)
    assert (first.start, first.to_build) == (dates[0], tuple(dates[:3]))
    heard: list[tuple[date, str]] = []
    built = build_history(
        league_home,
        SETTINGS,
        gap=first,
        source=SourceKind.SIM,
        on_day=lambda game_date, status: heard.append((game_date, status)),
    )
    assert built is not None and built.outcome.ok
    assert built.outcome.workflow_id == f"history:{dates[0]}:{dates[2]}:backfill:sim"
    assert heard == [(d, "complete") for d in dates[:3]]

    gap = history_gap(league_home, SETTINGS, game_date=dates[5], source=SourceKind.SIM)
    # The third day's summaries were left to the run of the fourth: the build starts there.
    assert (gap.phase3_missing, gap.phase4_missing) == (tuple(dates[2:4]), tuple(dates[3:5]))
    assert build_history(league_home, SETTINGS, gap=gap, source=SourceKind.SIM) is not None
    assert history_gap(league_home, SETTINGS, game_date=dates[5], source=SourceKind.SIM).start is None
    features = runs(league_home, "ml_feature_store")
    assert [row["game_date"] for row in features] == dates[:5], "each day built once"
    assert runs(league_home, "player_prop_predictions") == []
    assert runs(league_home, "prediction_accuracy") == []

    report = run_day(league_home, SETTINGS, game_date=dates[5], source=SourceKind.SIM)
    assert report.outcome.ok and report.to_json()["status"] == "complete"
    (predicted,) = runs(league_home, "player_prop_predictions")
    assert (predicted["status"], predicted["error_message"]) == ("success", None)
    assert predicted["records"] == predicted["expected"] > 0
