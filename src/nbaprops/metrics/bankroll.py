"""A bankroll grown by staked picks, day by day, and its largest fall from a peak."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DayStakes:
    """One day's settled picks: (stake as a share of the bankroll, profit per unit staked) each."""

    game_date: date
    results: Sequence[tuple[float, float]]


@dataclass(frozen=True)
class Bankroll:
    """The bankroll after each day (starting at `start`) and its maximum drawdown (a share of the peak)."""

    start: float
    curve: tuple[tuple[date, float], ...]
    max_drawdown: float

    @property
    def final(self) -> float:
        return self.curve[-1][1] if self.curve else self.start

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "final": self.final, "max_drawdown": self.max_drawdown,
                "curve": [{"game_date": day.isoformat(), "bankroll": value} for day, value in self.curve]}


def bankroll_curve(days: Sequence[DayStakes], *, start: float = 1.0) -> Bankroll:
    """Grow `start` day by day: a day's picks are staked as shares of that day's opening bankroll,
    so the bankroll becomes bankroll * (1 + sum(stake * profit)). Days are taken in date order."""
    if start <= 0:
        raise ValueError(f"start {start!r} must be positive.")
    bankroll = start
    curve: list[tuple[date, float]] = []
    for day in sorted(days, key=lambda d: d.game_date):
        growth = math.fsum(stake * profit for stake, profit in day.results)
        bankroll = max(bankroll * (1.0 + growth), 0.0)
        curve.append((day.game_date, bankroll))
    return Bankroll(start, tuple(curve), max_drawdown([start, *(value for _day, value in curve)]))


def max_drawdown(values: Sequence[float]) -> float:
    """The largest fall from a running peak, as a share of that peak: 0 when it never falls."""
    peak = -math.inf
    worst = 0.0
    for value in values:
        peak = max(peak, value)
        if peak > 0:
            worst = max(worst, (peak - value) / peak)
    return worst
