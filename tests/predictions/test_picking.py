"""The gates of a pick, as a table: line, price, value, evidence; stakes only on picks."""

from datetime import date

import pytest

from nbaprops.metrics.evidence import DayBrier, brier_evidence
from nbaprops.predictions import RecommendationKind
from nbaprops.predictions.picking import PickRules, decide_pick
from nbaprops.predictions.shopping import SideOffer

OVER, PASS, NO_LINE = RecommendationKind.OVER, RecommendationKind.PASS, RecommendationKind.NO_LINE
RULES = PickRules(min_expected_value=0.03, kelly_fraction=0.25, max_stake=0.02)
STRONG = brier_evidence([DayBrier(date(2025, 1, d), 50, -0.5 - 0.01 * d) for d in range(1, 21)],
                        confidence=0.95, min_days=14)
WEAK = brier_evidence([DayBrier(date(2025, 1, d), 50, 0.2 if d % 2 else -0.3) for d in range(1, 21)],
                      confidence=0.95, min_days=14)
SHORT = brier_evidence([DayBrier(date(2025, 1, 1), 50, -1.0)], confidence=0.95, min_days=14)
VALUE = SideOffer(OVER, "fanduel", 2.5, 110, 0.55, 0.45, 0.47)   # EV +15.5%
THIN = SideOffer(OVER, "fanduel", 2.5, -110, 0.52, 0.48, 0.50)   # EV -0.7% < 3%


@pytest.mark.parametrize(("best", "has_line", "evidence", "pick", "reason"), [
    (None, False, STRONG, NO_LINE, "no_line"),
    (None, True, STRONG, PASS, "no_price"),
    (THIN, True, STRONG, PASS, "low_ev"),
    (VALUE, True, WEAK, PASS, "no_evidence: Brier vs market -0.0010 over 20 days, 95% bound +"),
    (VALUE, True, SHORT, PASS, "no_evidence: 1 graded days of the market, 14 needed"),
    (VALUE, True, STRONG, OVER, None),
])
def test_gates(best: SideOffer | None, has_line: bool, evidence, pick: RecommendationKind,  # type: ignore[no-untyped-def]
               reason: str | None) -> None:
    decided = decide_pick(best, has_line=has_line, evidence=evidence, rules=RULES)
    assert decided.pick is pick
    if reason is None:
        assert decided.pass_reason is None
        assert decided.stake == pytest.approx(0.02)  # quarter Kelly is 0.0307, capped at 0.02
    else:
        assert decided.pass_reason is not None and decided.pass_reason.startswith(reason)
        assert decided.stake == 0.0


def test_a_pass_keeps_the_best_side_it_saw_and_its_row_names_the_book() -> None:
    row = decide_pick(THIN, has_line=True, evidence=STRONG, rules=RULES).as_row()
    assert row["pick"] == "PASS" and row["pick_bookmaker"] == "fanduel" and row["pick_price"] == -110
    assert row["pick_ev"] == pytest.approx(0.52 * 100 / 110 - 0.48)
    assert row["pass_reason"] == "low_ev: best EV -0.73% below 3.00%"
