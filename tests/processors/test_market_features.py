"""Phase 4 market features: the books' consensus on the modal line, teammates missing, usage."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from tests.processors.league import TinyLeague

from nbaprops.backtest import run_backtest
from nbaprops.config import Settings
from nbaprops.predictions.odds import remove_vig
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(6)]


def _feature(warehouse: Warehouse, player: str, market: str, day: date) -> dict:
    return warehouse.query(
        "SELECT market_line, market_p_over, market_books, teammates_minutes_out, usage_season "
        "FROM nba_precompute.ml_feature_store WHERE game_date = ? AND player_lookup = ? AND market = ?",
        [day, player, market])[0]


def test_the_consensus_is_the_logit_mean_of_the_books_fair_probabilities(warehouse: Warehouse) -> None:
    run_backtest(warehouse=warehouse, source=TinyLeague(DATES), settings=Settings(), market="points",
                 start=DATES[0], end=DATES[-1])
    row = _feature(warehouse, "jaysontatum", "points", DATES[-1])
    fair = [remove_vig(-115, -105)[0], remove_vig(-110, -110)[0]]  # draftkings, fanduel at 22.5
    logits = [math.log(p / (1 - p)) for p in fair]
    assert (row["market_line"], row["market_books"]) == (22.5, 2)
    assert row["market_p_over"] == pytest.approx(1 / (1 + math.exp(-sum(logits) / 2)))
    # Every regular played the last game: nobody is missing. Usage is a share of possessions.
    assert row["teammates_minutes_out"] == 0.0
    assert 10.0 < row["usage_season"] < 60.0
    # The market-anchored system is not blended toward one book's price; the others are.
    blended = {r["system_id"]: r["blended"] for r in warehouse.query(
        "SELECT system_id, bool_or(abs(p_over - p_over_model) > 1e-9) AS blended "
        "FROM nba_predictions.player_prop_predictions WHERE p_over IS NOT NULL GROUP BY system_id")}
    assert blended["market"] is False and blended["moving_average"] is True


def test_a_regular_who_missed_the_last_game_counts_as_missing_for_his_teammates(warehouse: Warehouse) -> None:
    class BrownSitsOut(TinyLeague):
        def player_boxscores(self, game_date, *, as_of):  # type: ignore[no-untyped-def]
            rows = super().player_boxscores(game_date, as_of=as_of)
            return [r for r in rows if not (game_date == DATES[-2] and r["player_lookup"] == "jaylenbrown")]

    run_backtest(warehouse=warehouse, source=BrownSitsOut(DATES), settings=Settings(), market="points",
                 start=DATES[0], end=DATES[-1])
    assert _feature(warehouse, "jaysontatum", "points", DATES[-1])["teammates_minutes_out"] == pytest.approx(34.0)
    assert _feature(warehouse, "jalenbrunson", "points", DATES[-1])["teammates_minutes_out"] == 0.0
