"""The file layouts ingest knows, recognised by the columns they need (read by name)."""

from __future__ import annotations

from dataclasses import dataclass

from nbaprops.errors import IngestError
from nbaprops.ingest import _tables
from nbaprops.ingest._derive import Derivation, date_of_timestamp, season_id, sum_of

TEAM_GAME_LOG = "nbac_team_game_log"
PLAYER_GAME_LOG = "player_game_log"
BOXSCORE_EXPORT = "boxscore_export"
ODDS_PLAYER_SNAPSHOT = "odds_player_snapshot"
ODDS_EVENT_PROPS = "odds_event_props"
ODDS_MULTI_MARKET = "odds_multi_market"
INJURY_REPORT = "injury_report"


@dataclass(frozen=True)
class Format:
    """A layout: the columns it needs, the ones it may have, and when it loads in a batch.

    A needed column may be left out when one of `derivations` can compute it from columns the
    file has; any other column is extra and ignored.
    """

    name: str
    required: frozenset[str]
    optional: frozenset[str]
    tables: tuple[str, ...]  # the history tables its rows go to
    load_order: int  # schedules and box scores before props, so match rates can be computed
    derivations: tuple[Derivation, ...] = ()

    @property
    def has_prop_lines(self) -> bool:
        return _tables.PROP_LINES in self.tables

    def derivations_for(self, columns: frozenset[str]) -> tuple[Derivation, ...]:
        """The derivations that fill needed columns missing from `columns`, in order."""
        have = set(columns)
        chosen = []
        for derivation in self.derivations:
            if derivation.column not in have and set(derivation.sources) <= have:
                chosen.append(derivation)
                have.add(derivation.column)
        return tuple(chosen)

    def missing(self, columns: frozenset[str]) -> list[str]:
        """The needed columns neither in `columns` nor derivable from them, sorted."""
        derived = {d.column for d in self.derivations_for(columns)}
        return sorted(self.required - columns - derived)

    def matches(self, columns: frozenset[str]) -> bool:
        return not self.missing(columns)


@dataclass(frozen=True)
class LayoutMatch:
    """The layout a header was recognised as, what it derives and what it ignores."""

    format: Format
    derivations: tuple[Derivation, ...]
    extra_columns: tuple[str, ...]  # in header order

    @property
    def derived_columns(self) -> tuple[str, ...]:
        return tuple(d.column for d in self.derivations)


def _columns(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _points(points: str, field_goals: str, threes: str, free_throws: str) -> Derivation:
    """Points = 2 x field goals + threes (their extra point) + free throws."""
    return sum_of(points, (2, field_goals), (1, threes), (1, free_throws))


def _rebounds(rebounds: str, offensive: str, defensive: str) -> Derivation:
    return sum_of(rebounds, (1, offensive), (1, defensive))


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
            derivations=(
                date_of_timestamp("GAME_DATE", "GAME_DATE_EST"),
                season_id("SEASON_ID", game_id="GAME_ID", game_date="GAME_DATE"),
                _points("PTS", "FGM", "FG3M", "FTM"),
                _rebounds("REB", "OREB", "DREB"),
            ),
        ),
        Format(
            PLAYER_GAME_LOG,
            _columns("player date matchup minutes fgm fga threes_made threes_attempted ftm fta oreb"
                     " dreb reb ast stl blk tov pf pts"),
            _columns("player_id result fg_pct three_pct ft_pct plus_minus opponent home_away"
                     " player_normalized"),
            (_tables.PLAYER_BOXSCORES,),
            load_order=1,
            derivations=(_points("pts", "fgm", "threes_made", "ftm"),
                         _rebounds("reb", "oreb", "dreb")),
        ),
        Format(
            BOXSCORE_EXPORT,
            _columns("Player Team Opponent Date Minutes Points FGM FGA 3PM 3PA FTM FTA OREB DREB"
                     " REB AST TO STL BLK PF"),
            _columns("Result FG% 3P% FT% +/- SPI"),
            (_tables.PLAYER_BOXSCORES,),
            load_order=1,
            derivations=(_points("Points", "FGM", "3PM", "FTM"), _rebounds("REB", "OREB", "DREB")),
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


def match_layout(header: list[str]) -> LayoutMatch:
    """The layout whose needed columns the header has (or can derive); IngestError when none.

    When several layouts fit, the one leaving the fewest columns unused wins. A header that
    fits none fails naming the columns missing from the layout it resembles most.
    """
    columns = [name.strip() for name in header]
    duplicates = sorted({name for name in columns if columns.count(name) > 1})
    if duplicates:
        raise IngestError(
            f"The header names the column(s) {', '.join(duplicates)} twice; "
            "give every column one unique name."
        )
    have = frozenset(columns)
    fits = sorted(
        (_match(layout, columns) for layout in FORMATS.values() if layout.matches(have)),
        key=lambda match: len(match.extra_columns),
    )
    if len(fits) > 1 and len(fits[0].extra_columns) == len(fits[1].extra_columns):
        raise IngestError(
            f"The header {_shown(columns)!r} fits both the {fits[0].format.name} and the "
            f"{fits[1].format.name} layout; drop the columns of the one it is not."
        )
    if fits:
        return fits[0]
    raise IngestError(_no_fit(columns))


def detect_format(header: list[str]) -> str:
    """The name of the layout `match_layout` recognises in the header."""
    return match_layout(header).format.name


def _match(layout: Format, columns: list[str]) -> LayoutMatch:
    derivations = layout.derivations_for(frozenset(columns))
    used = layout.required | layout.optional | {s for d in derivations for s in d.sources}
    return LayoutMatch(layout, derivations, tuple(c for c in columns if c not in used))


def _shown(columns: list[str]) -> str:
    return ",".join(columns)[:200]


def _no_fit(columns: list[str]) -> str:
    have = frozenset(columns)

    def resemblance(layout: Format) -> tuple[float, int]:
        present = len(layout.required) - len(layout.missing(have))
        return present / len(layout.required), -len(layout.missing(have))

    closest = max(FORMATS.values(), key=resemblance)
    if resemblance(closest)[0] == 0:
        return (
            f"The header {_shown(columns)!r} matches no known layout; expected one of "
            f"{', '.join(FORMATS)}; `nbaprops ingest --help` lists their columns."
        )
    missing = closest.missing(have)
    present = len(closest.required) - len(missing)
    return (
        f"The header lacks the column(s) {', '.join(missing)} that the layout {closest.name} "
        f"needs; it resembles {closest.name} most ({present} of its {len(closest.required)} "
        "needed columns are there). Add or rename the missing column(s); "
        "`nbaprops ingest --help` lists every layout's columns."
    )
