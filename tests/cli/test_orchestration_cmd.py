"""`nbaprops run`, `backfill`, `status` and `workflows` through the real entry point."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.cli.sim_cli import cli

from nbaprops.home import Home


def test_run_then_status_then_workflows(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    day = league_file[1][2]
    done = cli(cli_home, "run", "--date", day, "--source", "sim", "--mode", "overnight", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["workflow_id"], report["status"], report["workflow_status"]) == (
        f"daily:{day}:overnight:sim",
        "complete",
        "SUCCESS",
    )
    assert {p["processor"]: p["state"] for p in report["report"]["processors"]}[
        "upcoming_player_game_context"
    ] == "success"

    status = cli(cli_home, "status", "--date", day, "--json")
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    gates = {g["gate"]: g for g in data["gates"]}
    assert set(gates) == {"phase3_to_phase4", "phase4_to_phase5", "phase3_to_grading"}
    assert gates["phase3_to_phase4"]["decision"] == "proceed"
    assert gates["phase3_to_phase4"]["reason"].startswith("Every processor is complete:")
    context = next(
        p for p in data["processors"] if p["processor"] == "upcoming_player_game_context"
    )
    assert context["attempts"] == 1 and context["records"] == context["expected"] > 0

    listed = cli(cli_home, "workflows", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    # The history of the two days before was built first, as a backfill of Phases 2-4.
    first, second = league_file[1][:2]
    eve = date.fromisoformat(day) - timedelta(days=1)
    assert sorted((w["workflow_id"], w["status"]) for w in json.loads(listed.stdout)) == [
        (f"daily:{day}:overnight:sim", "SUCCESS"),
        (f"history:{first}:{eve}:backfill:sim", "SUCCESS"),
        (f"history:{first}:backfill:sim", "SUCCESS"),
        (f"history:{second}:backfill:sim", "SUCCESS"),
    ]
    human = cli(cli_home, "status", "--date", day)
    assert "phase3_to_phase4" in human.stdout and "upcoming_player_game_context" in human.stdout


def test_a_backfill_prints_a_season_summary(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    first, last = league_file[1][0], league_file[1][-1]
    done = cli(
        cli_home,
        "backfill",
        "--start",
        first,
        "--end",
        last,
        "--source",
        "sim",
        "--json",
        "--inject",
        "deliver:duplicate",
        "--inject",
        "deliver:reorder",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["workflow_id"], data["game_days"], data["failed"]) == (
        f"backfill:{first}:{last}:backfill:sim",
        len(league_file[1]),
        0,
    )
    season = data["season"]
    assert season["predictions"] > 0 and season["graded"] > 0
    assert {s["system_id"] for s in season["systems"]} >= {"moving_average", "matchup"}
    assert season["gate_decisions"]["phase3_to_phase4"] == {"proceed": len(league_file[1])}
    human = cli(cli_home, "backfill", "--start", first, "--end", last, "--source", "sim")
    assert human.returncode == 0 and "Hit rate per system" in human.stdout


def test_without_history_building_a_run_refuses_naming_the_backfill(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    dates = league_file[1]
    refused = cli(cli_home, "run", "--date", dates[3], "--source", "sim", "--no-history")
    assert refused.returncode == 3, refused.stderr
    assert refused.stderr == (
        f"error: {dates[3]} lacks the history its features are built from: Phase 3 history "
        f"missing for 2 game days ({dates[0]}..{dates[1]}); Phase 4 history missing for 3 game "
        f"days ({dates[0]}..{dates[2]}). Build it with `nbaprops backfill --start {dates[0]} "
        f"--end {dates[2]} --source sim`, or run without --no-history to build it first.\n"
    )
    built = cli(cli_home, "backfill", "--start", dates[0], "--end", dates[2], "--source", "sim")
    assert built.returncode == 0, built.stderr
    done = cli(cli_home, "run", "--date", dates[3], "--source", "sim", "--no-history", "--json")
    assert done.returncode == 0, done.stderr
    predictions = next(
        p for p in json.loads(done.stdout)["report"]["processors"]
        if p["processor"] == "player_prop_predictions"
    )
    assert predictions["state"] == "success" and predictions["records"] == predictions["expected"] > 0


def test_the_first_day_with_lines_is_complete_from_the_market_anchored_system(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    day = league_file[1][0]
    done = cli(cli_home, "run", "--date", day, "--source", "sim", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["workflow_status"] == "SUCCESS" and "player_prop_predictions" not in report.get("notes", {})
    status = cli(cli_home, "status", "--date", day, "--json")
    predictions = next(
        p for p in json.loads(status.stdout)["processors"]
        if p["processor"] == "player_prop_predictions"
    )
    # No player has a game yet: every lined player-market is predicted by the market-anchored system.
    assert (predictions["state"], predictions["records"], predictions["expected"]) == ("success", 56, 56)


def test_a_failed_run_reports_why_and_exits_1(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    day = league_file[1][3]
    done = cli(
        cli_home,
        "run",
        "--date",
        day,
        "--source",
        "sim",
        "--json",
        "--inject",
        "processor:upcoming_team_game_context=fail",
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["workflow_status"] == "ERROR" and report["status"] == "failed"
    assert (
        "gate phase3_to_phase4: upcoming_team_game_context failed on attempt 3 of 3"
        in report["error"]
    )
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("workflows", "list"), "error: No workflows have run on "),
    ],
)
def test_mistakes_get_one_line_and_exit_3(
    cli_home: Home, args: tuple[str, ...], message: str
) -> None:
    done = cli(cli_home, *args)
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith(message), done.stderr
    assert done.stderr.count("\n") == 1
