"""nba.com player box scores of a date (stats `leaguegamelog`, PlayerOrTeam=P) -> player rows."""

from __future__ import annotations

from datetime import date

from nbaprops.sources.base import Row
from nbaprops.sources.live._boxscore import STATS_COLUMNS, player_row, stats_counts
from nbaprops.sources.live._games import nba_tricode
from nbaprops.sources.live._nbastats import LEAGUE_ID, STATS_HEADERS
from nbaprops.sources.live._payload import Payload, PayloadReader
from nbaprops.sources.live._request import Request, build

SOURCE, ENDPOINT = "nbacom", "leaguegamelog"
PATH = "/stats/leaguegamelog"
RESULT_SET = "LeagueGameLog"
FIELDS = ("PLAYER_NAME", "TEAM_ABBREVIATION", "GAME_ID", "GAME_DATE", "MATCHUP", "MIN", "PLUS_MINUS",
          *STATS_COLUMNS.values())
_WHERE = f"resultSets[{RESULT_SET}]"


def player_boxscore_request(
    base_url: str, game_date: date, *, season: str, season_type: str = "Regular Season"
) -> Request:
    """Every player line of `game_date`: one request for the whole date."""
    day = game_date.isoformat()
    params = {
        "LeagueID": LEAGUE_ID, "Season": season, "SeasonType": season_type, "PlayerOrTeam": "P",
        "Counter": "1000", "Sorter": "DATE", "Direction": "DESC", "DateFrom": day, "DateTo": day,
    }
    return build(SOURCE, ENDPOINT, base_url, PATH, params=params, headers=STATS_HEADERS)


def parse_player_boxscores(payload: Payload, *, game_date: date) -> list[Row]:
    """Player lines of `game_date` in `nba_raw.player_boxscores` shape, by game then team.

    The game log lists only players who played, so every row has minutes. No lines (games not
    over yet, or none that day) gives [].
    """
    reader = PayloadReader(SOURCE, ENDPOINT)
    rows: list[Row] = []
    for line in reader.result_set(reader.document(payload), RESULT_SET, FIELDS):
        if str(line["GAME_DATE"])[:10] != game_date.isoformat():
            continue
        team, opponent, is_home = _matchup(reader, str(line["MATCHUP"]))
        if team is None or opponent is None:
            continue  # an exhibition against a club outside the NBA
        minutes = reader.minutes(line["MIN"], f"{_WHERE}.MIN")
        rows.append(player_row(
            reader,
            game_id=reader.text(line, "GAME_ID", _WHERE),
            name=reader.text(line, "PLAYER_NAME", _WHERE),
            team=team, opponent=opponent, is_home=is_home, minutes=minutes or 0.0,
            counts=stats_counts(reader, line, _WHERE),
            plus_minus=reader.number(line["PLUS_MINUS"], f"{_WHERE}.PLUS_MINUS"),
            path=f"{_WHERE}.PLAYER_NAME",
        ))
    return sorted(rows, key=lambda row: (row["game_id"], not row["is_home"]))


def _matchup(reader: PayloadReader, matchup: str) -> tuple[str | None, str | None, bool]:
    """"GSW vs. NYK" (at home) or "NYK @ GSW" (away) -> (team, opponent, is_home)."""
    for separator, is_home in ((" vs. ", True), (" @ ", False)):
        if separator in matchup:
            team, _, opponent = matchup.partition(separator)
            return nba_tricode(team.strip()), nba_tricode(opponent.strip()), is_home
    raise reader.drift(f"{_WHERE}.MATCHUP", f"is {matchup!r}, not 'TEAM vs. OPP' or 'TEAM @ OPP'")
