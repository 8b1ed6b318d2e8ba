"""Checking a player file's steals, blocks and turnovers against the team game log.

An export once wrote them under shifted headers (`TO` held steals, `STL` blocks, `BLK`
turnovers: the team log's STL,BLK,TOV order under its own AST,TO,STL,BLK headers). The three
are small counts of like size, so no single value gives a shift away; summed over a team's
players they must equal the team's line. A file loads as named unless another assignment of
the three columns agrees with the team totals in most of its complete team-games.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import permutations
from typing import Any

CHECKED = ("stl", "blk", "tov")
COMPLETE_BY = ("pts", "reb", "ast")  # a team-game is complete when these sums match the team's
MIN_TEAM_GAMES = 10  # fewer complete team-games are too little evidence to overrule a header

TeamGame = tuple[date, str]
Totals = Mapping[str, int]


@dataclass(frozen=True)
class ColumnCheck:
    """What comparing a file's player sums with the team game log found.

    `moved` maps a column to the column whose parsed values it takes (empty when the file's
    columns agree as named); `agreeing` counts the complete team-games whose three sums match
    the team's after the move, `agreeing_as_named` before it.
    """

    team_games_compared: int
    agreeing_as_named: int
    agreeing: int
    moved: dict[str, str] = field(default_factory=dict)


def team_game_sums(rows: Iterable[Mapping[str, Any]]) -> dict[TeamGame, dict[str, int]]:
    """Per (game_date, team): the sums of the player rows' checked and completeness columns."""
    sums: dict[TeamGame, dict[str, int]] = {}
    for row in rows:
        totals = sums.setdefault((row["game_date"], row["team"]), dict.fromkeys(
            (*COMPLETE_BY, *CHECKED), 0))
        for column in totals:
            totals[column] += row[column]
    return sums


def _assignments() -> list[dict[str, str]]:
    """Every way to read the checked columns, the as-named one first."""
    return [dict(zip(CHECKED, order, strict=True)) for order in permutations(CHECKED)]


def check_columns(
    player_sums: Mapping[TeamGame, Totals],
    team_totals: Mapping[TeamGame, Totals],
    *,
    min_team_games: int = MIN_TEAM_GAMES,
) -> ColumnCheck | None:
    """The assignment of the checked columns that the team totals support; None when no
    team-game of the file is complete (every player there) and in the team log.

    Another assignment than the named one wins only with a majority of at least
    `min_team_games` of the complete team-games and more agreement than as named (ties keep
    the names).
    """
    complete = [
        (sums, team_totals[key]) for key, sums in player_sums.items()
        if key in team_totals and all(sums[c] == team_totals[key][c] for c in COMPLETE_BY)
    ]
    if not complete:
        return None
    agreeing = [
        sum(all(sums[source] == team[column] for column, source in reading.items())
            for sums, team in complete)
        for reading in _assignments()
    ]
    as_named = agreeing[0]
    best = max(range(len(agreeing)), key=lambda i: (agreeing[i], i == 0))
    convincing = agreeing[best] >= min_team_games and 2 * agreeing[best] > len(complete)
    if best == 0 or not convincing:
        return ColumnCheck(len(complete), as_named, as_named)
    moved = {c: s for c, s in _assignments()[best].items() if c != s}
    return ColumnCheck(len(complete), as_named, agreeing[best], moved)


def apply_moves(rows: Sequence[dict[str, Any]], moved: Mapping[str, str]) -> None:
    """Give each row's moved columns the values parsed under their sources, in place."""
    for row in rows:
        values = {column: row[source] for column, source in moved.items()}
        row.update(values)


def corrections(check: ColumnCheck | None, headers: Mapping[str, str]) -> list[dict[str, Any]]:
    """The report's entries for a check's moves, named by the file's `headers` of the columns."""
    if check is None:
        return []
    return [
        {
            "column": column, "read_from": headers[source], "header_named": headers[column],
            "reason": (
                f"{column} was read from the {headers[source]} column, not {headers[column]}: "
                f"so {', '.join(CHECKED)} summed over the players equal the team game log in "
                f"{check.agreeing} of {check.team_games_compared} complete team-games "
                f"({check.agreeing_as_named} as named)"
            ),
        }
        for column, source in check.moved.items()
    ]
