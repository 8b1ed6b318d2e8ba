"""`nbaprops backtest` on the first two weeks of the real 2024-25 threes lines: a report a bettor
can read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nbaprops.cli import main
from nbaprops.home import Home

# From the first line on, since a player needs a few games of history walked before he is predicted.
WEEKS = ("--market", "threes", "--end", "2024-11-04")


@pytest.fixture(scope="module")
def backtest(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """The JSON and the text report of the backtest, run once each."""
    home = Home(tmp_path_factory.mktemp("backtest") / "home").ensure()
    args = ["--home", str(home.root), "backtest", "--data", str(shared_data / "2024-25"), *WEEKS]
    as_json = CliRunner().invoke(main.app, [*args, "--json"], env={"COLUMNS": "200"})
    assert as_json.exit_code == 0, as_json.output
    as_text = CliRunner().invoke(main.app, args, env={"COLUMNS": "250"})
    assert as_text.exit_code == 0, as_text.output
    return json.loads(as_json.stdout), as_text.stdout


def test_each_system_stands_alone(backtest: tuple[dict, str]) -> None:
    document, text = backtest
    assert "overall" not in document
    assert len(document["systems"]) >= 2
    assert "never added together" in text
    assert not any(line.lstrip("│ ").startswith("overall") for line in text.splitlines())
    assert "(all systems)" not in text


def test_prices_and_break_even_are_stated(backtest: tuple[dict, str]) -> None:
    document, text = backtest
    for system_id, result in document["systems"].items():
        prices = result["prices"]
        assert prices["picks"] == result["picks"], system_id
        if not prices["picks"]:
            continue
        assert prices["standard_price"] == -110
        assert abs(prices["median_price"]) >= 100
        assert 0.3 < prices["break_even_hit_rate"] < 0.7
        assert 0.0 <= prices["share_at_standard"] <= 1.0
        assert sum(prices["books"].values()) == prices["picks"]
    assert "Prices the ROI was taken at" in text and "break-even" in text


def test_beating_the_line_is_judged_on_the_same_rows(backtest: tuple[dict, str]) -> None:
    document, text = backtest
    beat = []
    for system_id, result in document["systems"].items():
        versus = result["versus_line"]
        assert versus["rows"] <= result["predictions"]
        assert versus["brier_rows"] <= versus["rows"]
        assert versus["mae"] == pytest.approx(result["mae_prediction"])
        assert versus["line_mae"] == pytest.approx(result["mae_line"])
        assert versus["beats_line_mae"] is (versus["mae"] < versus["line_mae"])
        if versus["beats_line"]:
            beat.append(system_id)
    assert document["beat_line"] == beat
    assert "Against the line, each system on the rows where it and the line both exist" in text
    assert "Beating the line on the same rows (MAE and Brier): " + (", ".join(beat) or "none") in text


def test_gated_picks_report_roi_at_both_prices_the_bankroll_and_clv(backtest: tuple[dict, str]) -> None:
    document, text = backtest
    assert set(document["picks"]) == set(document["systems"])
    for system_id, gated in document["picks"].items():
        assert gated["predictions"] == document["systems"][system_id]["predictions"], system_id
        assert gated["picks"] + gated["voids"] + sum(gated["pass_reasons"].values()) <= gated["predictions"]
        # A shadow system (every system but the champion, by default) never picks: its rows PASS as shadow.
        assert set(gated["pass_reasons"]) <= {"no_line", "no_price", "low_ev", "no_evidence", "shadow"}
        assert {"roi_best_price", "roi_preferred_book", "hit_rate_interval"} <= set(gated)
        assert 0.0 <= gated["bankroll"]["max_drawdown"] <= 1.0
        assert gated["clv"]["units"] == "probability"
    # Two weeks are fewer graded days than the record needs: every prediction passes.
    assert all(gated["picks"] == 0 for gated in document["picks"].values())
    assert "Gated picks" in text and "ROI preferred" in text


def test_each_system_is_compared_with_the_market_on_the_same_rows(backtest: tuple[dict, str]) -> None:
    document, text = backtest
    for system_id, result in document["systems"].items():
        assert result["market_rows"] == result["versus_line"]["brier_rows"], system_id
        assert result["brier"] == pytest.approx(result["versus_line"]["brier"]), system_id
        assert result["market_brier"] == pytest.approx(result["versus_line"]["market_brier"]), system_id
        assert result["log_loss"] > 0 and result["market_log_loss"] > 0, system_id
        difference = result["brier_difference"]
        assert difference["value"] == pytest.approx(result["brier"] - result["market_brier"]), system_id
        assert difference["ci_low"] <= difference["value"] <= difference["ci_high"], system_id
        assert 0.0 < result["coverage"] <= 1.0 and result["coverage_predicted"] <= result["coverage_lined"]
    assert document["systems"]["market"]["coverage"] >= 0.98, "the market system predicts from opening night"
    assert document["systems"]["market"]["coverage"] > document["systems"]["moving_average"]["coverage"]
    assert "Against the vig-free market on the same rows" in text
