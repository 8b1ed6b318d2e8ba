"""`nbaprops demo` through the real console-script entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.sim_cli import cli

from nbaprops.home import Home

# 23:59 US Eastern (EST) on the last of three demo days after twelve days of earlier history.
END_OF_LAST_DAY_UTC = "2024-11-06T04:59"


def test_demo_predicts_and_grades_from_its_first_day(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    first = cli(home, "demo", "--days", "3", "--seed", "3", "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["seed"] == 3 and data["days"] == 3 and data["history_days"] == 12
    assert (data["history_start"], data["first_date"], data["last_date"]) == (
        "2024-10-22",
        "2024-11-03",
        "2024-11-05",
    )
    assert data["out_dir"] == str(home.root.resolve() / "raw" / "synthetic" / "seed-3")
    assert (data["teams"], data["players"]) == (30, 450)
    assert data["games"] >= 100 and data["team_box_rows"] == 2 * data["games"]
    assert data["player_box_rows"] > 10 * data["games"]
    assert set(data["prop_lines"]) == {"points", "rebounds", "assists", "threes", "pra"}
    assert data["rows_quarantined"] == 0
    assert [f["status"] for f in data["files"]] == ["loaded"] * 4
    assert data["elapsed_seconds"] > 0
    earlier = data["history"]
    assert (earlier["first_date"], earlier["last_date"], earlier["game_days"]) == ("2024-10-22", "2024-11-02", 12)
    assert earlier["built"] and earlier["processor_runs"] > 12 * 10 and earlier["partial_runs"] == 0

    pipeline = data["pipeline"]
    assert (pipeline["start"], pipeline["end"], pipeline["game_days"], pipeline["complete"]) == (
        "2024-11-03",
        "2024-11-05",
        3,
        3,
    )
    season = pipeline["season"]
    assert season["prediction_days"] == 3, "every demo day predicts, the first one too"
    assert season["predictions"] > 1000 and season["graded"] > 1000 and season["picks"] > 0

    health = cli(home, "health", "--as-of", END_OF_LAST_DAY_UTC, "--json")
    report = json.loads(health.stdout)
    assert report["game_date"] == "2024-11-05"
    assert report["sections"]["predictions"]["status"] == "ok", report["sections"]["predictions"]
    assert health.returncode == 0 and report["status"] == "ok", report["headline"]


def test_demo_seed_defaults_to_config_prints_a_summary_then_is_idempotent(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    home.config_path.write_text("[synthetic]\nseed = 21\nteams = 4\nplayers_per_team = 8\n", encoding="utf-8")
    done = cli(home, "demo", "--days", "2", "--history-days", "10")
    assert done.returncode == 0, done.stderr
    assert (
        "Synthetic season 2024-25 (seed 21): 2 days 2024-11-01 .. 2024-11-02 after 10 days of earlier "
        "history from 2024-10-22" in done.stdout
    )
    assert "Loaded into the warehouse" in done.stdout and "prop lines: points" in done.stdout
    assert "Earlier history: " in done.stdout and "built through Phase 4 without predictions" in done.stdout
    predicted = re.search(r"\b([1-9]\d*) active predictions over 1 days", done.stdout)
    assert predicted, "the one game day of four teams predicts"
    assert (home.raw_dir / "synthetic" / "seed-21" / "prop_lines.csv.gz").exists()

    again = json.loads(cli(home, "demo", "--days", "2", "--history-days", "10", "--json").stdout)
    assert [f["status"] for f in again["files"]] == ["unchanged"] * 4
    assert (again["history"]["game_days"], again["history"]["built"], again["history"]["processor_runs"]) == (
        7,
        False,
        0,
    ), "a rerun on unchanged files keeps the history it built"
    assert again["pipeline"]["season"]["predictions"] == int(predicted.group(1))


def test_demo_without_earlier_history_says_nothing_of_it(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    home.config_path.write_text("[synthetic]\nteams = 4\nplayers_per_team = 8\n", encoding="utf-8")
    done = cli(home, "demo", "--days", "1", "--history-days", "0")
    assert done.returncode == 0, done.stderr
    assert "Synthetic season 2024-25 (seed 7): 1 days 2024-10-22 .. 2024-10-22, 4 teams" in done.stdout
    assert "earlier history" not in done.stdout.lower()


def test_demo_refuses_zero_days(tmp_path: Path) -> None:
    done = cli(Home(tmp_path / "home"), "demo", "--days", "0")
    assert done.returncode != 0
    assert "greater than or equal to 1" in done.stderr
    assert not (tmp_path / "home" / "raw" / "synthetic").exists()
