"""Stakes by fractional Kelly: the share of the bankroll that maximises its expected log growth,
scaled down and capped."""

from __future__ import annotations

import math
from collections.abc import Sequence

from nbaprops.predictions.odds import american_to_decimal


def expected_value(*, p_win: float, p_lose: float, price: int) -> float:
    """Expected profit of a 1-unit stake at `price`; a push (1 - p_win - p_lose) returns the stake."""
    _check(p_win, p_lose)
    return p_win * (american_to_decimal(price) - 1.0) - p_lose


def kelly_stake(*, p_win: float, p_lose: float, price: int, fraction: float, cap: float) -> float:
    """`fraction` of the Kelly stake of a bet at `price`, at most `cap`; 0 when its EV is not positive.

    With b = decimal odds - 1, maximising p_win * log(1 + b f) + p_lose * log(1 - f) gives
    f = (b p_win - p_lose) / (b (p_win + p_lose)); a push leaves the bankroll as it was.
    """
    _check(p_win, p_lose)
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"Kelly fraction {fraction!r} must lie in (0, 1].")
    if not 0.0 <= cap <= 1.0:
        raise ValueError(f"Stake cap {cap!r} must lie between 0 and 1.")
    b = american_to_decimal(price) - 1.0
    edge = b * p_win - p_lose
    if edge <= 0.0:
        return 0.0
    full = edge / (b * (p_win + p_lose))
    return min(max(fraction * full, 0.0), cap)


def limit_exposure(stakes: Sequence[float], *, cap: float) -> list[float]:
    """The stakes scaled down in proportion so that they add up to at most `cap` (bets placed at the
    same time share one bankroll: Kelly sizes each alone); unchanged when they already do."""
    if not cap >= 0.0:
        raise ValueError(f"Exposure cap {cap!r} must be zero or positive.")
    total = math.fsum(stakes)
    if total <= cap or total <= 0.0:
        return list(stakes)
    return [stake * cap / total for stake in stakes]


def _check(p_win: float, p_lose: float) -> None:
    for name, value in (("p_win", p_win), ("p_lose", p_lose)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} is {value!r}; a probability must lie between 0 and 1.")
    if p_win + p_lose > 1.0 + 1e-9:
        raise ValueError(f"p_win {p_win!r} and p_lose {p_lose!r} add up to more than 1.")
