"""ESPN game box score (the www.espn.com box score page) -> team rows and player rows.

The page is HTML; its data is one JSON object assigned to `window['__espnfitt__']` in an
inline script. The standard-library HTML parser finds the inline scripts and the JSON decoder
reads the object from where it is assigned, so nothing depends on the markup around it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from html.parser import HTMLParser
from typing import Any

from nbaprops.errors import SourceError
from nbaprops.sources.base import Row
from nbaprops.sources.live._boxscore import TEAM_COUNTS, player_row
from nbaprops.sources.live._games import eastern_date, nba_tricode
from nbaprops.sources.live._payload import PayloadReader
from nbaprops.sources.live._request import Request, build

SOURCE, ENDPOINT = "espn", "boxscore"
DATA_GLOBAL = "window['__espnfitt__']="
PACKAGE = "page.content.gamepackage"
REGULATION_PERIODS, PERIOD_MINUTES, OVERTIME_MINUTES = 4, 12, 5

# ESPN's stat key -> our columns; "a-b" keys hold made-attempted pairs.
STAT_KEYS = {
    "fieldGoalsMade-fieldGoalsAttempted": ("fgm", "fga"),
    "threePointFieldGoalsMade-threePointFieldGoalsAttempted": ("fg3m", "fg3a"),
    "freeThrowsMade-freeThrowsAttempted": ("ftm", "fta"),
    "offensiveRebounds": ("oreb",), "defensiveRebounds": ("dreb",), "rebounds": ("reb",),
    "assists": ("ast",), "steals": ("stl",), "blocks": ("blk",), "turnovers": ("tov",), "fouls": ("pf",),
    "points": ("pts",),
}
_BOX = f"{PACKAGE}.bxscr[]"


def boxscore_request(base_url: str, event_id: str) -> Request:
    """The box score page of ESPN event `event_id` (from the ESPN scoreboard)."""
    return build(SOURCE, ENDPOINT, base_url, f"/nba/boxscore/_/gameId/{event_id}")


def parse_boxscore_teams(page: bytes | str, *, game_date: date, game_id: str | None = None) -> list[Row]:
    """The two team lines in `nba_raw.team_boxscores` shape, home team first.

    `game_id` is the nba.com id of the game (found by matchup: `game_ids_by_matchup`);
    without it rows carry `espn:<event id>`. Team minutes are 5 x the game's length (240, plus
    25 a period of overtime). A page without box-score lines (the game has not started) gives [].
    """
    reader, package = _package(page, game_date)
    teams = _teams(reader, package)
    rows: list[Row] = []
    for side in reader.items(package, "bxscr", PACKAGE):
        team, opponent, is_home = _side(reader, side, teams)
        keys, totals = _totals(reader, side)
        if totals is None:
            continue
        counts = _counts(reader, keys, totals, f"{_BOX}.stats[totals].ttls")
        rows.append({
            "game_id": game_id or f"espn:{_event_id(reader, package)}", "team": team, "opponent": opponent,
            "is_home": is_home, "win": None, "minutes": _team_minutes(reader, package),
            **{column: counts[column] for column in TEAM_COUNTS},
        })
    if len(rows) != 2:
        return []
    home, away = sorted(rows, key=lambda row: not row["is_home"])
    if home["pts"] is not None and away["pts"] is not None and home["pts"] != away["pts"]:
        home["win"], away["win"] = home["pts"] > away["pts"], away["pts"] > home["pts"]
    return [home, away]


def parse_boxscore_players(page: bytes | str, *, game_date: date, game_id: str | None = None) -> list[Row]:
    """Player lines in `nba_raw.player_boxscores` shape, away team first as ESPN lists them.

    Players who did not play (a `dnpRsn`, no stats) are left out, as in the nba.com game logs.
    Minutes are whole minutes (ESPN rounds them).
    """
    reader, package = _package(page, game_date)
    teams = _teams(reader, package)
    rows: list[Row] = []
    for side in reader.items(package, "bxscr", PACKAGE):
        team, opponent, is_home = _side(reader, side, teams)
        groups, _ = _groups(reader, side)
        for group_type, keys, athletes in groups:
            where = f"{_BOX}.stats[{group_type}]"
            for athlete in athletes:
                stats = reader.items(athlete, "stats", f"{where}.athlts[]")
                if not stats:
                    continue
                values = _by_key(reader, keys, stats, f"{where}.athlts[].stats")
                minutes = reader.minutes(values["minutes"], f"{where}.athlts[].stats.minutes")
                if not minutes:
                    continue
                person = reader.mapping(athlete, "athlt", f"{where}.athlts[]")
                rows.append(player_row(
                    reader,
                    game_id=game_id or f"espn:{_event_id(reader, package)}",
                    name=reader.text(person, "dspNm", f"{where}.athlts[].athlt"),
                    team=team, opponent=opponent, is_home=is_home, minutes=minutes,
                    counts=_counts(reader, keys, stats, f"{where}.athlts[].stats"),
                    plus_minus=reader.number(values["plusMinus"], f"{where}.athlts[].stats.plusMinus"),
                    path=f"{where}.athlts[].athlt.dspNm",
                ))
    return rows


class _ScriptCollector(HTMLParser):
    """The text of every inline <script> of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def page_data(page: bytes | str) -> Mapping[str, Any]:
    """The JSON object the page assigns to `window['__espnfitt__']`."""
    reader = PayloadReader(SOURCE, ENDPOINT)
    text = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
    collector = _ScriptCollector()
    collector.feed(text)
    collector.close()
    for script in collector.scripts:
        start = script.find(DATA_GLOBAL)
        if start >= 0:  # the script assigns other globals before this one
            try:
                data, _ = json.JSONDecoder().raw_decode(script, start + len(DATA_GLOBAL))
            except ValueError as error:
                raise reader.drift(DATA_GLOBAL.rstrip("="), f"is not a JSON object ({error})") from error
            if not isinstance(data, Mapping):
                raise reader.drift(DATA_GLOBAL.rstrip("="), f"is a JSON {type(data).__name__}, not an object")
            return data
    raise reader.drift(DATA_GLOBAL.rstrip("="), "is missing from the page's inline scripts")


def _package(page: bytes | str, game_date: date) -> tuple[PayloadReader, Mapping[str, Any]]:
    reader = PayloadReader(SOURCE, ENDPOINT)
    data = page_data(page)
    package = reader.mapping(reader.mapping(reader.mapping(data, "page", ""), "content", "page"), "gamepackage",
                             "page.content")
    strip = reader.mapping(package, "gmStrp", PACKAGE)
    played_on = eastern_date(reader.utc(reader.get(strip, "dt", f"{PACKAGE}.gmStrp"), f"{PACKAGE}.gmStrp.dt"))
    if played_on != game_date:
        raise SourceError(
            f"{SOURCE} {ENDPOINT}: event {_event_id(reader, package)} was played on {played_on}, not on "
            f"{game_date}; fetch the box score of a game of {game_date}."
        )
    return reader, package


def _event_id(reader: PayloadReader, package: Mapping[str, Any]) -> str:
    return reader.text(reader.mapping(package, "gmStrp", PACKAGE), "gid", f"{PACKAGE}.gmStrp")


def _teams(reader: PayloadReader, package: Mapping[str, Any]) -> dict[str, str]:
    """ESPN team id -> official tricode, for the two teams of the game."""
    teams: dict[str, str] = {}
    parsed = reader.mapping(package, "prsdTms", PACKAGE)
    for side in ("home", "away"):
        team = reader.mapping(parsed, side, f"{PACKAGE}.prsdTms")
        code = reader.text(team, "abbrev", f"{PACKAGE}.prsdTms.{side}")
        tricode = nba_tricode(code)
        if tricode is None:
            raise reader.drift(f"{PACKAGE}.prsdTms.{side}.abbrev", f"is {code!r}, no NBA team")
        teams[reader.text(team, "id", f"{PACKAGE}.prsdTms.{side}")] = tricode
    return teams


def _side(reader: PayloadReader, side: Mapping[str, Any], teams: dict[str, str]) -> tuple[str, str, bool]:
    """(team, opponent, is_home) of one team's part of the box score."""
    team_info = reader.mapping(side, "tm", _BOX)
    team_id = reader.text(team_info, "id", f"{_BOX}.tm")
    if team_id not in teams:
        raise reader.drift(f"{_BOX}.tm.id", f"is {team_id!r}, neither team of the game")
    is_home = reader.get(team_info, "hm", f"{_BOX}.tm")
    if not isinstance(is_home, bool):
        raise reader.drift(f"{_BOX}.tm.hm", f"is {is_home!r}, not true or false")
    opponent = next(tricode for other, tricode in teams.items() if other != team_id)
    return teams[team_id], opponent, is_home


def _groups(
    reader: PayloadReader, side: Mapping[str, Any]
) -> tuple[list[tuple[str, list[Any], list[Any]]], list[Any] | None]:
    """One team's player groups (type, stat keys, athletes: starters, bench) and its totals (None when absent)."""
    groups: list[tuple[str, list[Any], list[Any]]] = []
    totals: list[Any] | None = None
    for group in reader.items(side, "stats", _BOX):
        group_type = reader.text(group, "type", f"{_BOX}.stats[]")
        where = f"{_BOX}.stats[{group_type}]"
        if group_type == "totals":
            totals = reader.items(group, "ttls", where)
        else:
            groups.append((group_type, reader.items(group, "keys", where), reader.items(group, "athlts", where)))
    return groups, totals


def _totals(reader: PayloadReader, side: Mapping[str, Any]) -> tuple[list[Any], list[Any] | None]:
    """The stat keys of the player groups and the team's totals in the same order.

    None when nobody has played yet; a box score with player lines but no totals is drift.
    """
    groups, totals = _groups(reader, side)
    keys = groups[0][1] if groups else []
    played = any(
        isinstance(athlete, Mapping) and athlete.get("stats") for _, _, athletes in groups for athlete in athletes
    )
    if totals is None:
        if played:
            raise reader.drift(f"{_BOX}.stats[totals]", "is missing though players have lines")
        return keys, None
    if len(totals) != len(keys):
        raise reader.drift(f"{_BOX}.stats[totals].ttls", f"has {len(totals)} values for {len(keys)} keys")
    return keys, totals


def _by_key(reader: PayloadReader, keys: list[Any], values: list[Any], path: str) -> dict[str, Any]:
    if len(keys) != len(values):
        raise reader.drift(path, f"has {len(values)} values for {len(keys)} keys")
    by_key = dict(zip(keys, values, strict=True))
    for key in ("minutes", "plusMinus", *STAT_KEYS):
        if key not in by_key:
            raise reader.drift(f"{path}.{key}", "is missing from the keys")
    return by_key


def _counts(reader: PayloadReader, keys: list[Any], values: list[Any], path: str) -> dict[str, int | None]:
    by_key = {key: value for key, value in zip(keys, values, strict=True) if key in STAT_KEYS}
    missing = [key for key in STAT_KEYS if key not in by_key]
    if missing:
        raise reader.drift(f"{path}.{missing[0]}", "is missing from the keys")
    counts: dict[str, int | None] = {}
    for key, columns in STAT_KEYS.items():
        raw = str(by_key[key])
        parts = raw.split("-") if len(columns) == 2 else [raw]
        if len(parts) != len(columns):
            raise reader.drift(f"{path}.{key}", f"is {raw!r}, not made-attempted")
        for column, part in zip(columns, parts, strict=True):
            counts[column] = reader.count(part, f"{path}.{key}")
    return counts


def _team_minutes(reader: PayloadReader, package: Mapping[str, Any]) -> float:
    home = reader.mapping(reader.mapping(package, "prsdTms", PACKAGE), "home", f"{PACKAGE}.prsdTms")
    periods = len(reader.items(home, "linescores", f"{PACKAGE}.prsdTms.home"))
    overtimes = max(0, periods - REGULATION_PERIODS)
    return 5.0 * (REGULATION_PERIODS * PERIOD_MINUTES + OVERTIME_MINUTES * overtimes)
