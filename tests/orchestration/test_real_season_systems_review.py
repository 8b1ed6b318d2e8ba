"""Promotion and rollback on the real 2024-25 season, threes, through the orchestrator on the replay
source: the weak moving average is champion, a degraded copy of it (its own probabilities, without
the market blend) is canary, and the market-anchored system a shadow. Within a few game days of the
first graded sample, the canary is rolled back and the market-anchored system promoted, each decision
stored with its evidence, alerted, and the rollback an incident; the canary then owns no picks.

`benchmarks/bench_system_review.py` prints the same replay over the whole season and both markets."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from nbaprops.home import Home
from nbaprops.reliability.incidents import IncidentStore
from nbaprops.warehouse import Warehouse

NBAPROPS = str(Path(sys.executable).parent / "nbaprops")
START, END = "2024-10-22", "2024-11-12"  # opening night, then three weeks of threes
CANARY, CHAMPION, CHALLENGER = "moving_average_unblended", "moving_average", "market"
CONFIG = f"""
[predictions]
markets = ["threes"]

[systems]
roles = {{ {CHAMPION} = "champion", {CANARY} = "canary" }}

[systems.variants.{CANARY}]
base = "{CHAMPION}"
blend_with_market = false
"""
# Game days of the canary's own predictions up to each decision: its first 300 rows graded with the
# champion take 7 graded days, which the review sees the day after the next (grading of a day runs
# after the predictions of the next), so the 9th is the earliest; the bound leaves two days' margin.
MAX_GAME_DAYS = 11

GAME_DAYS = """
    SELECT count(DISTINCT game_date) FROM nba_predictions.player_prop_predictions
    WHERE system_id = ? AND market = 'threes' AND game_date <= ?
"""
PICKS_BY_DAY = """
    SELECT game_date <= ? AS before, count(*) FILTER (WHERE makes_pick) AS picks
    FROM nba_predictions.player_prop_predictions WHERE system_id = ? AND is_active GROUP BY ALL ORDER BY ALL
"""


def _nbaprops(home: Home, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NBAPROPS, "--home", str(home.root), *args], capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_on_the_real_season_a_degraded_canary_is_rolled_back_and_a_better_shadow_promoted(
    shared_data: Path, tmp_path: Path
) -> None:
    home = Home(tmp_path / "home").ensure()
    home.config_path.write_text(CONFIG)
    ingested = _nbaprops(home, "ingest", str(shared_data / "2024-25"))
    assert ingested.returncode == 0, ingested.stderr
    backfilled = _nbaprops(home, "backfill", "--start", START, "--end", END, "--source", "replay")
    assert backfilled.returncode == 0, backfilled.stderr

    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        decisions = warehouse.query("SELECT * FROM nba_predictions.system_decisions ORDER BY decided_at, action")
        roles = {r["system_id"]: r["role"] for r in warehouse.query("SELECT * FROM nba_predictions.system_roles")}
        by_action = {row["action"]: row for row in decisions}
        assert [(row["action"], row["system_id"], row["actor"]) for row in decisions if row["action"] != "decay"] == [
            ("promote", CHALLENGER, "auto"), ("rollback", CANARY, "auto")], decisions
        rolled_back, promoted = by_action["rollback"], by_action["promote"]
        for decision, system in ((rolled_back, CANARY), (promoted, CHALLENGER)):
            days = int(warehouse.scalar(GAME_DAYS, [CANARY, decision["game_date"]]) or 0)
            assert days <= MAX_GAME_DAYS, (system, decision["game_date"], days)
        canary_picks = {row["before"]: row["picks"] for row in warehouse.query(
            PICKS_BY_DAY, [rolled_back["game_date"] - date.resolution, CANARY])}
        alerts = warehouse.query("SELECT decision, processor FROM nba_orchestration.orchestration_events "
                                 "WHERE kind = 'system_decision' AND alert ORDER BY decision")
        incidents = IncidentStore(warehouse).incidents(status="open")

    rollback = json.loads(rolled_back["evidence"])
    assert rollback["rows"] >= 300 and rollback["days"] >= 7
    assert rollback["lower"] > 0 and rollback["first_brier"] > rollback["second_brier"]
    assert rolled_back["reason"].startswith("worse than the champion: Brier system")
    assert (rolled_back["from_role"], rolled_back["to_role"], rolled_back["champion_id"]) == (
        "canary", "shadow", CHAMPION)
    promotion = json.loads(promoted["evidence"])
    assert promotion["rows"] >= 300 and promotion["upper"] < 0
    assert (promoted["from_role"], promoted["to_role"], promoted["champion_id"]) == ("shadow", "champion", CHAMPION)
    assert (roles[CHALLENGER], roles[CHAMPION], roles[CANARY]) == ("champion", "shadow", "shadow")

    # The canary owned its share of the picks while it was one (all PASS here: no system has the 14
    # graded days of evidence a bet needs yet), and none after its rollback.
    assert canary_picks[True] > 0 and canary_picks.get(False, 0) == 0, canary_picks
    assert {(row["decision"], row["processor"]) for row in alerts} >= {("promote", CHALLENGER), ("rollback", CANARY)}
    assert ("system:moving_average_unblended:threes", "SystemRolledBack") in {
        (incident.component, incident.error_class) for incident in incidents}
