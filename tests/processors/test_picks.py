"""Phase 5's picks on a tiny league: shopped across books, gated by evidence and value, staked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.processors.league import TinyLeague

from nbaprops.backtest import run_backtest
from nbaprops.backtest.picks_report import build_picks_report
from nbaprops.config import Settings
from nbaprops.predictions.picks_config import PicksConfig
from nbaprops.predictions.systems_config import SystemsConfig
from nbaprops.state import read_day_picks
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(10)]
PICKS_SQL = "SELECT * FROM nba_predictions.player_prop_predictions WHERE game_date = ? AND system_id = 'ensemble'"
# The tiny league's books: draftkings -115/-105 and fanduel -110/-110 on the same line.
BEST_BOOK = {"OVER": "fanduel", "UNDER": "draftkings"}


def backtest(warehouse: Warehouse, picks: PicksConfig) -> None:
    run_backtest(warehouse=warehouse, source=TinyLeague(DATES), settings=Settings(picks=picks), market="points",
                 start=DATES[0], end=DATES[-1])


def test_without_a_walk_forward_record_every_prediction_passes_and_says_why(warehouse: Warehouse) -> None:
    backtest(warehouse, PicksConfig())  # 14 graded days needed; the league has 10
    rows = warehouse.query("SELECT * FROM nba_predictions.player_prop_predictions WHERE game_date >= ?", [DATES[5]])
    assert rows and {row["pick"] for row in rows} == {"PASS"}
    assert all(row["stake"] == 0.0 for row in rows)
    champion = [row for row in rows if row["system_id"] == "ensemble"]
    assert champion and all(row["pass_reason"].split(":")[0] in ("low_ev", "no_evidence") for row in champion)
    assert all(row["pass_reason"].startswith("shadow: ") for row in rows if row["system_id"] != "ensemble")
    assert any("graded days of the market, 14 needed" in row["pass_reason"] for row in champion)


def test_with_a_record_that_beats_the_market_picks_are_placed_at_the_best_price_and_staked(
    warehouse: Warehouse,
) -> None:
    config = PicksConfig(evidence_min_days=3, min_expected_value=0.0, max_stake=0.05)
    backtest(warehouse, config)
    last = warehouse.query(PICKS_SQL, [DATES[-1]])
    bets = [row for row in last if row["pick"] in ("OVER", "UNDER")]
    assert bets, [row["pass_reason"] for row in last]
    for row in bets:
        assert row["pick_bookmaker"] == BEST_BOOK[row["pick"]]
        assert row["pick_line"] == 22.5 and row["pass_reason"] is None
        assert 0.0 < row["stake"] <= 0.05
        assert row["pick_ev"] >= 0.0 and 0.0 <= row["pick_p"] <= 1.0
    assert sum(row["stake"] for row in bets) <= config.max_market_day_stake + 1e-12
    first = warehouse.query(PICKS_SQL, [DATES[0]])
    assert {row["pick"] for row in first} <= {"PASS"}  # nothing graded yet: no record

    report = build_picks_report(warehouse, market="points", start=DATES[0], end=DATES[-1])["ensemble"]
    assert report.returns.picks > 0 and report.bankroll.curve
    assert report.clv.with_close == report.returns.picks + report.returns.voids
    assert report.returns.roi_best_price is not None and report.returns.roi_preferred_book is not None
    assert report.returns.roi_best_price >= report.returns.roi_preferred_book  # same picks, better prices

    day = read_day_picks(warehouse, DATES[-1], system_id="ensemble", include_pass=False)
    assert {pick.side for pick in day.picks} <= {"OVER", "UNDER"} and len(day.picks) == len(bets)
    assert day.picks[0].ev == pytest.approx(max(row["pick_ev"] for row in bets))
    assert day.picks[0].team in ("BOS", "NYK") and day.picks[0].player


def test_the_champion_and_the_canary_share_the_days_picks_and_shadows_never_pick(warehouse: Warehouse) -> None:
    settings = Settings(picks=PicksConfig(evidence_min_days=3, min_expected_value=0.0),
                        systems=SystemsConfig(roles={"ensemble": "champion", "market": "canary"}, canary_share=0.5,
                                              auto_review=False))
    run_backtest(warehouse=warehouse, source=TinyLeague(DATES), settings=settings, market="points",
                 start=DATES[0], end=DATES[-1])
    rows = warehouse.query("SELECT * FROM nba_predictions.player_prop_predictions WHERE is_active")
    assert all(row["system_version"].startswith("0.1.0+w400d+p") for row in rows)
    owners: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        expected_role = {"ensemble": "champion", "market": "canary"}.get(row["system_id"], "shadow")
        assert row["system_role"] == expected_role
        if row["makes_pick"]:
            owners.setdefault((row["game_date"], row["player_lookup"]), []).append(row["system_id"])
        if expected_role == "shadow":
            assert not row["makes_pick"] and row["pick"] in ("PASS", "NO_LINE") and row["stake"] == 0.0
    assert all(len(systems) == 1 for systems in owners.values())  # one pick per row, never two
    assert {systems[0] for systems in owners.values()} == {"ensemble", "market"}
    day = read_day_picks(warehouse, DATES[-1], system_id="champion", include_pass=True)
    assert day.picks and {pick.system_id for pick in day.picks} <= {"ensemble", "market"}
    assert len(day.picks) == len({player for (d, player) in owners if d == DATES[-1]})
