"""How synthetic books set lines and prices, and the name helpers: rules as tables of cases."""

from __future__ import annotations

import numpy as np
import pytest

from nbaprops.identity import player_lookup
from nbaprops.sources.synthetic_market import (
    SHADED_PRICE,
    american_odds,
    fair_over_probability,
    price_lines,
    set_lines,
)
from nbaprops.sources.synthetic_names import (
    ascii_name,
    invent_names,
    name_key,
    normalized_name,
    without_suffix,
)

POINTS, REBOUNDS = 0, 1


@pytest.mark.parametrize(
    ("probability", "odds"),
    [
        (0.5, -100),
        (0.6, -150),
        (0.4, 150),
        (0.75, -300),
        (0.2, 400),
        (0.5238, -110),
        (0.999, -3233),
    ],
)
def test_american_odds(probability: float, odds: int) -> None:
    assert american_odds(np.array([probability]))[0] == odds


@pytest.mark.parametrize(
    ("line", "mean", "market", "low", "high"),
    [
        (20.0, 20.0, POINTS, 0.5, 0.5),  # a whole line at the mean: a push is removed, 50/50
        (20.5, 20.5, POINTS, 0.5, 0.5),
        (20.5, 24.0, POINTS, 0.6, 0.75),
        (20.5, 17.0, POINTS, 0.15, 0.3),
        (4.5, 4.5, REBOUNDS, 0.5, 0.5),
        (0.5, 0.1, REBOUNDS, 0.0, 0.2),
    ],
)
def test_fair_over_probability(
    line: float, mean: float, market: int, low: float, high: float
) -> None:
    p = fair_over_probability(np.array([line]), np.array([mean]), np.array([market]))[0]
    assert low - 1e-9 <= p <= high + 1e-9


def test_lines_are_mostly_half_points_near_the_mean() -> None:
    means = np.linspace(0.2, 40, 4000)
    lines = set_lines(np.random.default_rng(1), means)
    assert np.all(lines >= 0.5)
    assert np.all(np.abs(lines - means) <= 1.0)
    share_half = np.mean(lines % 1 == 0.5)
    assert 0.85 < share_half < 0.95


def test_prices_carry_the_vig_or_a_shade() -> None:
    p_over = np.random.default_rng(2).uniform(0.3, 0.7, 5000)
    over, under = price_lines(np.random.default_rng(3), p_over, vig=0.045)

    def implied(odds: np.ndarray) -> np.ndarray:
        return np.where(odds < 0, np.abs(odds) / (np.abs(odds) + 100), 100 / (np.abs(odds) + 100))

    shaded = {tuple(pair) for pair in zip(over, under, strict=True)} & {
        SHADED_PRICE,
        SHADED_PRICE[::-1],
    }
    assert shaded == {SHADED_PRICE, SHADED_PRICE[::-1]}
    is_shaded = ((over == -130) & (under == 100)) | ((over == 100) & (under == -130))
    margin = implied(over[~is_shaded]) + implied(under[~is_shaded]) - 1
    assert np.all(np.abs(margin - 0.045) < 0.01)
    assert 0.1 < is_shaded.mean() < 0.2
    favourite_over = p_over[is_shaded] >= 0.5
    assert np.all(over[is_shaded][favourite_over] == -130)


@pytest.mark.parametrize(
    ("name", "key", "ascii", "bare", "normalized"),
    [
        ("Nikola Jokavić", "nikolajokavic", "Nikola Jokavic", "Nikola Jokavić", "Nikola Jokavic"),
        (
            "Darius Parker III",
            "dariusparker",
            "Darius Parker III",
            "Darius Parker",
            "Darius Parker",
        ),
        ("Aaron Walker Jr.", "aaronwalker", "Aaron Walker Jr.", "Aaron Walker", "Aaron Walker"),
        (
            "De'Andre Sutton",
            "deandresutton",
            "De'Andre Sutton",
            "De'Andre Sutton",
            "De'Andre Sutton",
        ),
        ("Dāvis Bērziņš", "davisberzins", "Davis Berzins", "Dāvis Bērziņš", "Davis Berzins"),
        (
            "Jusuf Nurkić-Begović",
            "jusufnurkicbegovic",
            "Jusuf Nurkic-Begovic",
            "Jusuf Nurkić-Begović",
            "Jusuf Nurkic-Begovic",
        ),
    ],
)
def test_name_helpers(name: str, key: str, ascii: str, bare: str, normalized: str) -> None:
    assert (name_key(name), ascii_name(name), without_suffix(name), normalized_name(name)) == (
        key,
        ascii,
        bare,
        normalized,
    )
    assert player_lookup(name) == key, (
        "name_key is at least as coarse as the platform's player_lookup"
    )


def test_invented_names_are_unique_by_key() -> None:
    names = invent_names(np.random.default_rng(4), count=900)
    assert len({name_key(name) for name in names}) == 900
    assert len({player_lookup(name) for name in names}) == 900
