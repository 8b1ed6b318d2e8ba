"""Phase gates: may the next phase start, from the states and record counts of the phase before?"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, assert_never

from nbaprops.orchestration.completeness import completeness, format_percent, retry_delay_seconds
from nbaprops.orchestration.settings import GateConfig, ModeConfig, TriggerMode


class ProcessorState(StrEnum):
    """The state of a processor's latest attempt (the `status` of processor_run_history)."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCESS = "success"
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ProcessorStatus:
    """Where one processor stands for one game_date.

    `records` / `expected` is its completeness; `expected` counts only records that can really
    exist, so 100% is reachable. `attempts` counts runs so far, the current one included.
    """

    processor: str
    state: ProcessorState
    records: int | None = None
    expected: int | None = None
    attempts: int = 0

    def __post_init__(self) -> None:
        for name in ("records", "expected", "attempts"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(
                    f"{name} of processor {self.processor} must not be negative, got {value}."
                )
        if self.state is not ProcessorState.PENDING and self.attempts < 1:
            raise ValueError(
                f"attempts of processor {self.processor} must be at least 1 when it is "
                f"{self.state}, got {self.attempts}."
            )

    @property
    def completeness(self) -> float | None:
        """records / expected (1.0 when nothing is expected); None when either is unknown."""
        if self.records is None or self.expected is None:
            return None
        return completeness(self.records, self.expected)


class GateAction(StrEnum):
    """What the orchestrator does next."""

    PROCEED = "proceed"  # every processor is complete
    WAIT = "wait"  # check again later
    PROCEED_DEGRADED = "proceed_degraded"  # enough is complete; run without the rest
    FAIL = "fail"  # give up on this gate and alert


@dataclass(frozen=True)
class GateDecision:
    """A gate's decision.

    `blocking`: the processors the gate waits for or failed on. `retry_due`: failed processors with
    attempts left, and the seconds after their failure to re-run them (empty when the gate fails).
    `inputs`: JSON-able, everything the decision was made on, for the orchestration event.
    """

    gate: str
    action: GateAction
    reason: str
    alert: bool
    blocking: tuple[str, ...]
    retry_due: Mapping[str, float]
    inputs: dict[str, Any]


class _Verdict(StrEnum):
    COMPLETE = "complete"
    MISSING = "missing"
    PENDING = "pending"
    RUNNING = "running"
    RETRY_DUE = "retry_due"
    EXHAUSTED = "exhausted"
    INCOMPLETE = "incomplete"


_ALERTING = frozenset({_Verdict.MISSING, _Verdict.RETRY_DUE, _Verdict.EXHAUSTED})


@dataclass(frozen=True)
class _Check:
    processor: str
    role: str
    status: ProcessorStatus | None
    verdict: _Verdict
    phrase: str
    retry_delay_seconds: float | None = None


def decide_gate(
    gate: GateConfig,
    *,
    mode: ModeConfig,
    statuses: Mapping[str, ProcessorStatus],
    waited_minutes: float,
) -> GateDecision:
    """Decide `gate` from the processors' `statuses` (keyed by processor; absent: not reported)
    after waiting `waited_minutes` for it."""
    if not (math.isfinite(waited_minutes) and waited_minutes >= 0):
        raise ValueError(
            f"waited_minutes must be a finite number, not negative, got {waited_minutes}."
        )
    for key, status in statuses.items():
        if key != status.processor:
            raise ValueError(
                f"statuses['{key}'] holds the status of processor '{status.processor}'; "
                "key each status by its own processor."
            )
    max_wait_minutes = mode.max_wait_for(gate)
    checks = [
        _judge(gate, mode, processor, statuses.get(processor)) for processor in gate.processors
    ]
    done = [check for check in checks if check.verdict is _Verdict.COMPLETE]
    undone = [check for check in checks if check.verdict is not _Verdict.COMPLETE]

    match gate.trigger_mode:
        case TriggerMode.CRITICAL_ONLY:
            needed = [check for check in undone if check.role == "critical"]
            ready = not needed
            hopeless = any(check.verdict is _Verdict.EXHAUSTED for check in needed)
        case TriggerMode.ALL_COMPLETE:
            needed = undone
            ready = not needed
            hopeless = any(check.verdict is _Verdict.EXHAUSTED for check in needed)
        case TriggerMode.ANY_COMPLETE:
            needed = [] if done else undone
            ready = bool(done)
            hopeless = bool(needed) and all(c.verdict is _Verdict.EXHAUSTED for c in needed)
        case _:
            assert_never(gate.trigger_mode)

    waited = f"waited {_minutes(waited_minutes)} of {_minutes(max_wait_minutes)} minutes"
    if ready and not undone:
        action, alert = GateAction.PROCEED, False
        reason = f"Every processor is complete: {_join(done, ', ')}."
    elif ready:
        action = GateAction.PROCEED_DEGRADED
        alert = gate.alert_on_optional_failure and any(c.verdict in _ALERTING for c in undone)
        reason = f"Complete: {_join(done, ', ')}. Proceeding without: {_join(undone)}."
    elif hopeless:
        action, alert = GateAction.FAIL, True
        reason = f"{_join(needed)}; {waited}, and no attempts are left, so the gate fails."
    elif waited_minutes >= max_wait_minutes:
        action, alert = GateAction.FAIL, True
        reason = f"{_join(needed)}; {waited}, the maximum wait, so the gate fails."
    else:
        action, alert = GateAction.WAIT, False
        reason = f"{_join(needed)}; {waited}."

    retry_due = {
        check.processor: check.retry_delay_seconds
        for check in checks
        if check.retry_delay_seconds is not None and action is not GateAction.FAIL
    }
    inputs = {
        "gate": gate.name,
        "trigger_mode": gate.trigger_mode.value,
        "run_mode": mode.mode.value,
        "min_completeness": mode.min_completeness,
        "max_wait_minutes": max_wait_minutes,
        "waited_minutes": waited_minutes,
        "max_attempts": gate.retry.max_attempts,
        "processors": {check.processor: _describe(check) for check in checks},
    }
    return GateDecision(
        gate=gate.name,
        action=action,
        reason=reason,
        alert=alert,
        blocking=tuple(check.processor for check in needed),
        retry_due=retry_due,
        inputs=inputs,
    )


def _judge(
    gate: GateConfig, mode: ModeConfig, processor: str, status: ProcessorStatus | None
) -> _Check:
    """One processor's verdict, and its standing in words with its numbers."""
    role = "critical" if processor in gate.critical else "optional"
    if status is None:
        return _Check(processor, role, None, _Verdict.MISSING, f"{processor} has not reported")

    def check(verdict: _Verdict, phrase: str, delay_seconds: float | None = None) -> _Check:
        return _Check(processor, role, status, verdict, phrase, delay_seconds)

    match status.state:
        case ProcessorState.PENDING:
            return check(_Verdict.PENDING, f"{processor} is pending")
        case ProcessorState.RUNNING:
            return check(_Verdict.RUNNING, f"{processor} is running attempt {status.attempts}")
        case ProcessorState.FAILED:
            failed = f"{processor} failed on attempt {status.attempts} of {gate.retry.max_attempts}"
            delay_seconds = retry_delay_seconds(gate.retry, attempt=status.attempts)
            if delay_seconds is None:
                return check(_Verdict.EXHAUSTED, f"{failed} with no attempts left")
            retrying = f"retrying after {_minutes(delay_seconds / 60)} minutes"
            return check(_Verdict.RETRY_DUE, f"{failed}, {retrying}", delay_seconds)
        case ProcessorState.SUCCESS | ProcessorState.SKIPPED | ProcessorState.PARTIAL:
            ratio = status.completeness
            if ratio is None and status.state is ProcessorState.PARTIAL:
                return check(_Verdict.INCOMPLETE, f"{processor} is partial with no expected count")
            if ratio is None:
                # Without an expected count a success is taken at its word.
                done = "succeeded" if status.state is ProcessorState.SUCCESS else "was skipped"
                return check(_Verdict.COMPLETE, f"{processor} {done}")
            percent = format_percent(ratio)
            counts = f"{processor} at {status.records}/{status.expected} records ({percent})"
            if ratio >= mode.min_completeness:
                return check(_Verdict.COMPLETE, counts)
            minimum = f"{mode.mode} minimum {mode.min_completeness * 100:g}%"
            return check(_Verdict.INCOMPLETE, f"{counts} is below {minimum}")
        case _:
            assert_never(status.state)


def _join(checks: list[_Check], separator: str = "; ") -> str:
    return separator.join(check.phrase for check in checks)


def _minutes(value: float) -> str:
    # Rounded down, so a gate still waiting never reads "waited 60 of 60 minutes".
    return f"{math.floor(round(value * 10, 6)) / 10:g}"


def _describe(check: _Check) -> dict[str, Any]:
    status = check.status
    return {
        "role": check.role,
        "state": None if status is None else status.state.value,
        "records": None if status is None else status.records,
        "expected": None if status is None else status.expected,
        "attempts": 0 if status is None else status.attempts,
        "completeness": None if status is None else status.completeness,
        "verdict": check.verdict.value,
    }
