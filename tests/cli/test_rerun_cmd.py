"""`nbaprops run --rerun` and `backfill --rerun` through the real entry point: a finished day is
reported, not repeated; a re-run is a new recorded attempt whose rows replace the earlier ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.sim_cli import cli

from nbaprops.home import Home
from nbaprops.orchestration.runtime import KILLED_EXIT_CODE
from nbaprops.warehouse import Warehouse


def run(home: Home, *args: str) -> dict[str, Any]:
    done = cli(home, *args, "--source", "sim", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def rows(home: Home, game_date: str) -> dict[str, Any]:
    """What the warehouse holds for `game_date`: predictions and the grades of the active ones."""
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        predictions = warehouse.query(
            "SELECT count(*) FILTER (WHERE is_active) AS active, count(*) AS total, "
            "count(DISTINCT (player_lookup, market, system_id)) AS keys, "
            "count(DISTINCT run_id) FILTER (WHERE is_active) AS active_runs "
            "FROM nba_predictions.player_prop_predictions WHERE game_date = ?",
            [game_date],
        )[0]
        graded = warehouse.query(
            "SELECT count(*) AS graded, count(DISTINCT prediction_id) AS distinct_graded, "
            "count(p.prediction_id) FILTER (WHERE p.is_active) AS of_active "
            "FROM nba_predictions.prediction_accuracy AS a "
            "LEFT JOIN nba_predictions.player_prop_predictions AS p USING (prediction_id) "
            "WHERE a.game_date = ?",
            [game_date],
        )[0]
    return {**predictions, **graded}


def test_a_finished_day_is_reported_and_each_rerun_replaces_its_rows(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    dates = league_file[1]
    before_day, day = dates[-2], dates[-1]
    first = "daily:" + day + ":backfill:sim"
    run(cli_home, "backfill", "--start", dates[0], "--end", day)
    graded_before, predicted_before = rows(cli_home, before_day), rows(cli_home, day)
    assert predicted_before["active"] == predicted_before["keys"] == predicted_before["total"] > 0
    assert graded_before["graded"] == graded_before["of_active"] > 0

    again = cli(cli_home, "run", "--date", day, "--mode", "backfill", "--source", "sim")
    assert again.returncode == 0, again.stderr
    assert " ".join(again.stdout.split()).startswith(
        f"{first} (attempt 1) had already finished: complete. Nothing ran now; this is its "
        f"record. Run it again as attempt 2 with `nbaprops run --date {day} --mode backfill "
        "--source sim --rerun`."
    ), again.stdout

    rerun = ("run", "--date", day, "--mode", "backfill", "--rerun")
    second = run(cli_home, *rerun)
    assert (second["workflow_id"], second["attempt"], second["already_done"]) == (
        f"{first}:rerun2",
        2,
        False,
    )
    # The backfill graded the day (its last), so the re-run grades it again.
    assert second["regraded_by"] == f"results:{day}:backfill:sim:rerun2"
    third = run(cli_home, *rerun)
    assert (third["workflow_id"], third["regraded_by"]) == (
        f"{first}:rerun3",
        f"results:{day}:backfill:sim:rerun3",
    )
    predicted, graded = rows(cli_home, day), rows(cli_home, before_day)
    # Each attempt's predictions supersede the last's: as many active as before, from one run,
    # the earlier ones kept inactive for audit; the day before is regraded, not graded twice,
    # and so is the day itself.
    assert (predicted["active"], predicted["keys"], predicted["active_runs"]) == (
        predicted_before["active"],
        predicted_before["keys"],
        1,
    )
    assert predicted["total"] == 3 * predicted_before["total"]
    assert graded["graded"] == graded["distinct_graded"] == graded["of_active"]
    assert graded["graded"] == graded_before["graded"]
    graded_day = rows(cli_home, day)
    assert graded_day["graded"] == graded_day["distinct_graded"] == graded_day["of_active"] > 0

    status = json.loads(cli(cli_home, "status", "--date", day, "--json").stdout)
    assert status["latest_workflow_id"] == f"results:{day}:backfill:sim:rerun3"
    assert status["predictions"] == {
        "active": predicted["active"],
        "superseded": 2 * predicted["active"],
    }
    predictions = next(
        p for p in status["processors"] if p["processor"] == "player_prop_predictions"
    )
    assert (predictions["run_id"], predictions["attempts"], predictions["state"]) == (
        f"{first}:rerun3",
        1,
        "success",
    )
    listed = json.loads(cli(cli_home, "workflows", "list", "--json").stdout)
    assert {w["workflow_id"] for w in listed} >= {first, f"{first}:rerun2", f"{first}:rerun3"}


def test_a_rerun_joins_an_attempt_that_has_not_finished(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    """Two re-runs of one day at once make one attempt: the second finds the first's attempt
    unfinished (here: its process died) and joins it instead of starting attempt 3."""
    day = league_file[1][2]  # the first days have lines but too little history to complete
    first = "daily:" + day + ":same_day:sim"
    run(cli_home, "run", "--date", day)
    killed = cli(
        cli_home, "run", "--date", day, "--source", "sim", "--rerun", "--inject", "kill:after_step=4"
    )
    assert killed.returncode == KILLED_EXIT_CODE, killed.stderr
    joined = run(cli_home, "run", "--date", day, "--rerun")
    assert (joined["workflow_id"], joined["status"]) == (f"{first}:rerun2", "complete")
    listed = json.loads(cli(cli_home, "workflows", "list", "--json").stdout)
    assert sorted(w["workflow_id"] for w in listed if w["workflow_id"].startswith("daily:")) == [
        first,
        f"{first}:rerun2",
    ]
    assert rows(cli_home, day)["active"] == rows(cli_home, day)["keys"]


def test_a_backfill_rerun_runs_every_day_as_the_next_attempt(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    start, end = league_file[1][0], league_file[1][2]
    backfill = ("backfill", "--start", start, "--end", end)
    first = run(cli_home, *backfill)
    assert first["workflow_id"] == f"backfill:{start}:{end}:backfill:sim"
    # A day of the range re-run on its own (attempt 2): the backfill's re-run goes past it.
    assert run(cli_home, "run", "--date", end, "--mode", "backfill", "--rerun")["attempt"] == 2
    again = run(cli_home, *backfill, "--rerun")
    assert (again["workflow_id"], again["attempt"], again["failed"]) == (
        f"backfill:{start}:{end}:backfill:sim:rerun3",
        3,
        0,
    )
    assert again["season"]["predictions"] == first["season"]["predictions"] > 0
    assert again["season"]["graded"] == first["season"]["graded"] > 0
    done = run(cli_home, *backfill)
    assert (done["workflow_id"], done["already_done"]) == (again["workflow_id"], True)
    assert done["rerun_command"] == (
        f"`nbaprops backfill --start {start} --end {end} --mode backfill --source sim --rerun`"
    )
