"""The thirty NBA franchises the synthetic league plays with, and their drawn strengths."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# tricode, nba.com TEAM_ID, full name, US/Eastern tip-off hours of a home weeknight game.
_FRANCHISES: tuple[tuple[str, int, str, tuple[float, ...]], ...] = (
    ("BOS", 1610612738, "Boston Celtics", (19.5,)),
    ("NYK", 1610612752, "New York Knicks", (19.5,)),
    ("MIL", 1610612749, "Milwaukee Bucks", (20.0,)),
    ("DEN", 1610612743, "Denver Nuggets", (21.0,)),
    ("LAL", 1610612747, "Los Angeles Lakers", (22.0, 22.5)),
    ("GSW", 1610612744, "Golden State Warriors", (22.0,)),
    ("PHI", 1610612755, "Philadelphia 76ers", (19.0,)),
    ("MIA", 1610612748, "Miami Heat", (19.5,)),
    ("DAL", 1610612742, "Dallas Mavericks", (20.5,)),
    ("PHX", 1610612756, "Phoenix Suns", (21.0, 22.0)),
    ("OKC", 1610612760, "Oklahoma City Thunder", (20.0,)),
    ("MIN", 1610612750, "Minnesota Timberwolves", (20.0,)),
    ("CLE", 1610612739, "Cleveland Cavaliers", (19.0,)),
    ("SAC", 1610612758, "Sacramento Kings", (22.0,)),
    ("LAC", 1610612746, "LA Clippers", (22.0, 22.5)),
    ("MEM", 1610612763, "Memphis Grizzlies", (20.0,)),
    ("NOP", 1610612740, "New Orleans Pelicans", (20.0,)),
    ("IND", 1610612754, "Indiana Pacers", (19.0,)),
    ("ATL", 1610612737, "Atlanta Hawks", (19.5,)),
    ("CHI", 1610612741, "Chicago Bulls", (20.0,)),
    ("TOR", 1610612761, "Toronto Raptors", (19.5,)),
    ("ORL", 1610612753, "Orlando Magic", (19.0,)),
    ("HOU", 1610612745, "Houston Rockets", (20.0,)),
    ("BKN", 1610612751, "Brooklyn Nets", (19.5,)),
    ("UTA", 1610612762, "Utah Jazz", (21.0,)),
    ("SAS", 1610612759, "San Antonio Spurs", (20.0,)),
    ("POR", 1610612757, "Portland Trail Blazers", (22.0,)),
    ("CHA", 1610612766, "Charlotte Hornets", (19.0,)),
    ("WAS", 1610612764, "Washington Wizards", (19.0,)),
    ("DET", 1610612765, "Detroit Pistons", (19.0,)),
)

MAX_TEAMS = len(_FRANCHISES)


@dataclass(frozen=True)
class Team:
    """One franchise and the strengths that shape its games all season."""

    index: int
    tricode: str
    team_id: int
    name: str
    home_tipoff_hours_et: tuple[float, ...]
    offence: float  # multiplies the team's scoring chances
    defence: float  # multiplies the opponents' scoring chances (above 1: a weak defence)
    pace: float  # multiplies the possessions of the team's games


def make_teams(rng: np.random.Generator, *, count: int) -> list[Team]:
    """The first `count` franchises with strengths drawn around the league average."""
    offence = rng.normal(1.0, 0.035, MAX_TEAMS)
    defence = rng.normal(1.0, 0.035, MAX_TEAMS)
    pace = rng.normal(1.0, 0.025, MAX_TEAMS)
    return [
        Team(
            index=i,
            tricode=tricode,
            team_id=team_id,
            name=name,
            home_tipoff_hours_et=hours,
            offence=float(offence[i]),
            defence=float(defence[i]),
            pace=float(pace[i]),
        )
        for i, (tricode, team_id, name, hours) in enumerate(_FRANCHISES[:count])
    ]
