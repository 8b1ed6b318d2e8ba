"""Ensemble: a weighted mixture of the other systems' predictive distributions.

Member weights are inversely proportional to each member's recent mean absolute error (equal when
no member has one; a member without one gets the average weight of those that have one). Per
row, only valid members count and their weights are renormalised; the row is valid when at least
`min_members` members are. The spread is that of the mixture, so disagreement widens it.

Confidence is the weighted mean of the members' confidences times
sqrt(weighted mean member variance) / mixture std: it falls as the members disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import FeatureFrame
from nbaprops.predictions.systems.base import PredictionSystem, SystemOutput

# Keeps a zero recent error from giving one member all the weight through a division by zero.
_MIN_MAE = 1e-6


def member_weights(system_ids: Sequence[str], recent_mae: Mapping[str, float] | None) -> np.ndarray:
    """One weight per member, proportional to 1 / recent MAE, summing to 1."""
    recent_mae = recent_mae or {}
    inverse = np.full(len(system_ids), np.nan)
    for index, system_id in enumerate(system_ids):
        mae = recent_mae.get(system_id)
        if mae is None or not np.isfinite(mae):
            continue
        if mae < 0:
            raise ProcessorError(
                f"recent_mae for {system_id!r} is {mae}; a mean absolute error cannot be negative."
            )
        inverse[index] = 1.0 / max(mae, _MIN_MAE)
    if np.all(np.isnan(inverse)):
        inverse[:] = 1.0
    inverse = np.where(np.isnan(inverse), np.nanmean(inverse), inverse)
    return inverse / inverse.sum()


class EnsembleSystem(PredictionSystem):
    """Inverse-error weighted mixture of member systems."""

    system_id = "ensemble"

    def __init__(
        self,
        members: Sequence[PredictionSystem],
        *,
        min_members: int = 2,
        min_history_games: int = 5,
        anchor: str | None = None,
    ) -> None:
        super().__init__(min_history_games=min_history_games)
        if min_members < 1:
            raise ProcessorError(f"min_members must be at least 1, got {min_members}.")
        self.members = list(members)
        self.min_members = min_members
        if anchor is not None and anchor not in {m.system_id for m in self.members}:
            raise ProcessorError(f"The ensemble's anchor {anchor!r} is not one of its members.")
        # A row the anchor predicts is valid however few other members predict it.
        self.anchor = anchor
        self.needs_history = anchor is None

    def combine(
        self, outputs: Mapping[str, SystemOutput], recent_mae: Mapping[str, float] | None = None
    ) -> SystemOutput:
        """Mix the members' outputs for the same rows, weighting by 1 / recent MAE."""
        if not outputs:
            raise ProcessorError("The ensemble needs at least one member output to combine.")
        system_ids = list(outputs)
        lengths = {len(output) for output in outputs.values()}
        if len(lengths) != 1:
            raise ProcessorError(
                f"Member outputs have different lengths {sorted(lengths)}; every member must "
                "predict the same rows of today."
            )
        valid = np.vstack([outputs[s].valid for s in system_ids])
        mean = np.vstack([np.nan_to_num(outputs[s].predicted_value) for s in system_ids])
        var = np.vstack([np.nan_to_num(outputs[s].predicted_std) ** 2 for s in system_ids])
        conf = np.vstack([np.nan_to_num(outputs[s].confidence) for s in system_ids])

        weights = member_weights(system_ids, recent_mae)[:, None] * valid
        total = weights.sum(axis=0)
        enough = valid.sum(axis=0) >= self.min_members
        if self.anchor is not None and self.anchor in outputs:
            enough = enough | outputs[self.anchor].valid
        weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)

        mixture_mean = (weights * mean).sum(axis=0)
        within_var = (weights * var).sum(axis=0)
        mixture_var = np.maximum((weights * (var + mean**2)).sum(axis=0) - mixture_mean**2, 0.0)
        mixture_var = np.maximum(mixture_var, within_var)
        mixture_std = np.sqrt(mixture_var)
        agreement = np.divide(
            np.sqrt(within_var),
            mixture_std,
            out=np.ones_like(mixture_std),
            where=mixture_std > 0,
        )
        return SystemOutput.build(
            predicted_value=mixture_mean,
            predicted_std=mixture_std,
            confidence=(weights * conf).sum(axis=0) * agreement,
            valid=enough,
        )

    def _predict(
        self, today: FeatureFrame, past: FeatureFrame, *, game_date: np.datetime64, market: str
    ) -> SystemOutput:
        """Run the members, then mix them with equal weights (no error history here)."""
        outputs = {m.system_id: m.predict(today, past, market=market) for m in self.members}
        return self.combine(outputs)
