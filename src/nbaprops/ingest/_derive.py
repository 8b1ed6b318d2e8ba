"""Columns a layout needs that a file may leave out, because other columns determine them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nbaprops.identity import season_of
from nbaprops.ingest._fields import Row, count, iso_date, text
from nbaprops.ingest._fields import game_id as read_game_id


@dataclass(frozen=True)
class Derivation:
    """How `column` is computed, row by row, from `sources` when a file lacks it.

    `compute` returns the text the column would have held; a bad source value raises RowError
    naming that source column, so the line is quarantined like any other bad value.
    """

    column: str
    sources: tuple[str, ...]
    compute: Callable[[Row], str]


def derive(row: dict[str, str], derivations: tuple[Derivation, ...]) -> dict[str, str]:
    """Add every derived column to `row` (derivations run in order, so one may use another's
    column) and return it."""
    for derivation in derivations:
        row[derivation.column] = derivation.compute(row)
    return row


def sum_of(column: str, *terms: tuple[int, str]) -> Derivation:
    """`column` = the weighted sum of whole-number columns, e.g. PTS = 2*FGM + FG3M + FTM."""

    def compute(row: Row) -> str:
        return str(sum(weight * count(row, name) for weight, name in terms))

    return Derivation(column, tuple(name for _, name in terms), compute)


def date_of_timestamp(column: str, source: str) -> Derivation:
    """`column` = the date part of an ISO timestamp such as nba.com's GAME_DATE_EST."""

    def compute(row: Row) -> str:
        head = text(row, source).partition("T")[0].partition(" ")[0]
        return iso_date({source: head}, source).isoformat()

    return Derivation(column, (source,), compute)


def season_id(column: str, *, game_id: str, game_date: str) -> Derivation:
    """nba.com's SEASON_ID (type digit + start year, e.g. 22024) from the GAME_ID's type digit
    (its third: 0022400001 is regular season) and the season of the game date."""

    def compute(row: Row) -> str:
        season = season_of(iso_date(row, game_date))
        return f"{read_game_id(row, game_id)[2]}{season[:4]}"

    return Derivation(column, (game_id, game_date), compute)
