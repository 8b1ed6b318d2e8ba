"""Data sources: replay of recorded history, the synthetic league, and live adapters."""

from nbaprops.sources.base import Row, Source
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import (
    SyntheticHistory,
    SyntheticLeague,
    generate_league,
    prepare_synthetic_history,
)

__all__ = [
    "ReplaySource",
    "Row",
    "Source",
    "SyntheticHistory",
    "SyntheticLeague",
    "generate_league",
    "prepare_synthetic_history",
]
