"""Who and what a row is about: player lookup keys, team tricodes, bookmaker keys, seasons."""

from nbaprops.identity._bookmakers import bookmaker_key
from nbaprops.identity._players import SUFFIXES, aliases, normalize_name, player_lookup
from nbaprops.identity._seasons import season_of
from nbaprops.identity._teams import TRICODES, team_tricode

__all__ = [
    "SUFFIXES",
    "TRICODES",
    "aliases",
    "bookmaker_key",
    "normalize_name",
    "player_lookup",
    "season_of",
    "team_tricode",
]
