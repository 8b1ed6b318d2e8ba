"""Who is available for a synthetic game, and the injury report entries filed before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from nbaprops.sources.synthetic_roster import STARTERS, Player
from nbaprops.sources.synthetic_schedule import ScheduledGame

RULED_OUT = ("out", "doubtful")
MIN_PLAYERS = 8
_ILLNESS_PROBABILITY = 0.002
_REST_PROBABILITY = 0.04  # a starter on the second night of a back-to-back
_PROBABLE_LISTING_PROBABILITY = 0.01
_INJURIES = (
    "Left Ankle; Sprain", "Right Ankle; Sprain", "Left Hamstring; Strain", "Right Knee; Soreness",
    "Low Back; Soreness", "Right Calf; Strain", "Left Foot; Contusion", "Concussion Protocol",
)
_MINOR = (
    "Left Wrist; Soreness", "Right Thumb; Sprain", "Left Knee; Contusion", "Low Back; Tightness",
)


@dataclass
class Availability:
    """One player's status before a game: the reports filed, and whether he plays."""

    plays: bool
    reports: list[tuple[str, str, datetime]]  # (status, reason, reported_at), in filing order
    coach_decision: bool = False


def status_at(entry: Availability, moment: datetime) -> str | None:
    """The player's latest injury report status filed at or before `moment`."""
    filed = [status for status, _, reported_at in entry.reports if reported_at <= moment]
    return filed[-1] if filed else None


class InjuryState:
    """Who is hurt and for how many more team games, carried from game to game."""

    def __init__(self, player_count: int) -> None:
        self.out_games = np.zeros(player_count, dtype=np.int64)
        self.reason = [""] * player_count
        self.returning = np.zeros(player_count, dtype=bool)

    def hurt_in_game(self, rng: np.random.Generator, index: int) -> None:
        """Out for one to about ten more games, starting with the next."""
        self.out_games[index] = 1 + int(rng.geometric(0.25))
        self.reason[index] = _INJURIES[int(rng.integers(len(_INJURIES)))]

    def before_game(
        self,
        rng: np.random.Generator,
        roster: list[Player],
        game: ScheduledGame,
        *,
        back_to_back: bool,
    ) -> dict[int, Availability]:
        """Who plays; most absences are reported hours ahead, some late, some never."""
        draws = rng.random((len(roster), 8))
        result: dict[int, Availability] = {}
        for u, player in zip(draws, roster, strict=True):

            def before(low_hours: float, high_hours: float, x: float) -> datetime:
                return game.tipoff_utc - timedelta(hours=low_hours + (high_hours - low_hours) * x)

            index = player.index
            reason = self.reason[index]
            if self.out_games[index] > 0:
                status = "doubtful" if u[0] < 0.15 else "out"
                plays = status == "doubtful" and u[1] < 0.1
                reports = [(status, reason, before(4, 26, u[3]))] if u[2] < 0.9 else []
                if plays:
                    self.out_games[index] = 0
                else:
                    self.out_games[index] -= 1
                    self.returning[index] = self.out_games[index] == 0
                result[index] = Availability(bool(plays), reports)
            elif self.returning[index]:
                plays = bool(u[0] < 0.7)
                reports = [("questionable", reason, before(6, 26, u[1]))] if u[2] < 0.85 else []
                if u[3] < (0.6 if plays else 0.8):
                    reports.append(
                        ("available" if plays else "out", reason, before(0.5, 1.5, u[4]))
                    )
                self.returning[index] = not plays
                result[index] = Availability(plays, reports)
            elif u[0] < _ILLNESS_PROBABILITY:
                self.reason[index] = "Illness"
                self.out_games[index] = int(u[1] < 0.4)
                self.returning[index] = self.out_games[index] == 0
                reports = [("out", "Illness", before(0.75, 3, u[3]))] if u[2] < 0.7 else []
                result[index] = Availability(False, reports)
            elif (
                back_to_back
                and player.rank < STARTERS
                and u[0] < _ILLNESS_PROBABILITY + _REST_PROBABILITY
            ):
                reports = [("out", "Rest", before(2, 20, u[3]))] if u[2] < 0.7 else []
                result[index] = Availability(False, reports)
            elif u[5] < _PROBABLE_LISTING_PROBABILITY:
                minor = _MINOR[int(u[6] * len(_MINOR))]
                result[index] = Availability(True, [("probable", minor, before(6, 26, u[3]))])
            else:
                benched = bool(u[7] < player.dnp_probability)
                result[index] = Availability(not benched, [], coach_decision=benched)
        # A coach dresses enough players: the deep bench plays when too many are out.
        playing = sum(entry.plays for entry in result.values())
        sat_by_coach = [index for index, entry in result.items() if entry.coach_decision]
        for index in sat_by_coach[: max(0, MIN_PLAYERS - playing)]:
            result[index].plays = True
        return result
