"""Systems reviewed on a replay season: a degraded canary is rolled back and a better shadow promoted
automatically, each decision stored with its evidence, alerted and (a rollback) opening an incident;
a decaying champion stops picking with auto_disable until an operator brings it back."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from tests.processors.replay_season import MARKET, ReplaySeason

from nbaprops.errors import ProcessorError
from nbaprops.orchestration.system_alerts import raise_system_alerts
from nbaprops.predictions.systems_config import SystemsConfig
from nbaprops.processors.system_roles import read_decisions
from nbaprops.processors.systems_review import promote, review_market, rollback
from nbaprops.reliability.incidents import IncidentStore
from nbaprops.warehouse import Warehouse

# The champion sees the truth through noise 0.08; the canary is the champion degraded (0.20), the
# shadow a better system (0.02).
NOISE = {"ensemble": 0.08, "noised": 0.20, "sharp": 0.02}
CONFIG = SystemsConfig(roles={"ensemble": "champion", "noised": "canary"}, min_graded_rows=300, min_graded_days=7)
DAYS = 40
# Game days until each decision: the degraded canary as soon as it has its sample (300 rows of 7 days
# at 40 rows a day: the 9th day reviews 8 graded days), the better shadow once its edge is sure.
MAX_DAYS_TO_ROLLBACK = 9
MAX_DAYS_TO_PROMOTION = 30


def decision_day(season: ReplaySeason, action: str, system_id: str) -> int | None:
    for index, review in enumerate(season.reviews):
        if any(d.action == action and d.system_id == system_id for d in review.decisions):
            return index + 1
    return None


def test_a_degraded_canary_is_rolled_back_and_a_better_shadow_promoted(warehouse: Warehouse) -> None:
    season = ReplaySeason(NOISE, CONFIG)
    reviews = season.run(warehouse, DAYS)
    assert reviews[0].champion == "ensemble" and reviews[0].canary == "noised"

    rolled_back = decision_day(season, "rollback", "noised")
    promoted = decision_day(season, "promote", "sharp")
    assert rolled_back is not None and rolled_back <= MAX_DAYS_TO_ROLLBACK
    assert promoted is not None and promoted <= MAX_DAYS_TO_PROMOTION
    assert reviews[-1].champion == "sharp" and reviews[-1].canary is None
    assert {s: r.role for s, r in reviews[-1].roles.items()} == {"ensemble": "shadow", "noised": "shadow",
                                                                 "sharp": "champion"}

    stored = {row["action"]: row for row in read_decisions(warehouse, market=MARKET)}
    assert set(stored) == {"rollback", "promote"}  # one decision each, never repeated
    rollback_evidence = json.loads(stored["rollback"]["evidence"])
    assert rollback_evidence["lower"] > 0 and rollback_evidence["rows"] >= 300
    assert stored["rollback"]["reason"].startswith("worse than the champion: Brier system")
    promote_evidence = json.loads(stored["promote"]["evidence"])
    assert promote_evidence["upper"] < 0 and promote_evidence["first_brier"] < promote_evidence["second_brier"]
    assert (stored["promote"]["from_role"], stored["promote"]["champion_id"]) == ("shadow", "ensemble")


def test_a_review_run_again_for_the_same_day_decides_nothing_new(warehouse: Warehouse) -> None:
    season = ReplaySeason(NOISE, CONFIG)
    season.run(warehouse, MAX_DAYS_TO_ROLLBACK)
    day = season.day(MAX_DAYS_TO_ROLLBACK - 1)
    again = review_market(warehouse, CONFIG, market=MARKET, system_ids=list(NOISE), game_date=day,
                          now=datetime(2025, 6, 1, tzinfo=UTC))
    assert again.decisions == () and again.roles["noised"].role == "shadow"
    assert len(read_decisions(warehouse, market=MARKET)) == 1


def test_decisions_raise_one_alert_each_and_a_rollback_opens_an_incident(warehouse: Warehouse) -> None:
    ReplaySeason(NOISE, CONFIG).run(warehouse, DAYS)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    assert raise_system_alerts(warehouse, now=now) == 2
    assert raise_system_alerts(warehouse, now=now) == 0
    alerts = warehouse.query("SELECT decision, reason FROM nba_orchestration.orchestration_events "
                             "WHERE kind = 'system_decision' AND alert ORDER BY decision")
    assert [row["decision"] for row in alerts] == ["promote", "rollback"]
    assert alerts[1]["reason"].startswith("System noised (points): rollback by auto: worse than the champion")
    incidents = IncidentStore(warehouse).incidents(status="open")
    assert [(i.component, i.error_class) for i in incidents] == [("system:noised:points", "SystemRolledBack")]


def test_without_its_sample_no_system_changes_role(warehouse: Warehouse) -> None:
    config = CONFIG.model_copy(update={"min_graded_rows": 10_000})
    reviews = ReplaySeason(NOISE, config).run(warehouse, 15)
    assert reviews[-1].champion == "ensemble" and reviews[-1].canary == "noised"
    assert read_decisions(warehouse) == []


def test_a_decaying_champion_stops_picking_until_an_operator_promotes_it_again(warehouse: Warehouse) -> None:
    config = SystemsConfig(roles={"ensemble": "champion"}, auto_disable=True, auto_review=False,
                           decay_window_days=30, decay_min_rows=200)
    season = ReplaySeason({"ensemble": 0.30, "sharp": 0.02}, config, rows_a_day=100)
    reviews = season.run(warehouse, 12)
    decayed = decision_day(season, "decay", "ensemble")
    assert decayed is not None and decayed <= 9  # 7 graded days (700 rows) by the 8th day, a margin for noise
    assert reviews[-1].roles["ensemble"].picks_disabled.startswith("decay over 30 days: behind the market: Brier")
    assert reviews[-1].champion == "ensemble"  # no review: nothing replaces it

    day = season.day(12)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    promote(warehouse, config, market=MARKET, system_id="ensemble", system_ids=["ensemble", "sharp"],
            game_date=day, now=now, reason="checked")
    back = review_market(warehouse, config, market=MARKET, system_ids=["ensemble", "sharp"], game_date=day, now=now)
    assert back.roles["ensemble"].picks_disabled is None  # once a tenure: the operator is not overruled


def test_an_operator_cannot_roll_back_the_champion_nor_touch_an_unknown_system(warehouse: Warehouse) -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    day = now.date()
    with pytest.raises(ProcessorError, match="ensemble is the champion of points: promote another system"):
        rollback(warehouse, CONFIG, market=MARKET, system_id="ensemble", system_ids=list(NOISE), game_date=day,
                 now=now, reason="x")
    with pytest.raises(ProcessorError, match="Unknown system 'nope' in points"):
        promote(warehouse, CONFIG, market=MARKET, system_id="nope", system_ids=list(NOISE), game_date=day, now=now,
                reason="x")
    decision = rollback(warehouse, CONFIG, market=MARKET, system_id="noised", system_ids=list(NOISE), game_date=day,
                        now=now, reason="looks off")
    assert (decision.from_role, decision.to_role, decision.actor) == ("canary", "shadow", "manual")


def test_a_day_run_again_after_later_decisions_gets_the_roles_of_its_date_and_decides_nothing(
    warehouse: Warehouse,
) -> None:
    season = ReplaySeason(NOISE, CONFIG)
    reviews = season.run(warehouse, DAYS)
    rolled_back, promoted = decision_day(season, "rollback", "noised"), decision_day(season, "promote", "sharp")
    assert rolled_back is not None and promoted is not None and rolled_back < promoted
    stored = read_decisions(warehouse)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    for index in (0, rolled_back - 1, promoted - 2, promoted - 1):
        again = review_market(warehouse, CONFIG, market=MARKET, system_ids=list(NOISE), game_date=season.day(index),
                              now=now)
        assert again.decisions == ()
        assert {s: r.role for s, r in again.roles.items()} == {s: r.role for s, r in reviews[index].roles.items()}
    assert read_decisions(warehouse) == stored  # and the stored roles are still the last day's
    last = review_market(warehouse, CONFIG, market=MARKET, system_ids=list(NOISE), game_date=season.day(DAYS - 1),
                         now=now)
    assert last.champion == "sharp" and last.canary is None
