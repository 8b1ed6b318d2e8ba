"""The six systems in their running order (then any configured variants), and one call that runs
them all for a day."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from nbaprops.predictions.features import FeatureFrame
from nbaprops.predictions.systems.base import PredictionSystem, SystemOutput
from nbaprops.predictions.systems.ensemble import EnsembleSystem
from nbaprops.predictions.systems.gbm import GbmSystem
from nbaprops.predictions.systems.market import MarketConfig, MarketSystem
from nbaprops.predictions.systems.matchup import MatchupSystem
from nbaprops.predictions.systems.moving_average import MovingAverageSystem
from nbaprops.predictions.systems.similarity import SimilaritySystem
from nbaprops.predictions.systems.variant import VariantSystem
from nbaprops.predictions.systems_config import SystemVariant

SYSTEM_IDS: tuple[str, ...] = ("market", "moving_average", "matchup", "similarity", "gbm", "ensemble")


def build_systems(
    *, retrain_days: int, min_history_games: int, market: MarketConfig | None = None,
    variants: Mapping[str, SystemVariant] | None = None,
) -> list[PredictionSystem]:
    """The five member systems, then the ensemble over them, anchored on the market-anchored one:
    it predicts every row the market does, from a season's first day. Then each variant, on a base
    of its own (the ensemble never weighs a variant)."""
    builders: dict[str, Callable[[], PredictionSystem]] = {
        MarketSystem.system_id: lambda: MarketSystem(market, min_history_games=min_history_games),
        MovingAverageSystem.system_id: lambda: MovingAverageSystem(min_history_games=min_history_games),
        MatchupSystem.system_id: lambda: MatchupSystem(min_history_games=min_history_games),
        SimilaritySystem.system_id: lambda: SimilaritySystem(min_history_games=min_history_games),
        GbmSystem.system_id: lambda: GbmSystem(retrain_days=retrain_days, min_history_games=min_history_games),
    }
    members = [build() for build in builders.values()]
    ensemble = EnsembleSystem(members, min_history_games=min_history_games, anchor=MarketSystem.system_id)
    return [*members, ensemble, *(
        VariantSystem(system_id, builders[variant.base](), mean_scale=variant.mean_scale,
                      blends_with_market=variant.blend_with_market)
        for system_id, variant in sorted((variants or {}).items()))]


def predict_all(
    systems: Sequence[PredictionSystem],
    today: FeatureFrame,
    history: FeatureFrame,
    *,
    market: str,
    recent_mae: Mapping[str, float] | None = None,
) -> dict[str, SystemOutput]:
    """Run every non-ensemble system, then each ensemble over its members' outputs.

    `recent_mae` (system_id -> recent mean absolute error) sets the ensemble weights; without it
    the members weigh the same.
    """
    outputs: dict[str, SystemOutput] = {}
    for system in systems:
        if not isinstance(system, EnsembleSystem):
            outputs[system.system_id] = system.predict(today, history, market=market)
    for system in systems:
        if isinstance(system, EnsembleSystem):
            members = {
                m.system_id: outputs[m.system_id]
                if m.system_id in outputs
                else m.predict(today, history, market=market)
                for m in system.members
            }
            outputs[system.system_id] = system.combine(members, recent_mae)
    return outputs
