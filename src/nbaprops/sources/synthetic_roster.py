"""Players of the synthetic league: a minutes role and persistent per-minute skills."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nbaprops.sources.synthetic_names import invent_names
from nbaprops.sources.synthetic_teams import Team

# Per-minute counting rates, in the column order of `STAT_NAMES`, by position (guard, wing, big),
# per 36 minutes. Attempts follow from made rates and shooting percentages.
STAT_NAMES = ("fg3m", "fg2m", "ftm", "reb", "ast", "stl", "blk", "tov", "pf")
_PER36_BY_POSITION = np.array(
    [
        [2.4, 4.0, 2.8, 4.2, 6.0, 1.2, 0.3, 2.4, 2.2],
        [2.0, 4.2, 2.6, 6.0, 3.2, 1.1, 0.6, 1.8, 2.6],
        [0.6, 5.5, 2.8, 10.5, 2.6, 0.8, 1.6, 2.0, 3.4],
    ]
)
# League per-240-minute totals every roster is scaled to (112 points, 44 rebounds, 26.5 assists).
_TEAM_TOTALS = np.array([13.0, 28.0, 17.0, 44.0, 26.5, 8.0, 5.0, 14.0, 19.0])
_SCORING = np.array([True, True, True, False, False, False, False, True, False])

# Minutes role by depth chart rank: five starters, a rotation, a bench and a deep bench.
ROLE_MINUTES = (35.0, 34.0, 33.0, 32.0, 30.0, 25.0, 22.0, 18.0, 14.0, 11.0, 9.0, 7.0, 6.0, 5.0, 4.0)
COACH_DNP_PROBABILITY = (
    0.005,
    0.005,
    0.005,
    0.005,
    0.01,
    0.02,
    0.02,
    0.03,
    0.05,
    0.15,
    0.25,
    0.35,
    0.55,
    0.65,
    0.75,
)
_POSITIONS_BY_RANK = (0, 0, 1, 1, 2, 0, 1, 2, 1, 0, 2, 1, 0, 1, 2)
STARTERS = 5


@dataclass(frozen=True)
class Player:
    """One rostered player: who, where in the rotation, and how good per minute."""

    index: int
    player_id: int
    name: str
    team_index: int
    rank: int  # depth chart position, 0 = best starter
    role_minutes: float  # minutes expected when healthy and in the rotation
    dnp_probability: float  # chance of a coach's decision not to play him
    rates_per_minute: tuple[float, ...]  # made/count rates per minute, in `STAT_NAMES` order
    fg3_pct: float
    fg2_pct: float
    ft_pct: float
    oreb_share: float


def make_roster(
    rng: np.random.Generator, teams: list[Team], *, players_per_team: int
) -> list[Player]:
    """`players_per_team` players a team, skills scaled so every team sums to league totals."""
    names = invent_names(rng, count=len(teams) * players_per_team)
    roles = np.array(ROLE_MINUTES[:players_per_team])
    dnp = np.array(COACH_DNP_PROBABILITY[:players_per_team])
    expected_minutes = roles * (1 - dnp)
    expected_minutes *= 240.0 / expected_minutes.sum()
    players: list[Player] = []
    for team in teams:
        positions = np.array(_POSITIONS_BY_RANK[:players_per_team])
        rates = _PER36_BY_POSITION[positions] / 36.0
        usage = np.clip(rng.lognormal(0.0, 0.25, players_per_team), 0.6, 1.6)
        usage *= np.where(np.arange(players_per_team) < 3, 1.3, 1.0)
        rates = rates * np.where(_SCORING, usage[:, None], 1.0)
        rates[:, 4] *= usage**0.5
        rates *= rng.lognormal(0.0, 0.2, rates.shape)
        no_threes = (positions == 2) & (rng.random(players_per_team) < 0.4)
        rates[no_threes, 0] *= 0.08
        rates *= _TEAM_TOTALS / (expected_minutes[:, None] * rates).sum(axis=0)
        is_big = positions == 2
        fg3_pct = np.clip(rng.normal(0.36, 0.03, players_per_team), 0.25, 0.45)
        fg2_pct = np.clip(rng.normal(np.where(is_big, 0.58, 0.52), 0.04), 0.42, 0.70)
        ft_pct = np.clip(rng.normal(np.where(is_big, 0.70, 0.80), 0.06), 0.50, 0.93)
        oreb_share = np.clip(rng.normal(np.where(is_big, 0.33, 0.18), 0.05), 0.05, 0.5)
        for rank in range(players_per_team):
            index = len(players)
            players.append(
                Player(
                    index=index,
                    player_id=1_630_000 + 17 * index,
                    name=names[index],
                    team_index=team.index,
                    rank=rank,
                    role_minutes=float(roles[rank]),
                    dnp_probability=float(dnp[rank]),
                    rates_per_minute=tuple(float(r) for r in rates[rank]),
                    fg3_pct=float(fg3_pct[rank]),
                    fg2_pct=float(fg2_pct[rank]),
                    ft_pct=float(ft_pct[rank]),
                    oreb_share=float(oreb_share[rank]),
                )
            )
    return players
