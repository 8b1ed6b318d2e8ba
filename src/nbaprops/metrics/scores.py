"""Scores of probabilistic and point forecasts, and return on stakes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


def _check_lengths(name: str, left: Sequence[Any], right: Sequence[Any]) -> None:
    if len(left) != len(right):
        raise ValueError(
            f"{name} needs sequences of equal length, got {len(left)} and {len(right)}."
        )


def _check_pairs(name: str, left: Sequence[Any], right: Sequence[Any]) -> None:
    _check_lengths(name, left, right)
    if not left:
        raise ValueError(f"{name} needs at least one value.")


def _check_probabilities(p: Sequence[float]) -> None:
    for index, value in enumerate(p):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"Probability {value!r} at position {index} must lie between 0 and 1.")


def brier_score(p: Sequence[float], outcomes: Sequence[bool]) -> float:
    """Mean squared difference between predicted probabilities and what happened (0 is perfect)."""
    _check_pairs("brier_score", p, outcomes)
    _check_probabilities(p)
    pairs = zip(p, outcomes, strict=True)
    return math.fsum((prob - float(hit)) ** 2 for prob, hit in pairs) / len(p)


@dataclass(frozen=True)
class CalibrationBin:
    """One bin of predicted probability: how many, their mean, and how often the event happened."""

    bin_low: float
    bin_high: float
    count: int
    mean_predicted: float | None
    observed_rate: float | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def calibration_table(
    p: Sequence[float], outcomes: Sequence[bool], *, bins: int = 10
) -> list[CalibrationBin]:
    """Equal-width bins of predicted probability over [0, 1], empty ones included.

    A bin holds [bin_low, bin_high); the last one also holds 1.0.
    """
    if bins < 1:
        raise ValueError(f"bins {bins!r} must be at least 1.")
    _check_lengths("calibration_table", p, outcomes)
    _check_probabilities(p)
    members: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for prob, hit in zip(p, outcomes, strict=True):
        members[min(bins - 1, math.floor(prob * bins))].append((prob, bool(hit)))
    table = []
    for index, pairs in enumerate(members):
        count = len(pairs)
        table.append(
            CalibrationBin(
                bin_low=index / bins,
                bin_high=(index + 1) / bins,
                count=count,
                mean_predicted=math.fsum(prob for prob, _ in pairs) / count if count else None,
                observed_rate=sum(hit for _, hit in pairs) / count if count else None,
            )
        )
    return table


def mean_absolute_error(predicted: Sequence[float], actual: Sequence[float]) -> float:
    """Mean of |predicted - actual|."""
    _check_pairs("mean_absolute_error", predicted, actual)
    return math.fsum(abs(a - b) for a, b in zip(predicted, actual, strict=True)) / len(predicted)


def roi(profits: Sequence[float]) -> float:
    """Return on stakes: total profit over the number of 1-unit stakes (a push is a stake)."""
    if not profits:
        raise ValueError("roi needs at least one stake.")
    return math.fsum(profits) / len(profits)
