"""Data sources: replay of recorded history, the synthetic league, and live adapters."""

from nbaprops.sources.base import Source

__all__ = ["Source"]
