"""`nbaprops systems list|promote|rollback` through the real entry point, on a replay season."""

from __future__ import annotations

import json

from tests.cli.sim_cli import cli
from tests.processors.replay_season import ReplaySeason
from tests.processors.test_systems_review import CONFIG, NOISE

from nbaprops.home import Home
from nbaprops.warehouse import Warehouse


def seeded(home: Home, days: int) -> Home:
    with Warehouse.open(home.warehouse_path) as warehouse:
        ReplaySeason(NOISE, CONFIG).run(warehouse, days)
    return home


def test_list_gives_each_systems_version_role_and_record_on_the_champions_rows(home: Home) -> None:
    done = cli(seeded(home, 12), "systems", "list", "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    points = {row["system_id"]: row for row in document["markets"]["points"]}
    assert [row["system_id"] for row in document["markets"]["points"]] == ["ensemble", "noised", "sharp"]
    assert {s: row["role"] for s, row in points.items()} == {"ensemble": "champion", "noised": "shadow",
                                                            "sharp": "shadow"}
    assert points["noised"]["since_game_date"] == "2025-01-09"  # rolled back on the 9th game day
    for row in points.values():
        assert row["n"] == 12 * 40
        assert row["champion_brier"] == points["ensemble"]["brier"]
        low, high = row["hit_rate_interval"]
        assert row["bets"] and low <= row["hit_rate"] <= high
    assert points["noised"]["brier"] > points["ensemble"]["brier"] > points["sharp"]["brier"]
    assert [d["action"] for d in document["decisions"]] == ["rollback"]

    text = cli(home, "systems", "list").stdout
    assert "Systems in points" in text and "champion" in text and "hit rate [95%]" in text


def test_promote_and_rollback_by_hand_are_recorded_as_interventions_and_alerted(home: Home) -> None:
    seeded(home, 3)
    done = cli(home, "systems", "promote", "sharp", "--market", "points", "--reason", "looks better", "--json")
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert (decision["from_role"], decision["to_role"], decision["actor"]) == ("shadow", "champion", "manual")
    assert cli(home, "systems", "rollback", "noised", "--market", "points").returncode == 0
    refused = cli(home, "systems", "rollback", "sharp", "--market", "points")
    assert refused.returncode != 0 and "sharp is the champion of points" in " ".join(refused.stderr.split())

    roles = {row["system_id"]: row["role"] for row in json.loads(
        cli(home, "systems", "list", "--json").stdout)["markets"]["points"]}
    assert (roles["sharp"], roles["ensemble"], roles["noised"]) == ("champion", "shadow", "shadow")
    with Warehouse.open(home.warehouse_path, read_only=True, migrate=False) as warehouse:
        interventions = warehouse.query("SELECT command, target, details FROM nba_orchestration.interventions "
                                        "ORDER BY intervened_at")
        alerts = warehouse.query("SELECT decision FROM nba_orchestration.orchestration_events "
                                 "WHERE kind = 'system_decision' AND alert ORDER BY decided_at")
    assert [(i["command"], i["target"]) for i in interventions] == [("systems promote", "sharp:points"),
                                                                    ("systems rollback", "noised:points")]
    assert interventions[0]["details"] == "looks better"
    assert [a["decision"] for a in alerts] == ["promote", "rollback"]
