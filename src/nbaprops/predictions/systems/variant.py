"""A variant of a member system under its own id: the base's predictions with the mean scaled and,
optionally, without the market blend. A new version to try as canary or shadow, or a deliberately
degraded one for a drill (a canary that the review must roll back)."""

from __future__ import annotations

import numpy as np

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import FeatureFrame
from nbaprops.predictions.systems.base import PredictionSystem, SystemOutput, confidence


class VariantSystem(PredictionSystem):
    """`base` under `system_id`, its predicted mean times `mean_scale` (the spread stays the base's).

    `blends_with_market` None keeps the base's; False hands Phase 5 the variant's own probabilities,
    which the market blend would otherwise pull toward the line.
    """

    def __init__(
        self, system_id: str, base: PredictionSystem, *, mean_scale: float = 1.0,
        blends_with_market: bool | None = None,
    ) -> None:
        super().__init__(min_history_games=base.min_history_games)
        if system_id == base.system_id:
            raise ProcessorError(f"A variant needs an id of its own; {system_id!r} is its base's.")
        if not mean_scale > 0:
            raise ProcessorError(f"mean_scale must be above 0, got {mean_scale} for variant {system_id!r}.")
        self.system_id = system_id
        self.base = base
        self.mean_scale = mean_scale
        self.needs_history = base.needs_history
        self.blends_with_market = base.blends_with_market if blends_with_market is None else blends_with_market

    def _predict(
        self, today: FeatureFrame, past: FeatureFrame, *, game_date: np.datetime64, market: str
    ) -> SystemOutput:
        output = self.base._predict(today, past, game_date=game_date, market=market)
        mean = output.predicted_value * self.mean_scale
        return SystemOutput.build(predicted_value=mean, predicted_std=output.predicted_std,
                                  confidence=confidence(mean, output.predicted_std, today["games_played"]),
                                  valid=output.valid)
