"""Auto-remediation decisions: which remedy a diagnosed cause has, and whether its safety limit
lets it act now or it must stop and page a person.

Pure functions over plain data: the remediation history (the audit rows of
`nba_orchestration.remediations`) and `[reliability.remediation.<action>]` in, a decision out.
The orchestrator's executor (`orchestration/remediate.py`) carries the decisions out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from nbaprops.reliability.config import RemediationConfig, RemediationLimit


class Action(StrEnum):
    """A remediation the system carries out by itself."""

    RETRIGGER_PHASE = "retrigger_phase"  # re-run Phase 3+ of a date once its late inputs arrived
    SWITCH_SOURCE = "switch_source"  # serve from the fallback source while the primary fails
    REQUEUE_STUCK = "requeue_stuck"  # record runs stuck 'running' as timed out so they are retried
    REGRADE = "regrade"  # grade a date again (its results run as the next attempt): box scores changed
    PAUSE_POLLING = "pause_polling"  # stop a source's window polls until its quota resets


class Verdict(StrEnum):
    ACT = "act"  # within the limit: carry it out
    PAGE = "page"  # past the limit: stop, and page a person once
    HOLD = "hold"  # switched off, or past the limit and already paged: do nothing


class Outcome(StrEnum):
    """How an audit row ended."""

    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    PAGED = "paged"


# What each diagnosis rule's cause is remedied by (rules not named have no remedy: a person fixes them).
REMEDY: dict[str, Action] = {
    "late_data": Action.RETRIGGER_PHASE,
    "breaker_open": Action.SWITCH_SOURCE,
    "forbidden_after_move": Action.SWITCH_SOURCE,
    "empty_payload": Action.SWITCH_SOURCE,
    "timed_out": Action.REQUEUE_STUCK,
    "quota_exhausted": Action.PAUSE_POLLING,
}
# Rows that spent the limit: an action tried, whatever came of it.
_SPENT = frozenset({Outcome.RUNNING, Outcome.SUCCESS, Outcome.FAILED})


def remedy_for(diagnosis_rule: str | None) -> Action | None:
    """The remediation of a diagnosed cause; None when a person must fix it."""
    return None if diagnosis_rule is None else REMEDY.get(diagnosis_rule)


@dataclass(frozen=True)
class PastRemediation:
    """One audit row, as the limits see it."""

    action: Action
    target: str
    game_date: date | None
    started_at: datetime
    outcome: Outcome


@dataclass(frozen=True)
class LimitState:
    """How much of its limit an action had used when it was judged."""

    for_date: int
    max_per_date: int
    today: int
    max_per_day: int
    enabled: bool = True

    @property
    def exceeded(self) -> bool:
        return self.for_date >= self.max_per_date or self.today >= self.max_per_day

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "for_date": self.for_date,
            "max_per_date": self.max_per_date,
            "today": self.today,
            "max_per_day": self.max_per_day,
        }

    def __str__(self) -> str:
        return f"{self.for_date}/{self.max_per_date} for the date, {self.today}/{self.max_per_day} today"


@dataclass(frozen=True)
class RemediationDecision:
    verdict: Verdict
    action: Action
    target: str
    game_date: date | None
    reason: str
    limit: LimitState


def limit_of(action: Action, config: RemediationConfig) -> RemediationLimit:
    """The `[reliability.remediation.<action>]` section of `action`."""
    limit: RemediationLimit = getattr(config, action.value)
    return limit


def decide(
    action: Action,
    *,
    target: str,
    game_date: date | None,
    history: Sequence[PastRemediation],
    config: RemediationConfig,
    now: datetime,
) -> RemediationDecision:
    """May `action` act on `target` (of `game_date`) now, given the remediations already made?

    Within both limits (`max_per_date` of this target and date, `max_per_day` of the action on
    `now`'s UTC day) it acts. Past one it pages a person once: once for the target and date when
    its date limit is spent, once a day for the action when the day's limit is spent; after that
    it holds. Switched off, it always holds.
    """
    limit = limit_of(action, config)
    mine = [past for past in history if past.action is action]
    same = [past for past in mine if past.target == target and past.game_date == game_date]
    today = [past for past in mine if past.started_at.date() == now.date()]
    state = LimitState(
        for_date=sum(past.outcome in _SPENT for past in same),
        max_per_date=limit.max_per_date,
        today=sum(past.outcome in _SPENT for past in today),
        max_per_day=limit.max_per_day,
        enabled=limit.enabled,
    )
    where = f"{action.value} of {target}" + ("" if game_date is None else f" for {game_date}")
    section = f"[reliability.remediation.{action.value}]"
    if not limit.enabled:
        return RemediationDecision(Verdict.HOLD, action, target, game_date, f"{where}: switched off ({section}).",
                                   state)
    if not state.exceeded:
        return RemediationDecision(Verdict.ACT, action, target, game_date, f"{where}: within its limit ({state}).",
                                   state)
    if state.for_date >= state.max_per_date:
        paged = any(past.outcome is Outcome.PAGED for past in same)
        spent = f"it already acted {state.for_date} times on it, the limit of max_per_date = {state.max_per_date}"
    else:
        paged = any(past.outcome is Outcome.PAGED for past in today)
        spent = f"it already acted {state.today} times today, the limit of max_per_day = {state.max_per_day}"
    if paged:
        return RemediationDecision(Verdict.HOLD, action, target, game_date,
                                   f"{where}: past its limit and a person was paged.", state)
    return RemediationDecision(
        Verdict.PAGE, action, target, game_date,
        f"Auto-remediation stopped: {where} is past its safety limit ({spent} in {section}); a person must "
        "look at it.",
        state,
    )


def quota_low(requests_left: int | None, config: RemediationConfig) -> bool:
    """A source's quota is low enough to pause its polls (unknown: not low)."""
    return requests_left is not None and requests_left <= config.pause_polling.quota_low_requests


def pause_until(now: datetime, *, resets_at: datetime | None, config: RemediationConfig) -> datetime:
    """When a pause started at `now` ends: the quota's reset when known (at most a day away),
    else `pause_minutes` later."""
    if resets_at is not None and resets_at > now:
        return min(resets_at, now + timedelta(days=1))
    return now + timedelta(minutes=config.pause_polling.pause_minutes)
