"""`nbaprops digest`: yesterday's graded picks per system with the rolling record, today's top picks,
health, open incidents and the dashboard link, on a small synthetic home."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.cli.digest_seed import seed
from tests.cli.sim_cli import cli

from nbaprops.home import Home
from nbaprops.metrics import wilson_interval
from nbaprops.warehouse import Warehouse


def test_the_digest_of_a_day(cli_home: Home, league_file: tuple[Path, list[str]]) -> None:
    dates = [date.fromisoformat(d) for d in league_file[1]]
    earlier, yesterday, today = dates[-3], dates[-2], dates[-1]
    with Warehouse.open(cli_home.warehouse_path) as warehouse:
        seed(warehouse, earlier=earlier, yesterday=yesterday, today=today)
    cli_home.config_path.write_text(cli_home.config_path.read_text() + "[digest]\ntop_n = 2\n")

    done = cli(cli_home, "digest", "--date", today.isoformat(), "--json")
    assert done.returncode == 0, done.stderr
    digest = json.loads(done.stdout)
    assert set(digest) == {"title", "game_date", "graded_date", "record_start", "systems", "today", "health",
                           "incidents", "dashboard_url", "clock"}
    assert (digest["graded_date"], digest["record_start"]) == (
        yesterday.isoformat(), (yesterday - timedelta(days=29)).isoformat())
    systems = {system["system_id"]: system for system in digest["systems"]}
    assert set(systems) == {"ensemble", "similarity"}
    ensemble = systems["ensemble"]
    assert {k: ensemble["yesterday"][k] for k in ("picks", "wins", "losses", "voids")} == {
        "picks": 2, "wins": 1, "losses": 1, "voids": 1}
    record = ensemble["record"]
    low, high = wilson_interval(2, 3)
    assert (record["picks"], record["wins"], record["losses"]) == (3, 2, 1)
    assert record["hit_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert (record["hit_rate_low"], record["hit_rate_high"]) == (round(low, 4), round(high, 4))
    assert record["roi"] == pytest.approx((100 / 110 - 1 + 1.0) / 3, abs=1e-4)
    assert systems["similarity"]["record"]["picks"] == 1
    top = digest["today"]
    assert (top["system_id"], top["bets"]) == ("champion", 3)
    assert [pick["ev"] for pick in top["top_picks"]] == [0.12, 0.08]  # by expected value, top_n of them
    assert [incident["incident_id"] for incident in digest["incidents"]] == ["open-1"]
    assert digest["health"]["status"] in ("ok", "warning", "critical") and digest["health"]["headline"]
    assert digest["dashboard_url"] == f"http://127.0.0.1:8350/today?date={today}"

    text = cli(cli_home, "digest", "--date", today.isoformat()).stdout
    assert f"nbaprops digest {today}: 3 pick(s)" in text
    assert "- ensemble: 1-1, " in text and "record n=3, hit 66.7% [" in text
    assert "Open incidents (1):" in text and "box scores late" in text
    assert f"Dashboard: http://127.0.0.1:8350/today?date={today}" in text


def test_a_day_with_nothing_graded_before_it(cli_home: Home, league_file: tuple[Path, list[str]]) -> None:
    done = cli(cli_home, "digest", "--date", league_file[1][0], "--json")
    assert done.returncode == 0, done.stderr
    digest = json.loads(done.stdout)
    assert (digest["graded_date"], digest["systems"], digest["today"]["top_picks"]) == (None, [], [])
