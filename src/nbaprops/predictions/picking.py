"""The pick on a prediction: the best-priced side, placed only when its expected value passes the
threshold and the system's walk-forward record in the market supports it; otherwise PASS, with why.

The gates, in order (the first that fails is the stored reason):
1. a line: no book quotes one -> NO_LINE;
2. a price: no side of any line has a price -> PASS "no_price";
3. value: the best side's expected value per unit is below `min_expected_value` -> PASS "low_ev";
4. evidence: the system has not beaten the market's Brier on earlier graded days of the market
   with the configured confidence -> PASS "no_evidence" (the reason gives the record).
A pick that passes all four is staked by fractional Kelly at its price.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nbaprops.metrics.evidence import Evidence
from nbaprops.predictions.recommendation import RecommendationKind
from nbaprops.predictions.shopping import SideOffer
from nbaprops.predictions.staking import kelly_stake


@dataclass(frozen=True)
class PickRules:
    """The gates' thresholds and the staking rule (the `[picks]` config)."""

    min_expected_value: float
    kelly_fraction: float
    max_stake: float


@dataclass(frozen=True)
class Pick:
    """The pick on one prediction: `offer` is the best side seen (also kept for a PASS)."""

    pick: RecommendationKind
    offer: SideOffer | None
    stake: float
    pass_reason: str | None

    def as_row(self) -> dict[str, Any]:
        """The `nba_predictions.player_prop_predictions` columns the pick fills."""
        offer = self.offer
        return {
            "pick": self.pick.value,
            "pick_bookmaker": None if offer is None else offer.bookmaker,
            "pick_line": None if offer is None else offer.line,
            "pick_price": None if offer is None else offer.price,
            "pick_p": None if offer is None else offer.p_win,
            "pick_fair_p": None if offer is None else offer.fair_p,
            "pick_ev": None if offer is None else offer.expected_value,
            "stake": self.stake,
            "pass_reason": self.pass_reason,
        }


NO_LINE_PICK = Pick(RecommendationKind.NO_LINE, None, 0.0, "no_line: no book quotes a line")


def decide_pick(best: SideOffer | None, *, has_line: bool, evidence: Evidence, rules: PickRules) -> Pick:
    """Apply the gates to the best-priced side `best` (see the module docstring)."""
    if not has_line:
        return NO_LINE_PICK
    if best is None:
        return Pick(RecommendationKind.PASS, None, 0.0, "no_price: no side of any line has a price")
    ev = best.expected_value
    if ev < rules.min_expected_value:
        return Pick(RecommendationKind.PASS, best, 0.0,
                    f"low_ev: best EV {ev:+.2%} below {rules.min_expected_value:.2%}")
    if not evidence.supported:
        return Pick(RecommendationKind.PASS, best, 0.0, f"no_evidence: {evidence.describe()}")
    stake = kelly_stake(p_win=best.p_win, p_lose=best.p_lose, price=best.price,
                        fraction=rules.kelly_fraction, cap=rules.max_stake)
    return Pick(best.side, best, stake, None)
