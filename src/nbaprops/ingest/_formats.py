"""The file layouts ingest knows, recognised by their header (columns are read by name)."""

from __future__ import annotations

from dataclasses import dataclass

from nbaprops.errors import IngestError
from nbaprops.ingest import _tables

TEAM_GAME_LOG = "nbac_team_game_log"
PLAYER_GAME_LOG = "player_game_log"
BOXSCORE_EXPORT = "boxscore_export"
ODDS_PLAYER_SNAPSHOT = "odds_player_snapshot"
ODDS_EVENT_PROPS = "odds_event_props"
ODDS_MULTI_MARKET = "odds_multi_market"
INJURY_REPORT = "injury_report"


@dataclass(frozen=True)
class Format:
    """A layout: the columns it must have, the ones it may have, and when it loads in a batch."""

    name: str
    required: frozenset[str]
    optional: frozenset[str]
    tables: tuple[str, ...]  # the history tables its rows go to
    load_order: int  # schedules and box scores before props, so match rates can be computed

    @property
    def has_prop_lines(self) -> bool:
        return _tables.PROP_LINES in self.tables

    def matches(self, columns: set[str]) -> bool:
        return self.required <= columns and columns <= self.required | self.optional


def _columns(text: str) -> frozenset[str]:
    return frozenset(text.split())


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            TEAM_GAME_LOG,
            _columns("SEASON_ID TEAM_ABBREVIATION GAME_ID GAME_DATE MATCHUP WL MIN PTS FGM FGA FG3M"
                     " FG3A FTM FTA OREB DREB REB AST STL BLK TOV PF PLUS_MINUS"),
            _columns("TEAM_ID TEAM_NAME FG_PCT FG3_PCT FT_PCT SEASON VIDEO_AVAILABLE"),
            (_tables.TEAM_BOXSCORES, _tables.GAMES),
            load_order=0,
        ),
        Format(
            PLAYER_GAME_LOG,
            _columns("player date matchup minutes fgm fga threes_made threes_attempted ftm fta oreb"
                     " dreb reb ast stl blk tov pf pts"),
            _columns("player_id result fg_pct three_pct ft_pct plus_minus opponent home_away"
                     " player_normalized"),
            (_tables.PLAYER_BOXSCORES,),
            load_order=1,
        ),
        Format(
            BOXSCORE_EXPORT,
            _columns("Player Team Opponent Date Minutes Points FGM FGA 3PM 3PA FTM FTA OREB DREB"
                     " REB AST TO STL BLK PF"),
            _columns("Result FG% 3P% FT% +/- SPI"),
            (_tables.PLAYER_BOXSCORES,),
            load_order=1,
        ),
        Format(
            INJURY_REPORT,
            _columns("game_date team player status reason reported_at"),
            frozenset(),
            (_tables.INJURIES,),
            load_order=2,
        ),
        Format(
            ODDS_PLAYER_SNAPSHOT,
            _columns("player game game_time market line bookmaker over_odds under_odds"),
            _columns("bookmaker_last_update market_last_update"),
            (_tables.PROP_LINES,),
            load_order=3,
        ),
        Format(
            ODDS_EVENT_PROPS,
            _columns("player_name event_id event_date home_team away_team bookmaker line timestamp"
                     " over_price under_price"),
            frozenset(),
            (_tables.PROP_LINES,),
            load_order=3,
        ),
        Format(
            ODDS_MULTI_MARKET,
            _columns("event_id player market line bookmaker game game_time over_odds under_odds"),
            _columns("bookmaker_last_update market_last_update"),
            (_tables.PROP_LINES,),
            load_order=3,
        ),
    )
}


def detect_format(header: list[str]) -> str:
    """The name of the layout whose columns the header has, or IngestError when none fits."""
    columns = [name.strip() for name in header]
    duplicates = sorted({name for name in columns if columns.count(name) > 1})
    if duplicates:
        raise IngestError(
            f"The header names the column(s) {', '.join(duplicates)} twice; "
            "give every column one unique name."
        )
    found = [f.name for f in FORMATS.values() if f.matches(set(columns))]
    if len(found) != 1:
        shown = ",".join(columns)[:200]
        raise IngestError(
            f"The header {shown!r} matches no known layout; expected one of "
            f"{', '.join(FORMATS)}; `nbaprops ingest --help` lists their columns."
        )
    return found[0]
