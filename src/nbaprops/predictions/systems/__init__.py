"""The six prediction systems: market-anchored, moving average, matchup, similarity, gbm and their ensemble;
and variants of the members."""

from nbaprops.predictions.systems.base import (
    PredictionSystem,
    SpreadModel,
    SystemOutput,
    confidence,
)
from nbaprops.predictions.systems.ensemble import EnsembleSystem, member_weights
from nbaprops.predictions.systems.gbm import GbmConfig, GbmSystem
from nbaprops.predictions.systems.market import MarketConfig, MarketSystem
from nbaprops.predictions.systems.matchup import MatchupConfig, MatchupSystem
from nbaprops.predictions.systems.moving_average import MovingAverageConfig, MovingAverageSystem
from nbaprops.predictions.systems.registry import SYSTEM_IDS, build_systems, predict_all
from nbaprops.predictions.systems.similarity import SimilarityConfig, SimilaritySystem
from nbaprops.predictions.systems.variant import VariantSystem
from nbaprops.predictions.systems.version import system_parameters, system_version

__all__ = [
    "SYSTEM_IDS",
    "EnsembleSystem",
    "GbmConfig",
    "GbmSystem",
    "MarketConfig",
    "MarketSystem",
    "MatchupConfig",
    "MatchupSystem",
    "MovingAverageConfig",
    "MovingAverageSystem",
    "PredictionSystem",
    "SimilarityConfig",
    "SimilaritySystem",
    "SpreadModel",
    "SystemOutput",
    "VariantSystem",
    "build_systems",
    "confidence",
    "member_weights",
    "predict_all",
    "system_parameters",
    "system_version",
]
