"""Phase 5 predictions: odds arithmetic, line choice and the recommendation on each prediction."""

from nbaprops.predictions.odds import (
    STANDARD_PRICE,
    STANDARD_VIG,
    american_to_decimal,
    implied_probability,
    price_with_vig,
    probability_to_american,
    profit_units,
    remove_vig,
    vig,
)
from nbaprops.predictions.recommendation import (
    ChosenLine,
    LineSource,
    OfferedLine,
    PropPrediction,
    Recommendation,
    RecommendationKind,
    choose_line,
    recommend,
)

__all__ = [
    "STANDARD_PRICE",
    "STANDARD_VIG",
    "ChosenLine",
    "LineSource",
    "OfferedLine",
    "PropPrediction",
    "Recommendation",
    "RecommendationKind",
    "american_to_decimal",
    "choose_line",
    "implied_probability",
    "price_with_vig",
    "probability_to_american",
    "profit_units",
    "recommend",
    "remove_vig",
    "vig",
]
