"""A synthetic season with a known truth, as feature frames, for the prediction-system tests.

Each player has a skill (his true mean). A game's actual is negative binomial around
skill * venue * rest * opponent * pace effects; features are computed from the player's earlier
games exactly as the feature store does (last 5 / last 10 / season, std, rest, ...).
"""

from __future__ import annotations

from datetime import date

import numpy as np
from scipy import stats

from nbaprops.predictions.features import FEATURE_COLUMNS, FeatureFrame, select
from nbaprops.predictions.systems import PredictionSystem, SystemOutput

SEASON_START = np.datetime64(date(2024, 10, 22), "D")
TEAMS = 30
HOME_EFFECT = 1.05
BACK_TO_BACK_EFFECT = 0.88
RESTED_EFFECT = 1.04
# Log-normal skill (median, spread) and negative-binomial size per market.
_MARKET_SHAPE = {
    "points": (11.0, 0.5, 8.0),
    "rebounds": (4.5, 0.5, 12.0),
    "assists": (2.8, 0.6, 10.0),
    "threes": (1.2, 0.6, 20.0),
    "pra": (19.0, 0.5, 10.0),
}


def _rolling(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample std of the previous `window` values before each position (NaN if none)."""
    index = np.arange(values.size)
    first = np.maximum(index - window, 0)
    count = (index - first).astype(float)
    total = np.concatenate([[0.0], np.cumsum(values)])
    squares = np.concatenate([[0.0], np.cumsum(values**2)])
    sums = total[index] - total[first]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, sums / count, np.nan)
        var = (squares[index] - squares[first] - sums * sums / count) / (count - 1)
    std = np.where(count >= 2, np.sqrt(np.maximum(var, 0.0)), np.nan)
    return mean, std


def synthetic_season(
    *, players: int = 120, games: int = 40, market: str = "points", seed: int = 0
) -> tuple[FeatureFrame, dict[str, float]]:
    """A history frame (with `actual`) of `players` x `games` rows, and each player's skill."""
    rng = np.random.default_rng(seed)
    median, spread, size = _MARKET_SHAPE[market]
    defence = rng.normal(1.0, 0.08, TEAMS)
    pace = rng.normal(100.0, 3.0, TEAMS)
    columns: dict[str, list[np.ndarray]] = {name: [] for name in (*FEATURE_COLUMNS, "actual")}
    skills: dict[str, float] = {}
    for p in range(players):
        player = f"player_{p:03d}"
        skill = median * float(np.exp(rng.normal(0.0, spread)))
        skills[player] = skill
        team = p % TEAMS
        gaps = rng.choice([1, 2, 3, 4], size=games, p=[0.25, 0.45, 0.2, 0.1])
        gaps[0] = int(rng.integers(0, 4))
        dates = SEASON_START + np.cumsum(gaps).astype("timedelta64[D]")
        rest = np.concatenate([[np.nan], np.diff(dates).astype(float)])
        opponent = (team + rng.integers(1, TEAMS, games)) % TEAMS
        is_home = rng.random(games) < 0.5
        back_to_back = rest == 1
        rested = rest >= 3
        game_pace = (pace[team] + pace[opponent]) / 200.0
        mean = (
            skill
            * np.where(is_home, HOME_EFFECT, 1.0 / HOME_EFFECT)
            * np.where(back_to_back, BACK_TO_BACK_EFFECT, 1.0)
            * np.where(rested, RESTED_EFFECT, 1.0)
            * defence[opponent]
            * game_pace
        )
        actual = rng.negative_binomial(size, size / (size + mean)).astype(float)
        # The market knows the mean up to noise: a half line near it, priced by the true distribution.
        # (A generator of its own, so the other columns are those of seasons built before the market was.)
        market_rng = np.random.default_rng([seed, p])
        market_line = np.floor(mean * np.exp(market_rng.normal(0.0, 0.1, games))) + 0.5
        market_p_over = stats.nbinom.sf(np.floor(market_line), size, size / (size + mean))
        minutes = np.clip(rng.normal(18.0 + 2.0 * np.sqrt(skill), 4.0, games), 0.0, 48.0)
        last5, _ = _rolling(actual, 5)
        last10, std10 = _rolling(actual, 10)
        season, _ = _rolling(actual, games)
        minutes_last5, _ = _rolling(minutes, 5)
        minutes_season, _ = _rolling(minutes, games)
        values = {
            "game_date": dates,
            "game_id": np.array([f"{d}_{team}_{o}" for d, o in zip(dates, opponent, strict=True)]),
            "player_lookup": np.full(games, player),
            "market": np.full(games, market),
            "team": np.full(games, f"T{team:02d}"),
            "opponent": np.array([f"T{o:02d}" for o in opponent]),
            "is_home": is_home,
            "stat_last5": last5,
            "stat_last10": last10,
            "stat_season": season,
            "stat_std_last10": std10,
            "stat_last_game": np.concatenate([[np.nan], actual[:-1]]),
            "minutes_last5": minutes_last5,
            "minutes_season": minutes_season,
            "games_played": np.arange(games, dtype=np.int64),
            "days_rest": rest,
            "is_back_to_back": back_to_back,
            "opp_allowed_ratio": defence[opponent] * rng.normal(1.0, 0.02, games),
            "team_pace": np.full(games, pace[team]) + rng.normal(0.0, 0.5, games),
            "opp_pace": pace[opponent] + rng.normal(0.0, 0.5, games),
            "league_pace": np.full(games, 100.0),
            "market_line": market_line,
            "market_p_over": market_p_over,
            "market_books": np.full(games, 5.0),
            "teammates_minutes_out": market_rng.choice([0.0, 0.0, 0.0, 25.0], size=games),
            "usage_season": np.full(games, 15.0 + 3.0 * np.sqrt(skill)),
            "prior_games": np.zeros(games, dtype=np.int64),
            "actual": actual,
        }
        for name, column in values.items():
            columns[name].append(column)
    frame: FeatureFrame = {}
    for name, parts in columns.items():
        joined = np.concatenate(parts)
        frame[name] = joined.astype(object) if joined.dtype.kind == "U" else joined
    order = np.argsort(frame["game_date"], kind="stable")
    return select(frame, order), skills


def split_day(season: FeatureFrame, game_date: np.datetime64) -> tuple[FeatureFrame, FeatureFrame]:
    """(today, history): the rows of `game_date` without `actual`, and every earlier row."""
    today = select(season, season["game_date"] == game_date)
    today.pop("actual")
    return today, select(season, season["game_date"] < game_date)


def game_dates(season: FeatureFrame) -> np.ndarray:
    """The distinct game dates of a season, in order."""
    return np.unique(season["game_date"])


def with_future_rows(
    history: FeatureFrame,
    season: FeatureFrame,
    game_date: np.datetime64,
    *,
    seed: int,
    keep_fraction: float,
    actual_shift: float,
) -> FeatureFrame:
    """`history` with some of the season's rows dated on or after `game_date` around it, altered.

    The added rows get their actual shifted and their form features scaled, so any system that
    read them would change its output.
    """
    rng = np.random.default_rng(seed)
    future = select(season, season["game_date"] >= game_date)
    future = select(future, rng.random(len(future["game_date"])) < keep_fraction)
    future["actual"] = np.maximum(future["actual"] + actual_shift, 0.0)
    for name in ("stat_last5", "stat_last10", "stat_season"):
        future[name] = future[name] * (1.0 + actual_shift / 10.0)
    half = len(future["game_date"]) // 2
    before, after = select(future, slice(0, half)), select(future, slice(half, None))
    return {name: np.concatenate([before[name], history[name], after[name]]) for name in history}


def assert_same_output(first: SystemOutput, second: SystemOutput) -> None:
    """Both outputs predict exactly the same rows with exactly the same numbers."""
    np.testing.assert_array_equal(first.valid, second.valid)
    np.testing.assert_array_equal(first.predicted_value, second.predicted_value)
    np.testing.assert_array_equal(first.predicted_std, second.predicted_std)
    np.testing.assert_array_equal(first.confidence, second.confidence)
    np.testing.assert_array_equal(first.family, second.family)


def errors_against_naive(
    system: PredictionSystem, season: FeatureFrame, dates: np.ndarray, *, market: str = "points"
) -> tuple[float, float]:
    """MAE of the system and of the history mean (a naive constant) over its valid rows."""
    errors, naive = [], []
    for game_date in dates:
        today, history = split_day(season, game_date)
        actual = season["actual"][season["game_date"] == game_date]
        output = system.predict(today, history, market=market)
        errors.append(np.abs(output.predicted_value - actual)[output.valid])
        naive.append(np.abs(history["actual"].mean() - actual)[output.valid])
    return float(np.concatenate(errors).mean()), float(np.concatenate(naive).mean())
