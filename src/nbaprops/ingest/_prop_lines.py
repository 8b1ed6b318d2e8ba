"""Sportsbook player prop lines (three layouts) -> history_prop_lines."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from nbaprops.errors import UnknownBookmakerError, UnknownTeamError
from nbaprops.identity import bookmaker_key, team_tricode
from nbaprops.ingest import _tables
from nbaprops.ingest._fields import (
    RowError,
    american_price,
    iso_date,
    number,
    optional_text,
    optional_utc_timestamp,
    text,
    utc_timestamp,
)
from nbaprops.ingest._parse import (
    Line,
    ParseContext,
    Parsed,
    TableRow,
    drop_repeats,
    parse_lines,
    without_source,
)
from nbaprops.ingest._player_boxscores import player
from nbaprops.ingest._source import SourceFile
from nbaprops.ingest._teams_in_rows import away_at_home, tricode

EASTERN = ZoneInfo("America/New_York")
PLAYER_PREFIX = "player_"
MARKETS = {
    "player_points": "points",
    "player_rebounds": "rebounds",
    "player_assists": "assists",
    "player_threes": "threes",
    "player_points_rebounds_assists": "pra",
}
EVENT_PROPS_MARKET = "pra"


def market(row: Mapping[str, str], name: str) -> str:
    """Our market name: player_threes -> threes, player_points_rebounds_assists -> pra, and
    any other player_* market without its prefix."""
    raw = text(row, name).lower()
    if raw in MARKETS:
        return MARKETS[raw]
    return raw.removeprefix(PLAYER_PREFIX) or raw


def bookmaker(row: Mapping[str, str], name: str) -> str:
    """The Odds API key of the book; a team name in its place quarantines the line."""
    raw = text(row, name)
    try:
        team = team_tricode(raw)
    except UnknownTeamError:
        pass
    else:
        raise RowError(
            name,
            f"{name} {raw!r} is a team name ({team}), not a sportsbook; the line is mislabelled",
        )
    try:
        return bookmaker_key(raw)
    except UnknownBookmakerError:
        raise RowError(name, f"{name} {raw!r} is no known sportsbook") from None


def prices(row: Mapping[str, str], over: str, under: str) -> tuple[int | None, int | None]:
    over_price, under_price = american_price(row, over), american_price(row, under)
    if over_price is None and under_price is None:
        raise RowError(over, f"both {over} and {under} are empty")
    return over_price, under_price


def eastern_date(instant_utc: datetime) -> date:
    """The US/Eastern calendar date of a naive UTC instant (the NBA's game date)."""
    return instant_utc.replace(tzinfo=UTC).astimezone(EASTERN).date()


def _snapshot(row: Mapping[str, str]) -> datetime | None:
    for name in ("market_last_update", "bookmaker_last_update"):
        if optional_text(row, name):
            return optional_utc_timestamp(row, name)
    return None


def _line_row(
    row: Mapping[str, str], *, player_field: str, over: str, under: str
) -> TableRow:
    player_name, key = player(row, player_field)
    over_price, under_price = prices(row, over, under)
    return {
        "player_name": player_name, "player_lookup": key,
        "bookmaker": bookmaker(row, "bookmaker"), "line": number(row, "line", minimum=0),
        "over_price": over_price, "under_price": under_price,
    }


def parse_snapshot_row(row: Mapping[str, str]) -> TableRow:
    """`player,game,game_time,market,line,bookmaker,[..._last_update,]over_odds,under_odds`."""
    away, home = away_at_home(row, "game")
    tipoff = utc_timestamp(row, "game_time")
    return {
        **_line_row(row, player_field="player", over="over_odds", under="under_odds"),
        "game_date": eastern_date(tipoff), "event_id": None, "market": market(row, "market"),
        "snapshot_utc": _snapshot(row), "tipoff_utc": tipoff, "home_team": home, "away_team": away,
    }


def parse_multi_market_row(row: Mapping[str, str]) -> TableRow:
    """`event_id,player,market,line,bookmaker,game,game_time,over_odds,under_odds`."""
    return {**parse_snapshot_row(row), "event_id": optional_text(row, "event_id")}


def parse_event_props_row(row: Mapping[str, str]) -> TableRow:
    """PRA lines: `player_name,event_id,event_date,home_team,away_team,bookmaker,line,...`."""
    home, away = tricode(row, "home_team"), tricode(row, "away_team")
    if home == away:
        raise RowError("away_team", f"away_team {row['away_team'].strip()!r} is also the home team")
    return {
        **_line_row(row, player_field="player_name", over="over_price", under="under_price"),
        "game_date": iso_date(row, "event_date"), "event_id": optional_text(row, "event_id"),
        "market": EVENT_PROPS_MARKET, "snapshot_utc": utc_timestamp(row, "timestamp"),
        "tipoff_utc": None, "home_team": home, "away_team": away,
    }


def correct_event_dates(lines: list[Line], schedule: frozenset[tuple[date, str, str]]) -> int:
    """Move lines whose event_date is the UTC date of a late tip-off to the schedule's game date.

    Some event dates are one day past the game's US/Eastern date; when the schedule has the
    same home and away teams the day before and not on the event date, that day is the game
    date. Returns how many lines moved.
    """
    moved = 0
    for line in lines:
        row = line.row
        day_before = row["game_date"] - timedelta(days=1)
        if ((row["game_date"], row["home_team"], row["away_team"]) not in schedule
                and (day_before, row["home_team"], row["away_team"]) in schedule):
            row["game_date"] = day_before
            moved += 1
    return moved


def _parse(
    source: SourceFile,
    context: ParseContext,
    parse_row: Callable[[Mapping[str, str]], TableRow],
    *,
    correct_dates: bool = False,
) -> Parsed:
    lines, quarantined = parse_lines(source, parse_row, context)
    lines, repeats = drop_repeats(lines, without_source, field=None, what="the same prop line")
    corrected = correct_event_dates(lines, context.schedule) if correct_dates else 0
    return Parsed(
        rows={_tables.PROP_LINES: [line.row for line in lines]},
        quarantined=quarantined + repeats,
        lines_loaded=len(lines),
        game_dates_corrected=corrected,
    )


def parse_snapshot(source: SourceFile, context: ParseContext) -> Parsed:
    return _parse(source, context, parse_snapshot_row)


def parse_multi_market(source: SourceFile, context: ParseContext) -> Parsed:
    return _parse(source, context, parse_multi_market_row)


def parse_event_props(source: SourceFile, context: ParseContext) -> Parsed:
    return _parse(source, context, parse_event_props_row, correct_dates=True)
