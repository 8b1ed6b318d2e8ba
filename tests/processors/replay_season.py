"""A replay season of graded predictions for reviewing systems: every game day, each system's
predictions of the day's rows are written with the role the day's review gave it, then graded.

The truth of each row is a probability q; the market and the systems see it through noise of their
own size, so a system's Brier record is as good as its noise is small. The champion picks the side
its probability favours over the market's by 3 points, at the market's fair price.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from nbaprops.predictions.systems_config import SystemsConfig
from nbaprops.processors.systems_review import MarketReview, review_market
from nbaprops.warehouse import Warehouse

PREDICTIONS = "nba_predictions.player_prop_predictions"
ACCURACY = "nba_predictions.prediction_accuracy"
MARKET = "points"
LINE = 20.5


def american_price(p_win: float) -> int:
    """The fair American price of a side that wins with `p_win` (the books here take no vig)."""
    return round(-100 * p_win / (1 - p_win)) if p_win >= 0.5 else round(100 * (1 - p_win) / p_win)


def payout(price: int) -> float:
    return 100 / -price if price < 0 else price / 100


@dataclass
class ReplaySeason:
    """`noise` maps each system to the spread of its probabilities around the truth."""

    noise: Mapping[str, float]
    config: SystemsConfig
    market_noise: float = 0.10
    rows_a_day: int = 40
    first_day: date = date(2025, 1, 1)
    seed: int = 7
    reviews: list[MarketReview] = field(default_factory=list)

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=index)

    def run(self, warehouse: Warehouse, days: int) -> list[MarketReview]:
        """Review, predict and grade `days` game days in order; returns each day's review."""
        rng = np.random.default_rng(self.seed)
        for index in range(days):
            game_date = self.day(index)
            now = datetime(game_date.year, game_date.month, game_date.day, 15, tzinfo=UTC)
            review = review_market(warehouse, self.config, market=MARKET, system_ids=list(self.noise),
                                   game_date=game_date, now=now)
            self.reviews.append(review)
            self._predict_and_grade(warehouse, rng, game_date, review, now)
        return self.reviews

    def _predict_and_grade(self, warehouse: Warehouse, rng: np.random.Generator, game_date: date,
                           review: MarketReview, now: datetime) -> None:
        truth = rng.uniform(0.25, 0.75, self.rows_a_day)
        over = rng.random(self.rows_a_day) < truth
        fair = np.clip(truth + rng.normal(0, self.market_noise, self.rows_a_day), 0.02, 0.98)
        predictions, graded = [], []
        for system_id, noise in self.noise.items():
            p_over = np.clip(truth + rng.normal(0, noise, self.rows_a_day), 0.02, 0.98)
            state = review.roles[system_id]
            for j in range(self.rows_a_day):
                prediction_id = f"{game_date}:{system_id}:{j}"
                side = "OVER" if p_over[j] > fair[j] + 0.03 else "UNDER" if p_over[j] < fair[j] - 0.03 else "PASS"
                side_fair = fair[j] if side == "OVER" else 1.0 - fair[j]
                price = american_price(side_fair)
                makes_pick = state.role == "champion"
                pick = side if makes_pick and state.picks_disabled is None else "PASS"
                actual = LINE + (1.5 if over[j] else -1.5)
                predictions.append({
                    "prediction_id": prediction_id, "game_date": game_date, "game_id": f"G{game_date}",
                    "player_lookup": f"player{j}", "market": MARKET, "system_id": system_id,
                    "predicted_value": actual, "line_value": LINE, "line_source": "preferred",
                    "p_over": float(p_over[j]), "p_fair_over": float(fair[j]), "recommendation": side,
                    "is_active": True, "created_at": now.replace(tzinfo=None), "system_role": state.role,
                    "makes_pick": makes_pick, "pick": pick, "pick_line": LINE, "pick_price": price,
                })
                won = (side == "OVER") == bool(over[j])
                graded.append({
                    "prediction_id": prediction_id, "game_date": game_date, "game_id": f"G{game_date}",
                    "player_lookup": f"player{j}", "market": MARKET, "system_id": system_id,
                    "recommendation": side, "line_value": LINE, "actual_value": actual, "p_over": float(p_over[j]),
                    "prediction_correct": won if side != "PASS" else None, "is_push": False, "is_void": False,
                    "profit_units": (payout(price) if won else -1.0) if side != "PASS" else None,
                    "graded_at": now.replace(tzinfo=None),
                })
        warehouse.replace_partition(PREDICTIONS, {"game_date": game_date}, predictions)
        warehouse.replace_partition(ACCURACY, {"game_date": game_date}, graded)
