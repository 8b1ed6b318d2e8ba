"""Checking player steals, blocks and turnovers against team totals (pure part)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.ingest._column_check import (
    CHECKED,
    MIN_TEAM_GAMES,
    ColumnCheck,
    apply_moves,
    check_columns,
    corrections,
    team_game_sums,
)

SHIFTED = {"stl": "tov", "blk": "stl", "tov": "blk"}  # the 2023-24 export: TO,STL,BLK held stl,blk,tov
EXPORT_HEADERS = {"stl": "STL", "blk": "BLK", "tov": "TO"}
FIRST_DAY = date(2024, 1, 1)


def team_game(day: int, stl: int, blk: int, tov: int, *, team: str = "PHI") -> dict[str, Any]:
    return {"game_date": FIRST_DAY + timedelta(days=day), "team": team, "pts": 100 + day,
            "reb": 40, "ast": 20, "stl": stl, "blk": blk, "tov": tov}


def totals(rows: list[dict[str, Any]]) -> dict[tuple[date, str], dict[str, int]]:
    return {(r["game_date"], r["team"]): {k: v for k, v in r.items()
                                          if k not in ("game_date", "team")} for r in rows}


def as_written(rows: list[dict[str, Any]], written: dict[str, str]) -> list[dict[str, Any]]:
    """The rows as a file writing column `c`'s values under `written[c]` would read."""
    return [{**r, **{written[c]: r[c] for c in CHECKED}} for r in rows]


def games(count: int) -> list[dict[str, Any]]:
    return [team_game(day, stl=5 + day % 3, blk=2 + day % 2, tov=12 + day % 4)
            for day in range(count)]


def moved_back(written: dict[str, str]) -> dict[str, str]:
    """The moves that undo writing column c under written[c]: c is read from written[c]."""
    return {c: s for c, s in written.items() if c != s}


@pytest.mark.parametrize(("case", "written", "team_games", "expected"), [
    # case                       how the file wrote them     games  (compared, as named, agreeing, moved)
    ("as named",                 {c: c for c in CHECKED},    20, (20, 20, 20, {})),
    ("the 2023-24 shift",        SHIFTED,                    20, (20, 0, 20, moved_back(SHIFTED))),
    ("two swapped",              {"stl": "blk", "blk": "stl", "tov": "tov"}, 20,
     (20, 0, 20, {"stl": "blk", "blk": "stl"})),
    ("too few games to overrule", SHIFTED,                   MIN_TEAM_GAMES - 1,
     (MIN_TEAM_GAMES - 1, 0, 0, {})),
    ("just enough games",        SHIFTED,                    MIN_TEAM_GAMES,
     (MIN_TEAM_GAMES, 0, MIN_TEAM_GAMES, moved_back(SHIFTED))),
])
def test_the_assignment_the_team_totals_support(
    case: str, written: dict[str, str], team_games: int, expected: tuple[Any, ...]
) -> None:
    truth = games(team_games)
    check = check_columns(totals(as_written(truth, written)), totals(truth))
    assert check == ColumnCheck(*expected), case


def test_incomplete_team_games_are_not_compared() -> None:
    truth = games(20)
    players = totals(as_written(truth, SHIFTED))
    for key in list(players)[:15]:  # a player missing: the points no longer add up
        players[key] = {**players[key], "pts": players[key]["pts"] - 2}
    check = check_columns(players, totals(truth))
    assert check == ColumnCheck(5, 0, 0)  # 5 complete games: too few to overrule the header


def test_a_minority_of_agreeing_games_keeps_the_names() -> None:
    truth = games(30)
    shifted, kept = as_written(truth[:14], SHIFTED), truth[14:]
    players = totals(shifted + [{**r, "stl": r["stl"] + 1} for r in kept])  # 16 agree with nothing
    check = check_columns(players, totals(truth))
    assert check == ColumnCheck(30, 0, 0)  # 14 of 30 for the shift is no majority


def test_nothing_to_compare_is_no_check() -> None:
    truth = games(12)
    assert check_columns(totals(truth), {}) is None
    other_team = totals([{**r, "team": "SAS"} for r in truth])
    assert check_columns(totals(truth), other_team) is None


def test_ties_keep_the_names() -> None:
    # steals equal blocks in every game: swapping them agrees as well as the names do
    truth = [team_game(day, stl=4, blk=4, tov=11) for day in range(12)]
    assert check_columns(totals(truth), totals(truth)) == ColumnCheck(12, 12, 12)


def test_team_game_sums_add_up_players_per_date_and_team() -> None:
    lines = [team_game(0, 1, 0, 2), team_game(0, 2, 1, 3), team_game(0, 4, 4, 4, team="SAS"),
             team_game(1, 1, 1, 1)]
    sums = team_game_sums(lines)
    assert sums[(FIRST_DAY, "PHI")] == {"pts": 200, "reb": 80, "ast": 40, "stl": 3, "blk": 1,
                                        "tov": 5}
    assert sums[(FIRST_DAY, "SAS")]["stl"] == 4
    assert sums[(FIRST_DAY + timedelta(days=1), "PHI")]["pts"] == 101
    assert len(sums) == 3


def test_apply_moves_reads_each_column_from_its_source() -> None:
    rows = [{"stl": 3, "blk": 0, "tov": 1, "pts": 9}]  # as parsed from TO, STL, BLK
    apply_moves(rows, moved_back(SHIFTED))
    assert rows == [{"stl": 1, "blk": 3, "tov": 0, "pts": 9}]


def test_corrections_name_the_file_columns() -> None:
    check = ColumnCheck(2346, 3, 2346, moved_back(SHIFTED))
    found = corrections(check, EXPORT_HEADERS)
    assert [(c["column"], c["read_from"], c["header_named"]) for c in found] == [
        ("stl", "TO", "STL"), ("blk", "STL", "BLK"), ("tov", "BLK", "TO")]
    assert found[2]["reason"] == (
        "tov was read from the BLK column, not TO: so stl, blk, tov summed over the players "
        "equal the team game log in 2346 of 2346 complete team-games (3 as named)")
    assert corrections(ColumnCheck(20, 20, 20), EXPORT_HEADERS) == []
    assert corrections(None, EXPORT_HEADERS) == []


@given(
    order=st.permutations(CHECKED),
    counts=st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3, unique=True),
                    min_size=MIN_TEAM_GAMES, max_size=40),
)
def test_any_misnaming_is_undone(order: list[str], counts: list[list[int]]) -> None:
    """Whatever order a file wrote the three in, reading it back by the check restores the team
    totals in every game (the three differ within each game, so only one reading fits)."""
    truth = [team_game(day, *triple) for day, triple in enumerate(counts)]
    written = dict(zip(CHECKED, order, strict=True))
    file_rows = as_written(truth, written)
    check = check_columns(totals(file_rows), totals(truth))
    assert check is not None
    apply_moves(file_rows, check.moved)
    assert file_rows == truth
    assert check.agreeing == len(truth)
    assert bool(check.moved) == (order != list(CHECKED))
