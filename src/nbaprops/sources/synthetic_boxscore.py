"""One team's synthetic box score: minutes, then counting stats drawn around each player's skill."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nbaprops.sources.synthetic_roster import STARTERS, STAT_NAMES, Player
from nbaprops.sources.synthetic_teams import Team

FG3M, FG2M, FTM, REB, AST, STL, BLK, TOV, PF = range(len(STAT_NAMES))
TEAM_MINUTES = 240
_HOME_EDGE = 1.015
_BACK_TO_BACK_SCORING = 0.97
_BACK_TO_BACK_STARTER_MINUTES = 0.96
_IN_GAME_INJURY_PROBABILITY = 0.006
_SCORING = np.isin(np.arange(len(STAT_NAMES)), [FG3M, FG2M, FTM])


@dataclass(frozen=True)
class RosterArrays:
    """The league's players as arrays indexed by player index."""

    rates: np.ndarray  # (players, stats) per minute
    role_minutes: np.ndarray
    dnp_probability: np.ndarray
    rank: np.ndarray
    fg3_pct: np.ndarray
    fg2_pct: np.ndarray
    ft_pct: np.ndarray
    oreb_share: np.ndarray

    @classmethod
    def of(cls, players: list[Player]) -> RosterArrays:
        def column(name: str) -> np.ndarray:
            return np.array([getattr(p, name) for p in players])

        return cls(
            rates=np.array([p.rates_per_minute for p in players]),
            role_minutes=column("role_minutes"),
            dnp_probability=column("dnp_probability"),
            rank=column("rank"),
            fg3_pct=column("fg3_pct"),
            fg2_pct=column("fg2_pct"),
            ft_pct=column("ft_pct"),
            oreb_share=column("oreb_share"),
        )


def context_factors(
    team: Team, opponent: Team, *, pace: float, is_home: bool, back_to_back: bool
) -> np.ndarray:
    """Multipliers of each per-minute rate for `team` in this game."""
    scoring = (
        team.offence
        * opponent.defence
        * (_HOME_EDGE if is_home else 1 / _HOME_EDGE)
        * (_BACK_TO_BACK_SCORING if back_to_back else 1.0)
    )
    factors = np.full(len(STAT_NAMES), pace)
    factors[_SCORING] *= scoring
    factors[AST] *= scoring**0.5
    return factors


def expected_stats(
    arrays: RosterArrays, roster: np.ndarray, known_out: set[int], factors: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Expected minutes and (points, rebounds, assists, threes) of `roster` without `known_out`."""
    minutes = arrays.role_minutes[roster] * (1 - arrays.dnp_probability[roster])
    minutes = np.where([index in known_out for index in roster], 0.0, minutes)
    for _ in range(3):
        minutes = np.minimum(minutes * TEAM_MINUTES / minutes.sum(), 40.0)
    made = arrays.rates[roster] * minutes[:, None] * factors
    points = 3 * made[:, FG3M] + 2 * made[:, FG2M] + made[:, FTM]
    return minutes, np.column_stack([points, made[:, REB], made[:, AST], made[:, FG3M]])


def play_side(
    rng: np.random.Generator,
    arrays: RosterArrays,
    playing: np.ndarray,
    factors: np.ndarray,
    *,
    back_to_back: bool,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The box score of the players in `playing`, and those hurt during the game."""
    ranks = arrays.rank[playing]
    starter = ranks < STARTERS
    role = arrays.role_minutes[playing] * np.where(
        back_to_back & starter, _BACK_TO_BACK_STARTER_MINUTES, 1.0
    )
    minutes = np.clip(rng.normal(role, np.where(starter, 4.0, 4.5)), 3.0, 42.0)
    hurt = rng.random(len(playing)) < _IN_GAME_INJURY_PROBABILITY
    minutes = _whole_minutes(np.where(hurt, minutes * rng.uniform(0.2, 0.7, len(playing)), minutes))
    factors = factors * np.where(_SCORING, rng.lognormal(0.0, 0.03), 1.0)
    made_rate = arrays.rates[playing] * minutes[:, None] * factors
    n = len(playing)
    form = rng.gamma(50.0, 1 / 50.0, n)
    fg3_pct, fg2_pct, ft_pct = (
        arrays.fg3_pct[playing],
        arrays.fg2_pct[playing],
        arrays.ft_pct[playing],
    )
    fg3a = _team_shots(rng, made_rate[:, FG3M] / fg3_pct * form)
    fg2a = _team_shots(rng, made_rate[:, FG2M] / fg2_pct * form)
    fta = _team_shots(rng, made_rate[:, FTM] / ft_pct * form)
    fg3m, fg2m, ftm = (
        rng.binomial(fg3a, fg3_pct),
        rng.binomial(fg2a, fg2_pct),
        rng.binomial(fta, ft_pct),
    )
    reb = rng.poisson(made_rate[:, REB] * rng.gamma(20.0, 1 / 20.0, n))
    oreb = rng.binomial(reb, arrays.oreb_share[playing])
    ast = rng.poisson(made_rate[:, AST] * rng.gamma(20.0, 1 / 20.0, n))
    others = rng.poisson(made_rate[:, [STL, BLK, TOV, PF]])
    box = {
        "player": playing,
        "minutes": minutes,
        "fgm": fg3m + fg2m,
        "fga": fg3a + fg2a,
        "fg3m": fg3m,
        "fg3a": fg3a,
        "ftm": ftm,
        "fta": fta,
        "oreb": oreb,
        "dreb": reb - oreb,
        "reb": reb,
        "ast": ast,
        "stl": others[:, 0],
        "blk": others[:, 1],
        "tov": others[:, 2],
        "pf": np.minimum(others[:, 3], 6),
    }
    return box, playing[hurt]


def _whole_minutes(minutes: np.ndarray) -> np.ndarray:
    """Scale to the team's 240, at most 46 a player, then round keeping the sum."""
    for _ in range(4):
        minutes = np.minimum(minutes * TEAM_MINUTES / minutes.sum(), 46.0)
    whole = np.maximum(np.floor(minutes), 1.0)
    short = int(TEAM_MINUTES - whole.sum())
    by_remainder = np.argsort(-(minutes - np.floor(minutes)), kind="stable")
    whole[by_remainder[: max(short, 0)]] += 1
    whole[np.argsort(-whole, kind="stable")[: max(-short, 0)]] -= 1
    return whole.astype(np.int64)


def _team_shots(rng: np.random.Generator, means: np.ndarray) -> np.ndarray:
    """Players' attempts with mean `means`, drawn as shares of one team total.

    Possessions bound a team's attempts, so the total varies a quarter as much as a Poisson
    count and teammates' attempts are negatively correlated, as in real box scores.
    """
    total_mean = float(means.sum())
    if total_mean <= 0:
        return np.zeros(len(means), np.int64)
    trials = max(int(np.ceil(4 * total_mean / 3)), 1)
    total = int(rng.binomial(trials, min(total_mean / trials, 1.0)))
    return rng.multinomial(total, means / total_mean)
