"""NBA season labels, as identity keys (the arithmetic lives in nbaprops.seasons)."""

from __future__ import annotations

from nbaprops.seasons import SEASON_START_MONTH, season_name

season_of = season_name

__all__ = ["SEASON_START_MONTH", "season_of"]
