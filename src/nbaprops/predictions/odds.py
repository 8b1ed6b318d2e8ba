"""American odds: conversions, implied and fair probabilities, vig, profit of a 1-unit stake."""

from __future__ import annotations

from numbers import Integral

STANDARD_PRICE = -110
"""The price of each side of a standard two-way market; also assumed for a missing price."""

MAX_IMPLIED_PROBABILITY = 0.99
"""Cap on a re-priced side's implied probability, so an extreme favourite keeps a valid price."""


def _check_price(price: int) -> int:
    if isinstance(price, bool) or not isinstance(price, Integral) or abs(price) < 100:
        raise ValueError(
            f"American price {price!r} is invalid; "
            "a price is an integer of at least +100 or at most -100."
        )
    return int(price)


def american_to_decimal(price: int) -> float:
    """Decimal odds (total return of a 1-unit stake) of `price`: +150 -> 2.5, -150 -> 1.667."""
    price = _check_price(price)
    return 1.0 + (price / 100.0 if price > 0 else 100.0 / -price)


def implied_probability(price: int) -> float:
    """The bookmaker's implied probability of `price`, vig included: -110 -> 0.5238."""
    return 1.0 / american_to_decimal(price)


def vig(over_price: int, under_price: int) -> float:
    """The overround of a two-way market: implied probabilities summed, minus one.

    -110/-110 -> 0.0476.
    """
    return implied_probability(over_price) + implied_probability(under_price) - 1.0


STANDARD_VIG = vig(STANDARD_PRICE, STANDARD_PRICE)
"""The overround of a -110/-110 market, used to re-price a synthesised consensus line."""


def remove_vig(over_price: int, under_price: int) -> tuple[float, float]:
    """Fair (over, under) probabilities: each implied probability divided by their sum."""
    p_over = implied_probability(over_price)
    p_under = implied_probability(under_price)
    total = p_over + p_under
    return p_over / total, p_under / total


def probability_to_american(probability: float) -> int:
    """The whole American price whose implied probability is nearest `probability`."""
    if not 0.0 < probability < 1.0:
        raise ValueError(
            f"Probability {probability!r} has no American price; "
            "it must lie strictly between 0 and 1."
        )
    if probability >= 0.5:
        return -round(100.0 * probability / (1.0 - probability))
    return round(100.0 * (1.0 - probability) / probability)


def price_with_vig(p_fair_over: float, *, overround: float = STANDARD_VIG) -> tuple[int, int]:
    """(over, under) prices for a fair over probability, `overround` spread multiplicatively.

    The inverse of `remove_vig` up to rounding to whole prices. A side's implied probability is
    capped at `MAX_IMPLIED_PROBABILITY`, so a fair probability near 1 keeps a valid price.
    """
    if not 0.0 < p_fair_over < 1.0:
        raise ValueError(
            f"Fair over probability {p_fair_over!r} must lie strictly between 0 and 1."
        )
    if not overround >= 0.0:
        raise ValueError(f"Overround {overround!r} must be zero or positive.")
    scale = 1.0 + overround
    over = min(p_fair_over * scale, MAX_IMPLIED_PROBABILITY)
    under = min((1.0 - p_fair_over) * scale, MAX_IMPLIED_PROBABILITY)
    return probability_to_american(over), probability_to_american(under)


def profit_units(price: int, *, won: bool) -> float:
    """Profit of a 1-unit stake at `price`: decimal odds minus one if it won, -1 if it lost."""
    decimal_odds = american_to_decimal(price)
    return decimal_odds - 1.0 if won else -1.0
