"""The section judges: pure rules from the health facts and alerts to each section's verdict."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from nbaprops.alerting.model import Alert
from nbaprops.alerting.signals import AlertSignals
from nbaprops.ops.health._facts import HealthFacts
from nbaprops.ops.health._freshness import freshness_section
from nbaprops.ops.health._phrases import accuracy, at, mae, minutes, ratio, when
from nbaprops.ops.health._report import HealthSection, HealthStatus, worst
from nbaprops.ops.health_config import HealthConfig
from nbaprops.ops.workers import WorkersView, workers_warnings
from nbaprops.state import ERROR_STATUSES, error_text, shorten
from nbaprops.suggestions import regrade_day, rerun_day, run_day

# The section each rule's alerts are about.
ALERT_SECTIONS = {
    "prediction_volume_low": "predictions",
    "phase3_completion_low": "phase3",
    "phase3_data_stale": "phase3",
    "phase4_not_triggered": "phase3",
    "grading_accuracy_low": "grading",
    "grading_gap": "grading",
    "worker_errors_high": "errors",
    "source_down": "freshness",
    "breaker_open": "freshness",
    "stuck_work": "stuck",
}
_FALLBACK_SECTION = "errors"


def judge_health(
    facts: HealthFacts,
    *,
    signals: AlertSignals,
    alerts: Sequence[Alert],
    config: HealthConfig,
) -> tuple[HealthSection, ...]:
    """Every section of the report, each raised to the severity of the alerts about it."""
    sections = [
        _predictions(facts, signals),
        _phase3(facts, signals, config),
        _grading(facts),
        _errors(facts, config),
        freshness_section(facts, signals, config),
        _stuck(facts, config),
    ]
    if facts.gates is not None:
        sections.append(_gates(facts))
    return tuple(_with_alerts(section, alerts) for section in sections)


def _predictions(facts: HealthFacts, signals: AlertSignals) -> HealthSection:
    p, day, games = facts.predictions, facts.game_date, facts.day.games
    due = signals.predictions_count is not None
    if p.predictions:
        status, reason = HealthStatus.OK, (
            f"{p.predictions} predictions for {p.players} players from {len(p.systems)} "
            f"system(s) on {day}, the last at {when(p.last_created_utc)}."
        )
    elif not games:
        status, reason = HealthStatus.OK, f"No games are scheduled on {day} and none predicted."
    elif due:
        ran = f"; Phase 5's latest run: {p.phase5_status}" if p.phase5_status else (
            "; Phase 5 never ran"
        )
        status, reason = HealthStatus.CRITICAL, (
            f"No predictions for the {games} game(s) on {day}{ran}; run it again with "
            f"{rerun_day(day)}."
        )
    else:
        status, reason = HealthStatus.OK, (
            f"No predictions for {day} yet; they are due before the last tip-off"
            f"{at(facts.day.last_tipoff_utc)}."
        )
    return HealthSection(
        name="predictions",
        title="Predictions",
        status=status,
        reason=reason,
        summary={
            "predictions": p.predictions,
            "players": p.players,
            "last_created_utc": p.last_created_utc,
            "games_scheduled": games,
            "phase5_status": p.phase5_status,
            "due": due,
        },
        columns=("system", "predictions", "players", "last created (UTC)"),
        rows=tuple(
            (s.system_id, s.predictions, s.players, s.last_created_utc) for s in p.systems
        ),
    )


def _phase3(facts: HealthFacts, signals: AlertSignals, config: HealthConfig) -> HealthSection:
    progress, now = facts.phase3, facts.now_utc
    fresh_after = now - timedelta(hours=config.phase3_ok_within_hours)
    last = facts.phase3_last_success_utc
    complete = [p.processor for p in progress if p.complete]
    missing = [p.processor for p in progress if not p.complete]
    stale = [name for name, at in last.items() if at is None or at < fresh_after]
    failed = [p for p in progress if not p.complete and p.status in ERROR_STATUSES]
    tipoff = facts.day.last_tipoff_utc
    counts = f"{len(complete)} of {len(progress)} processors"
    findings: list[tuple[HealthStatus, str]] = []
    if not missing:
        findings.append((HealthStatus.OK, f"Phase 3 complete for {facts.game_date}: {counts}."))
    elif tipoff is not None and now >= tipoff:
        findings.append((
            HealthStatus.CRITICAL,
            f"Phase 3 had {counts} complete at the last tip-off ({when(tipoff)}) of "
            f"{facts.game_date}; missing: {', '.join(missing)}.",
        ))
    elif failed:
        findings.append((
            HealthStatus.WARNING,
            f"Phase 3 at {counts} for {facts.game_date}; "
            + "; ".join(f"{p.processor} {p.status} ({shorten(p.error)})" for p in failed)
            + ".",
        ))
    elif not any(p.attempts for p in progress):
        findings.append((HealthStatus.OK, f"Phase 3 has not started for {facts.game_date}."))
    else:
        findings.append((
            HealthStatus.OK,
            f"Phase 3 in progress for {facts.game_date}: {counts} complete; "
            f"waiting for {', '.join(missing)}.",
        ))
    if stale:
        findings.append((
            HealthStatus.WARNING,
            f"No Phase 3 write within {config.phase3_ok_within_hours:g} h for: "
            f"{', '.join(stale)}.",
        ))
    status, reason = worst(findings)
    return HealthSection(
        name="phase3",
        title="Phase 3",
        status=status,
        reason=reason,
        summary={
            "expected": len(progress),
            "complete": len(complete),
            "missing": missing,
            "previous_game_day": facts.previous_game_day,
            "phase3_finished_utc": signals.phase3_finished_utc,
            "phase4_started_utc": signals.phase4_started_utc,
        },
        columns=(
            "processor", "for date", "status", "attempts", "records", "expected", "finished (UTC)",
            "complete", "last write (UTC)", f"ok within {config.phase3_ok_within_hours:g} h",
        ),
        rows=tuple(
            (
                p.processor,
                p.target_date,
                p.status or "not run",
                p.attempts,
                p.records,
                p.expected,
                p.finished_utc,
                p.complete,
                last.get(p.processor),
                p.processor not in stale,
            )
            for p in progress
        ),
    )


def _grading(facts: HealthFacts) -> HealthSection:
    g, ungraded = facts.grading, facts.ungraded_game_dates
    waiting = (
        f" Not graded yet: {', '.join(d.isoformat() for d in ungraded)}; grade each with "
        f"{regrade_day(ungraded[0])} and so on."
        if ungraded
        else ""
    )
    if g is None:
        reason = f"Nothing graded on or before {facts.game_date}.{waiting}"
        rows: tuple[tuple[Any, ...], ...] = ()
    else:
        reason = (
            f"{g.game_date}: {g.graded} graded, {accuracy(g.correct, g.total)}"
            f"{mae(g.mean_absolute_error)}; the {g.history_days} days before: "
            f"{accuracy(g.history_correct, g.history_total)}.{waiting}"
        )
        rows = (
            (g.game_date.isoformat(), g.graded, g.correct, g.total, ratio(g.accuracy),
             g.mean_absolute_error),
            (f"{g.history_days} days before", None, g.history_correct, g.history_total,
             ratio(g.history_accuracy), None),
        )
    return HealthSection(
        name="grading",
        title="Grading",
        status=HealthStatus.OK,
        reason=reason,
        summary={
            "last_graded_date": g.game_date if g else None,
            "graded": g.graded if g else 0,
            "correct": g.correct if g else None,
            "total": g.total if g else None,
            "accuracy": g.accuracy if g else None,
            "mean_absolute_error": g.mean_absolute_error if g else None,
            "history_correct": g.history_correct if g else None,
            "history_total": g.history_total if g else None,
            "last_graded_utc": g.last_graded_utc if g else None,
            "ungraded_game_dates": list(ungraded),
        },
        columns=("period", "graded", "correct", "won or lost", "accuracy", "MAE"),
        rows=rows,
    )


def _errors(facts: HealthFacts, config: HealthConfig) -> HealthSection:
    errors, window = facts.errors, f"{config.errors_window_hours:g} h"
    open_errors = [e for e in errors if not e.recovered]
    if open_errors:
        latest = open_errors[0]
        status, reason = HealthStatus.WARNING, (
            f"{len(open_errors)} failed run(s) in the last {window} not recovered; the latest: "
            f"{latest.processor} for {latest.game_date} {latest.status} "
            f"({error_text(latest.error_class, latest.error_message)})."
        )
    elif errors:
        status, reason = HealthStatus.OK, (
            f"{len(errors)} failed run(s) in the last {window}, each recovered by a later run."
        )
    else:
        status, reason = HealthStatus.OK, f"No failed runs in the last {window}."
    return HealthSection(
        name="errors",
        title="Recent errors",
        status=status,
        reason=reason,
        summary={"errors": len(errors), "not_recovered": len(open_errors), "window": window},
        columns=("failed (UTC)", "processor", "game date", "attempt", "status", "error",
                 "recovered"),
        rows=tuple(
            (
                e.failed_utc, e.processor, e.game_date, e.attempt, e.status,
                error_text(e.error_class, e.error_message, limit=120),
                e.recovered,
            )
            for e in errors[: config.recent_errors_limit]
        ),
    )



def _stuck(facts: HealthFacts, config: HealthConfig) -> HealthSection:
    limit = timedelta(minutes=config.stuck_after_minutes)
    runs = [(run, facts.now_utc - run.started_utc) for run in facts.in_progress]
    stuck = [(run, running) for run, running in runs if running > limit]
    if stuck:
        described = "; ".join(
            f"{run.processor} ({run.phase}) for {run.game_date}, {minutes(running)} min"
            for run, running in stuck
        )
        status, reason = HealthStatus.WARNING, (
            f"{len(stuck)} run(s) running longer than {config.stuck_after_minutes:g} min: "
            f"{described}."
        )
    elif runs:
        status, reason = HealthStatus.OK, (
            f"{len(runs)} run(s) in progress, none longer than {config.stuck_after_minutes:g} min."
        )
    else:
        status, reason = HealthStatus.OK, "No runs in progress."
    return HealthSection(
        name="stuck",
        title="Stuck work",
        status=status,
        reason=reason,
        summary={"in_progress": len(runs), "stuck": len(stuck)},
        columns=("processor", "phase", "game date", "run", "started (UTC)", "minutes", "stuck"),
        rows=tuple(
            (run.processor, run.phase, run.game_date, run.run_id, run.started_utc,
             minutes(running), running > limit)
            for run, running in runs
        ),
    )


def _gates(facts: HealthFacts) -> HealthSection:
    gates = facts.gates or ()
    findings: list[tuple[HealthStatus, str]] = []
    for gate in gates:
        if gate.decision == "fail":
            findings.append((HealthStatus.CRITICAL, f"Gate {gate.gate} failed: {gate.reason}"))
        elif gate.decision == "proceed_degraded":
            findings.append((
                HealthStatus.WARNING, f"Gate {gate.gate} proceeded degraded: {gate.reason}"
            ))
    findings.extend((HealthStatus.WARNING, f"Gave up: {reason}") for reason in facts.give_ups)
    if not findings:
        findings.append((
            HealthStatus.OK,
            ", ".join(f"{g.gate} {g.decision}" for g in gates) + "."
            if gates
            else f"No gate decisions recorded for {facts.game_date}.",
        ))
    status, reason = worst(findings)
    return HealthSection(
        name="gates",
        title="Orchestrator gates",
        status=status,
        reason=reason,
        summary={"gates": len(gates), "give_ups": len(facts.give_ups)},
        columns=("gate", "decision", "decided (UTC)", "reason"),
        rows=tuple((g.gate, g.decision, g.decided_utc, g.reason) for g in gates),
    )


def no_data_section(warehouse_path: Path | str, game_date: date) -> HealthSection:
    """The one section of a warehouse that holds nothing yet."""
    return HealthSection(
        name="data",
        title="Data",
        status=HealthStatus.WARNING,
        reason=(
            f"The warehouse {warehouse_path} holds no schedule, processor runs or predictions "
            f"yet; run the pipeline first: {run_day(game_date)}, or a backfill of the days to "
            "load."
        ),
    )



def _with_alerts(section: HealthSection, alerts: Sequence[Alert]) -> HealthSection:
    """Raise the section to its alerts' severity; the most severe alert then gives the reason."""
    mine = [a for a in alerts if ALERT_SECTIONS.get(a.name, _FALLBACK_SECTION) == section.name]
    if not mine:
        return section
    worst = max(mine, key=lambda alert: alert.severity.rank)
    status = HealthStatus.of(worst.severity)
    if status.exit_code <= section.status.exit_code:
        return section
    return HealthSection(
        name=section.name,
        title=section.title,
        status=status,
        reason=worst.message,
        summary=section.summary,
        columns=section.columns,
        rows=section.rows,
    )


def workers_section(view: WorkersView) -> HealthSection | None:
    """Gone workers with unrecovered work and older versions' waiting work (None: nothing to say)."""
    warnings = workers_warnings(view)
    if not warnings:
        return None
    return HealthSection(
        name="workers",
        title="Workers",
        status=HealthStatus.WARNING,
        reason=" ".join(warnings),
        summary={
            "executors": len(view.executors),
            "gone_with_work": sum(e.gone and bool(e.pending) for e in view.executors),
            "other_versions": len(view.other_versions),
        },
        columns=("executor", "state", "version", "heartbeat age (s)", "pending"),
        rows=tuple(
            (e.executor_id, e.state, e.application_version, round(e.heartbeat_age_seconds), len(e.pending))
            for e in view.executors
        ),
    )
