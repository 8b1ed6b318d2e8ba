"""Alert rules: plain functions from `AlertSignals` to the alerts firing now.

Time limits fire when strictly exceeded, ratios and counts when strictly below their minimum,
and error bursts when they reach their maximum.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from nbaprops.alerting.config import (
    BreakerOpenRule,
    GradingAccuracyLowRule,
    GradingGapRule,
    Phase3CompletionLowRule,
    Phase3DataStaleRule,
    Phase4NotTriggeredRule,
    PredictionVolumeLowRule,
    RetryBudgetExhaustedRule,
    RuleConfig,
    RulesConfig,
    SourceDownRule,
    StuckWorkRule,
    WorkerErrorsHighRule,
)
from nbaprops.alerting.model import Alert
from nbaprops.alerting.signals import AlertSignals
from nbaprops.suggestions import regrade_day, rerun_day


def evaluate(signals: AlertSignals, rules: RulesConfig) -> list[Alert]:
    """Run the enabled rules; attach known diagnoses; mark alerts a pending retry will handle."""
    alerts: list[Alert] = []
    for name, check in _RULES:
        rule = getattr(rules, name)
        if rule.enabled:
            alerts.extend(check(signals, rule))
    return [
        replace(
            alert,
            diagnosis=alert.diagnosis or signals.diagnoses.get(alert.component),
            retry_pending=alert.retry_pending
            or alert.component in signals.retry_pending_components,
        )
        for alert in alerts
    ]


def phase3_completion_low(signals: AlertSignals, rule: Phase3CompletionLowRule) -> list[Alert]:
    """Under `min_completion_ratio` of Phase 3 processors succeeded, `grace_minutes` after start."""
    expected = signals.phase3_processors_expected
    started = signals.phase3_started_utc
    if (
        not expected
        or started is None
        or signals.now_utc - started <= timedelta(minutes=rule.grace_minutes)
    ):
        return []
    complete = [name for name in expected if name in set(signals.phase3_processors_complete)]
    ratio = len(complete) / len(expected)
    if ratio >= rule.min_completion_ratio:
        return []
    missing = [name for name in expected if name not in complete]
    minutes = _minutes(signals.now_utc - started)
    return [
        _alert(
            "phase3_completion_low",
            rule,
            "phase3",
            f"Phase 3 completed {len(complete)} of {len(expected)} processors ({ratio:.0%}) for "
            f"{_day(signals)} {minutes} minutes after it started, below the "
            f"{rule.min_completion_ratio:.0%} minimum; "
            f"missing: {', '.join(missing)}.",
            details={
                "expected": len(expected),
                "complete": len(complete),
                "ratio": round(ratio, 4),
                "missing": missing,
                "minutes_since_start": minutes,
            },
            labels=_game_date_label(signals),
            diagnosis=_upstream_cause(signals),
        )
    ]


def phase3_data_stale(signals: AlertSignals, rule: Phase3DataStaleRule) -> list[Alert]:
    """Phase 3 has not caught up with new Phase 2 data for more than `max_age_hours`.

    Measured against its inputs, not the wall clock: a daily pipeline legitimately leaves Phase 3
    untouched for most of a day, but new raw data that Phase 3 has not processed within the limit
    means the analytics are stale. Without Phase 2 timing, the age of Phase 3 itself is used.
    """
    last = signals.phase3_last_success_utc
    if last is None:
        return []
    newer_input = signals.phase2_last_success_utc
    if newer_input is not None and newer_input <= last:
        return []
    waiting_since = last if newer_input is None else newer_input
    if (signals.now_utc - waiting_since).total_seconds() / 3600 <= rule.max_age_hours:
        return []
    age_hours = (signals.now_utc - last).total_seconds() / 3600
    return [
        _alert(
            "phase3_data_stale",
            rule,
            "phase3",
            f"The newest Phase 3 data is {age_hours:.1f} h old "
            f"(last success {last:%Y-%m-%d %H:%M} UTC), "
            f"above the {rule.max_age_hours:g} h limit.",
            details={
                "age_hours": round(age_hours, 3),
                "last_success_utc": last.isoformat(),
                "max_age_hours": rule.max_age_hours,
            },
            labels=_game_date_label(signals),
            diagnosis=_upstream_cause(signals),
        )
    ]


def phase4_not_triggered(signals: AlertSignals, rule: Phase4NotTriggeredRule) -> list[Alert]:
    """Phase 3 finished more than `max_delay_minutes` ago and Phase 4 has not started since."""
    finished = signals.phase3_finished_utc
    started = signals.phase4_started_utc
    if finished is None or (started is not None and started >= finished):
        return []
    waited = signals.now_utc - finished
    if waited <= timedelta(minutes=rule.max_delay_minutes):
        return []
    minutes = _minutes(waited)
    return [
        _alert(
            "phase4_not_triggered",
            rule,
            "phase4",
            f"Phase 4 has not started for {_day(signals)} {minutes} minutes after Phase 3 finished "
            f"({finished:%H:%M} UTC); the limit is {rule.max_delay_minutes:g} minutes.",
            details={"phase3_finished_utc": finished.isoformat(), "minutes_waiting": minutes},
            labels=_game_date_label(signals),
            diagnosis=_upstream_cause(signals),
        )
    ]


def grading_accuracy_low(signals: AlertSignals, rule: GradingAccuracyLowRule) -> list[Alert]:
    """Accuracy under `max_accuracy` on `min_sample`+ gradings, significantly below history."""
    correct, total = signals.grading_correct, signals.grading_total
    if correct is None or total is None or total < rule.min_sample:
        return []
    accuracy = correct / total
    if accuracy >= rule.max_accuracy:
        return []
    history_correct, history_total = signals.grading_history_correct, signals.grading_history_total
    if (
        history_correct is not None
        and history_total is not None
        and history_total >= rule.min_history_sample
    ):
        baseline, baseline_source = history_correct / history_total, "history"
    else:
        baseline, baseline_source = rule.baseline_accuracy, "configured baseline"
    p_value = _binomial_p_less(correct, total, baseline)
    if p_value >= rule.alpha:
        return []
    day = (
        signals.grading_game_date.isoformat()
        if signals.grading_game_date
        else "the latest graded day"
    )
    return [
        _alert(
            "grading_accuracy_low",
            rule,
            "grading",
            f"Accuracy on {day} was {correct}/{total} ({accuracy:.1%}), below "
            f"{rule.max_accuracy:.0%} and significantly below the {baseline_source} "
            f"{baseline:.1%} (one-sided binomial p={p_value:.2g}).",
            details={
                "correct": correct,
                "total": total,
                "accuracy": round(accuracy, 4),
                "baseline_accuracy": round(baseline, 4),
                "baseline_source": baseline_source,
                "p_value": p_value,
                "alpha": rule.alpha,
            },
            labels={"game_date": signals.grading_game_date.isoformat()}
            if signals.grading_game_date
            else {},
        )
    ]


def prediction_volume_low(signals: AlertSignals, rule: PredictionVolumeLowRule) -> list[Alert]:
    """Fewer predictions than `min_predictions`, scaled from `reference_games` to the games."""
    games, count = signals.games_scheduled, signals.predictions_count
    if not games or count is None:
        return []
    minimum = math.ceil(rule.min_predictions * games / rule.reference_games)
    if count >= minimum:
        return []
    return [
        _alert(
            "prediction_volume_low",
            rule,
            "predictions",
            f"Only {count} predictions for {games} games on {_day(signals)}; "
            f"expected at least {minimum} "
            f"({rule.min_predictions} per {rule.reference_games} games)."
            + (f" Run the day again with {rerun_day(signals.game_date)}." if signals.game_date else ""),
            details={"predictions": count, "games": games, "minimum": minimum},
            labels=_game_date_label(signals),
            diagnosis=_upstream_cause(signals),
        )
    ]


def worker_errors_high(signals: AlertSignals, rule: WorkerErrorsHighRule) -> list[Alert]:
    """At least `max_errors` worker errors within the last `window_minutes`."""
    since = signals.now_utc - timedelta(minutes=rule.window_minutes)
    recent = [t for t in signals.worker_error_times_utc if since < t <= signals.now_utc]
    if len(recent) < rule.max_errors:
        return []
    return [
        _alert(
            "worker_errors_high",
            rule,
            "workers",
            f"{len(recent)} worker errors in the last {rule.window_minutes:g} minutes "
            f"(limit {rule.max_errors}).",
            details={
                "errors": len(recent),
                "window_minutes": rule.window_minutes,
                "first_utc": min(recent).isoformat(),
                "last_utc": max(recent).isoformat(),
            },
        )
    ]


def source_down(signals: AlertSignals, rule: SourceDownRule) -> list[Alert]:
    """One alert per data source found down."""
    return [
        _alert(
            "source_down",
            rule,
            "sources",
            f"Source {source} is down: {reason.rstrip('.')}.",
            details={"source": source, "reason": reason},
            labels={"source": source, **_game_date_label(signals)},
        )
        for source, reason in signals.sources_down
    ]


def breaker_open(signals: AlertSignals, rule: BreakerOpenRule) -> list[Alert]:
    """One alert per open circuit breaker."""
    return [
        _alert(
            "breaker_open",
            rule,
            "sources",
            f"Circuit breaker {breaker} is open; calls through it are skipped until it half-opens.",
            details={"breaker": breaker},
            labels={"source": breaker},
        )
        for breaker in signals.breakers_open
    ]


def stuck_work(signals: AlertSignals, rule: StuckWorkRule) -> list[Alert]:
    """One alert per processor run running longer than `max_runtime_minutes`."""
    limit = timedelta(minutes=rule.max_runtime_minutes)
    return [
        _alert(
            "stuck_work",
            rule,
            run.phase,
            f"Processor {run.processor} ({run.phase}) for {run.game_date.isoformat()} "
            f"has been running for "
            f"{_minutes(signals.now_utc - run.started_utc)} minutes (run {run.run_id}), above the "
            f"{rule.max_runtime_minutes:g}-minute limit.",
            details={
                "processor": run.processor,
                "run_id": run.run_id,
                "started_utc": run.started_utc.isoformat(),
                "minutes_running": _minutes(signals.now_utc - run.started_utc),
            },
            labels={
                "processor": run.processor,
                "phase": run.phase,
                "game_date": run.game_date.isoformat(),
            },
        )
        for run in signals.runs_in_progress
        if signals.now_utc - run.started_utc > limit
    ]


def grading_gap(signals: AlertSignals, rule: GradingGapRule) -> list[Alert]:
    """Final game dates left ungraded for more than `max_lag_days`."""
    today = signals.now_utc.date()
    late = sorted(d for d in signals.ungraded_game_dates if (today - d).days > rule.max_lag_days)
    if not late:
        return []
    oldest = late[0]
    return [
        _alert(
            "grading_gap",
            rule,
            "grading",
            f"{len(late)} final game date(s) are not graded, the oldest {oldest.isoformat()} "
            f"({(today - oldest).days} days ago; the limit is {rule.max_lag_days}); grade it "
            f"with {regrade_day(oldest)}.",
            details={"ungraded_game_dates": [d.isoformat() for d in late]},
        )
    ]


def retry_budget_exhausted(signals: AlertSignals, rule: RetryBudgetExhaustedRule) -> list[Alert]:
    """One alert for every refusal of the retry budget and the storm guard: a storm is one incident,
    however many processors, dates and triggers it spans."""
    refusals = signals.budget_refusals
    if not refusals:
        return []
    processors = sorted({processor for processor, _, _, _ in refusals})
    dates = sorted({game_date for _, game_date, _, _ in refusals})
    storm = any(reason.startswith("Retry storm guard") for _, _, reason, _ in refusals)
    return [
        _alert(
            "retry_budget_exhausted",
            rule,
            "orchestration",
            f"The retry {'storm guard' if storm else 'budget'} refused {len(refusals)} processor attempts "
            f"({', '.join(processors)}) for {', '.join(d.isoformat() for d in dates)}; the last: "
            f"{refusals[-1][2]}",
            details={
                "refusals": len(refusals),
                "processors": processors,
                "game_dates": [d.isoformat() for d in dates],
                "storm_guard": storm,
                "first_utc": refusals[0][3].isoformat(),
                "last_utc": refusals[-1][3].isoformat(),
            },
        )
    ]


_RULES: tuple[tuple[str, Callable[[AlertSignals, Any], list[Alert]]], ...] = (
    ("phase3_completion_low", phase3_completion_low),
    ("phase3_data_stale", phase3_data_stale),
    ("phase4_not_triggered", phase4_not_triggered),
    ("grading_accuracy_low", grading_accuracy_low),
    ("prediction_volume_low", prediction_volume_low),
    ("worker_errors_high", worker_errors_high),
    ("source_down", source_down),
    ("breaker_open", breaker_open),
    ("stuck_work", stuck_work),
    ("grading_gap", grading_gap),
    ("retry_budget_exhausted", retry_budget_exhausted),
)


def _alert(
    name: str,
    rule: RuleConfig,
    component: str,
    message: str,
    *,
    details: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
    diagnosis: str | None = None,
) -> Alert:
    return Alert(
        name=name,
        severity=rule.severity,
        component=component,
        message=message,
        details=dict(details),
        diagnosis=diagnosis,
        labels=dict(labels or {}),
    )


def _binomial_p_less(correct: int, total: int, baseline: float) -> float:
    # scipy.stats costs ~0.6 s to import; only a grading check that got this far pays it.
    from scipy.stats import binomtest

    return float(binomtest(correct, total, baseline, alternative="less").pvalue)


def _upstream_cause(signals: AlertSignals) -> str | None:
    """The first known upstream failure that explains a missing or late phase."""
    if signals.sources_down:
        return (
            "Source(s) down: "
            + "; ".join(f"{source} ({reason})" for source, reason in signals.sources_down)
            + "."
        )
    if signals.breakers_open:
        return "Circuit breaker(s) open: " + ", ".join(signals.breakers_open) + "."
    return None


def _game_date_label(signals: AlertSignals) -> dict[str, str]:
    return {"game_date": signals.game_date.isoformat()} if signals.game_date else {}


def _day(signals: AlertSignals) -> str:
    return signals.game_date.isoformat() if signals.game_date else "the current game date"


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
