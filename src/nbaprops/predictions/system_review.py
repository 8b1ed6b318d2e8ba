"""The verdicts on prediction systems' roles, as plain functions over their graded records.

- `review_verdict`: a canary or shadow with enough rows graded on the champion's rows is promoted
  when its Brier score beats the champion's with the configured confidence; a canary worse with that
  confidence is rolled back to shadow. Otherwise the roles hold.
- `decay_verdict`: the champion's rolling record decays when its Brier falls behind the market's on
  the same rows, or its hit rate at its picks falls below the break-even rate of the prices taken,
  each with the configured confidence.
- `canary_owns`: which rows' picks the canary makes, by a hash of (game, player, market).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from nbaprops.metrics.intervals import wilson_interval
from nbaprops.metrics.paired_brier import PairedBrier
from nbaprops.predictions.systems_config import Role


class Action(StrEnum):
    PROMOTE = "promote"
    ROLLBACK = "rollback"
    HOLD = "hold"


@dataclass(frozen=True)
class Verdict:
    """What to do with one system, and why (the sentence stored with the decision)."""

    action: Action
    reason: str


def review_verdict(role: Role, record: PairedBrier, *, min_rows: int, min_days: int) -> Verdict:
    """The verdict on a system in `role` from `record`, its Brier against the champion's on the same rows."""
    if role not in ("canary", "shadow"):
        return Verdict(Action.HOLD, f"a {role} is not reviewed")
    if record.rows < min_rows or record.days < min_days:
        return Verdict(Action.HOLD, f"{record.rows} rows of {record.days} days graded with the champion, "
                                    f"{min_rows} rows of {min_days} days needed")
    described = record.describe()
    if record.first_better:
        return Verdict(Action.PROMOTE, f"beats the champion: {described}")
    if record.first_worse and role == "canary":
        return Verdict(Action.ROLLBACK, f"worse than the champion: {described}")
    return Verdict(Action.HOLD, f"no verdict: {described}")


@dataclass(frozen=True)
class HitRecord:
    """The champion's graded picks in the window: wins, decided picks, and the break-even rate of
    the prices taken (the mean of their implied probabilities)."""

    wins: int
    picks: int
    break_even: float | None

    def to_json(self) -> dict[str, Any]:
        return {"wins": self.wins, "picks": self.picks, "break_even": self.break_even}


@dataclass(frozen=True)
class DecayVerdict:
    """Whether the champion's rolling record decays, with one reason per failed check."""

    decayed: bool
    reasons: tuple[str, ...]

    def describe(self) -> str:
        return "; ".join(self.reasons)


def decay_verdict(
    versus_market: PairedBrier, hits: HitRecord, *, confidence: float, min_rows: int, min_days: int
) -> DecayVerdict:
    """Decay when, with `min_rows` graded rows, the champion is worse than the market's Brier (lower
    bound above 0, over at least `min_days` days: a day-clustered bound needs days, not only rows) or
    its hit rate's upper bound (one-sided, `confidence`) is below break-even."""
    reasons = []
    if versus_market.rows >= min_rows and versus_market.days >= min_days and versus_market.first_worse:
        reasons.append(f"behind the market: {versus_market.describe('champion', 'market')}")
    if hits.picks >= min_rows and hits.break_even is not None:
        _, high = wilson_interval(hits.wins, hits.picks, confidence=2 * confidence - 1)
        if high < hits.break_even:
            reasons.append(f"hit rate {hits.wins / hits.picks:.1%} of {hits.picks} picks, {confidence:.0%} upper "
                           f"bound {high:.1%} below break-even {hits.break_even:.1%} at the prices taken")
    return DecayVerdict(bool(reasons), tuple(reasons))


def canary_owns(game_id: str, player_lookup: str, market: str, *, share: float) -> bool:
    """Whether the canary makes this row's pick: a hash of (game, player, market) below `share`,
    so a re-run routes every row the same way and about `share` of the rows go to the canary."""
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share {share!r} must lie between 0 and 1.")
    digest = hashlib.sha256(f"{game_id}|{player_lookup}|{market}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64 < share
