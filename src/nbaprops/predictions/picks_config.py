"""The `[picks]` section: when a prediction becomes a bet, at which price, and how much to stake.

Example (`nbaprops.toml`):

    [picks]
    system_id = "champion"        # `nbaprops picks` shows the day's picks (see [systems]), or name one system
    min_expected_value = 0.03     # a pick needs at least +3% expected profit per unit at its price
    kelly_fraction = 0.25         # a quarter of the Kelly stake...
    max_stake = 0.02              # ...and never more than 2% of the bankroll on one pick,
    max_market_day_stake = 0.10   # nor 10% on one market's picks of a day together
    evidence_confidence = 0.95    # the system must beat the market's Brier, one-sided 95%
"""

from __future__ import annotations

from pydantic import Field

from nbaprops.config_base import Section


class PicksConfig(Section):
    """Line shopping, the evidence and value gates, and fractional Kelly stakes."""

    system_id: str = Field(
        "champion", description="The picks the picks command, the digest and the dashboard show by default: "
        "'champion', the day's picks (the champion's, and the canary's share, see [systems]), or one system's.",
    )
    shop_other_lines: bool = Field(
        True, description="Also weigh lines other than the reference one, through the system's predictive "
        "distribution; false: only books quoting the reference line compete on price.",
    )
    min_expected_value: float = Field(
        0.03, ge=0, lt=1, description="Expected profit per unit staked at the chosen price a pick needs."
    )
    kelly_fraction: float = Field(0.25, gt=0, le=1, description="Share of the full Kelly stake to bet.")
    max_stake: float = Field(0.02, gt=0, le=1, description="Cap on one pick's stake, as a share of the bankroll.")
    max_market_day_stake: float = Field(
        0.10, gt=0, le=1, description="Cap on the stakes of one system's picks in one market on one day, together: "
        "above it they are scaled down in proportion (the picks of a day share one bankroll).",
    )
    evidence_confidence: float = Field(
        0.95, gt=0.5, lt=1, description="Confidence that the system's Brier score beats the market's on "
        "earlier graded days of the market (one-sided, day-clustered) before it may pick.",
    )
    evidence_min_days: int = Field(
        14, ge=2, description="Fewer earlier graded days of the market than this: no evidence, every pick PASS."
    )
    evidence_window_days: int = Field(
        365, ge=1, description="Graded days this far back (calendar days) make the walk-forward record."
    )
