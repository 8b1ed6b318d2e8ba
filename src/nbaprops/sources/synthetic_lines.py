"""The synthetic books: which players get lines, when they are published, and at what numbers.

A book's mean is the true expectation times a noisy, partly persistent error, so a model that
learns from a player's history is about as good as the line, not much better or worse.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np

from nbaprops.sources.synthetic_injuries import RULED_OUT, Availability, status_at
from nbaprops.sources.synthetic_market import (
    BOOK_WEIGHTS,
    BOOKMAKERS,
    MARKET_KEYS,
    fair_over_probability,
    price_lines,
    set_lines,
)
from nbaprops.sources.synthetic_schedule import ScheduledGame

LINE_MIN_EXPECTED_MINUTES = 15.0
_MARKET_NOISE_SD = 0.08  # per player-game-market error of the market's mean
_MARKET_BIAS_SD = 0.04  # persistent per player-market error of the market
_BOOK_NOISE_SD = 0.025
_LINE_UPDATE_SHARE = 0.25
_OFFER_SHARE = 0.92  # a book lists most, not all, player-markets of a game
_MIN_MEAN_FOR_MARKET = np.array([0.0, 2.0, 1.5, 0.7, 0.0])  # points, rebounds, assists, threes, pra

# (team index, players known out) -> (roster, expected minutes, expected pts/reb/ast/threes)
Expectation = Callable[[int, set[int]], tuple[np.ndarray, np.ndarray, np.ndarray]]


class Bookmakers:
    """Posts prop lines for one game at a time, drawing only from its own random stream."""

    def __init__(self, rng: np.random.Generator, *, player_count: int, vig: float) -> None:
        self._rng = rng
        self._vig = vig
        self._bias = rng.normal(0.0, _MARKET_BIAS_SD, (player_count, len(MARKET_KEYS)))

    def post(
        self,
        game: ScheduledGame,
        availability: dict[int, dict[int, Availability]],
        expectation: Expectation,
        *,
        late: bool,
    ) -> list[dict[str, np.ndarray]]:
        """Line snapshots of `game` as columns (player, market, book, line, prices, epoch times).

        Books open 8-10 hours before tip-off (on late days 20 minutes to 2.5 hours before), for
        players likely to play; a quarter of lines move once 0.5-2 hours before tip-off.
        """
        rng = self._rng
        tipoff = game.tipoff_utc
        book_count = int(rng.integers(3, 6))
        books = rng.choice(len(BOOKMAKERS), size=book_count, replace=False, p=BOOK_WEIGHTS)
        lead_hours = (
            rng.uniform(1 / 3, 2.5, book_count) if late else rng.uniform(8.0, 10.0, book_count)
        )
        published = [tipoff - timedelta(hours=float(hours)) for hours in lead_hours]
        players, expected = self._candidates(game, availability, expectation, at=max(published))
        if players.size == 0:
            return []
        means = expected * np.exp(
            self._bias[players, :4] + rng.normal(0, _MARKET_NOISE_SD, expected.shape)
        )
        pra = means[:, :3].sum(axis=1) * np.exp(
            self._bias[players, 4] + rng.normal(0, 0.02, len(players))
        )
        means = np.column_stack([means, pra])
        truth = np.column_stack([expected, expected[:, :3].sum(axis=1)])
        pair_player, pair_market = np.nonzero(truth >= _MIN_MEAN_FOR_MARKET)
        pair_grid, book_grid = np.meshgrid(
            np.arange(len(pair_player)), np.arange(book_count), indexing="ij"
        )
        offered = rng.random(pair_grid.size) < _OFFER_SHARE
        pair, book = pair_grid.ravel()[offered], book_grid.ravel()[offered]
        row_player, row_market = players[pair_player[pair]], pair_market[pair]
        book_means = means[pair_player[pair], row_market] * np.exp(
            rng.normal(0, _BOOK_NOISE_SD, pair.shape)
        )
        snapshots = np.array([_epoch(moment) for moment in published], dtype=np.int64)[book]
        parts = [self._priced(game, row_player, row_market, books[book], book_means, snapshots)]
        if late:
            return parts
        moved = rng.random(pair.shape) < _LINE_UPDATE_SHARE
        target = truth[pair_player[pair[moved]], row_market[moved]] * np.exp(
            rng.normal(0, 0.05, moved.sum())
        )
        sharper = np.sqrt(book_means[moved] * target)
        update_at = _epoch(tipoff) - (rng.uniform(0.5, 2.0, moved.sum()) * 3600).astype(np.int64)
        still_on = _not_ruled_out(row_player[moved], update_at, availability)
        if still_on.any():
            parts.append(
                self._priced(
                    game,
                    row_player[moved][still_on],
                    row_market[moved][still_on],
                    books[book[moved]][still_on],
                    sharper[still_on],
                    update_at[still_on],
                )
            )
        return parts

    def _candidates(
        self,
        game: ScheduledGame,
        availability: dict[int, dict[int, Availability]],
        expectation: Expectation,
        *,
        at: datetime,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Players with a role, not ruled out by `at`; half the questionable ones are left off."""
        player_parts, expected_parts = [], []
        for side in (game.home, game.away):
            known_out, left_off = set(), set()
            for index, entry in availability[side].items():
                status = status_at(entry, at)
                if status in RULED_OUT:
                    known_out.add(index)
                elif status == "questionable" and self._rng.random() < 0.5:
                    left_off.add(index)
            roster, minutes, expected = expectation(side, known_out)
            keep = (minutes >= LINE_MIN_EXPECTED_MINUTES) & np.array(
                [i not in left_off for i in roster]
            )
            player_parts.append(roster[keep])
            expected_parts.append(expected[keep])
        return np.concatenate(player_parts), np.vstack(expected_parts)

    def _priced(
        self,
        game: ScheduledGame,
        players: np.ndarray,
        markets: np.ndarray,
        books: np.ndarray,
        means: np.ndarray,
        snapshots: np.ndarray,
    ) -> dict[str, np.ndarray]:
        rng = self._rng
        lines = set_lines(rng, means)
        over, under = price_lines(rng, fair_over_probability(lines, means, markets), vig=self._vig)
        book_update = np.minimum(
            snapshots + rng.integers(0, 300, snapshots.shape), _epoch(game.tipoff_utc) - 1
        )
        return {
            "player": players.astype(np.int64),
            "market": markets.astype(np.int64),
            "book": books.astype(np.int64),
            "line": lines,
            "over": over,
            "under": under,
            "snapshot": snapshots,
            "book_update": book_update,
        }


def _not_ruled_out(
    players: np.ndarray, moments: np.ndarray, availability: dict[int, dict[int, Availability]]
) -> np.ndarray:
    """A book pulls, rather than moves, the line of a player ruled out since it opened."""
    reported = {
        index: entry
        for side in availability.values()
        for index, entry in side.items()
        if entry.reports
    }
    result = np.ones(len(players), dtype=bool)
    for row in np.flatnonzero(np.isin(players, list(reported))):
        moment = datetime.fromtimestamp(int(moments[row]), UTC)
        result[row] = status_at(reported[int(players[row])], moment) not in RULED_OUT
    return result


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())
