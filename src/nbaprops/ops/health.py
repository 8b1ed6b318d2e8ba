"""`nbaprops health`: one verdict on a game_date's pipeline that cron can act on.

Sections (predictions, Phase 3, grading, recent errors, data freshness, stuck work, and the
orchestrator's gates when its tables exist) each get a status and a one-line reason; the alerts
the rules fire on the collected signals raise the status of the section they are about. The
report's status is the worst section's: exit 0 healthy, 1 warning, 2 critical.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbaprops.alerting.collect import ERROR_STATUSES, collect_signals, eastern_date
from nbaprops.alerting.engine import EngineResult, build_engine
from nbaprops.alerting.model import Alert, Severity, alert_to_json
from nbaprops.alerting.rules import evaluate
from nbaprops.alerting.signals import AlertSignals
from nbaprops.clock import Clock
from nbaprops.ops.health_config import HealthConfig
from nbaprops.ops.health_facts import (
    HealthFacts,
    SourceFreshness,
    has_activity,
    latest_data_date,
    load_health_facts,
)
from nbaprops.suggestions import regrade_day, rerun_day, run_day
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings


class HealthStatus(StrEnum):
    """A section's or the report's standing; the exit code of `nbaprops health`."""

    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def exit_code(self) -> int:
        return _EXIT_CODES[self]

    @classmethod
    def of(cls, severity: Severity) -> HealthStatus:
        """The status an alert of `severity` gives its section (info alerts leave it ok)."""
        return {
            Severity.INFO: cls.OK,
            Severity.WARNING: cls.WARNING,
            Severity.CRITICAL: cls.CRITICAL,
        }[severity]


_EXIT_CODES = {HealthStatus.OK: 0, HealthStatus.WARNING: 1, HealthStatus.CRITICAL: 2}

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


@dataclass(frozen=True)
class HealthSection:
    """One part of the report: a status, a one-line reason, key numbers and a table."""

    name: str
    title: str
    status: HealthStatus
    reason: str
    summary: Mapping[str, Any] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "status": self.status.value,
            "reason": self.reason,
            "summary": dict(self.summary),
            "rows": [
                dict(zip(map(_json_key, self.columns), row, strict=True)) for row in self.rows
            ],
        }


@dataclass(frozen=True)
class HealthReport:
    """The health of one game_date's pipeline at one instant."""

    game_date: date
    date_reason: str
    """Why this game_date: given, today, or the latest date with data."""
    now_utc: datetime
    sections: tuple[HealthSection, ...]
    alerts: tuple[Alert, ...]
    signals: AlertSignals

    @property
    def status(self) -> HealthStatus:
        return max(
            (section.status for section in self.sections),
            key=lambda status: status.exit_code,
            default=HealthStatus.OK,
        )

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    @property
    def headline(self) -> str:
        """`HEALTHY`, or `WARNING: ...` / `CRITICAL: ...` with the reasons of the worst sections."""
        status = self.status
        if status is HealthStatus.OK:
            return "HEALTHY"
        reasons = [f"{s.title}: {s.reason}" for s in self.sections if s.status is status]
        return f"{status.value.upper()}: " + " | ".join(reasons)

    def section(self, name: str) -> HealthSection:
        return next(section for section in self.sections if section.name == name)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "exit_code": self.exit_code,
            "headline": self.headline,
            "game_date": self.game_date.isoformat(),
            "date_reason": self.date_reason,
            "now_utc": self.now_utc.isoformat(),
            "sections": {section.name: section.to_json() for section in self.sections},
            "alerts": [alert_to_json(alert) for alert in self.alerts],
        }


def choose_game_date(warehouse: Warehouse, *, now_utc: datetime) -> tuple[date, str]:
    """Today (US Eastern) when it has a schedule, runs or predictions; else the latest
    game_date with predictions or runs (a demo or backfill home); with the reason."""
    today = eastern_date(now_utc)
    if has_activity(warehouse, today):
        return today, "today (US Eastern)"
    latest = latest_data_date(warehouse, on_or_before=today)
    if latest is None:
        return today, "today (US Eastern); no game_date has predictions or runs"
    return latest, (
        f"the latest game_date with predictions or runs; today ({today}, US Eastern) has "
        "no schedule, runs or predictions"
    )


def check_health(
    warehouse: Warehouse,
    *,
    game_date: date | None = None,
    now_utc: datetime,
    settings: Settings,
) -> HealthReport:
    """The health of `game_date` (default: `choose_game_date`) as it stood at `now_utc`."""
    if now_utc.tzinfo is None:
        raise ValueError(f"now_utc must be timezone-aware; got {now_utc!r}")
    if game_date is None:
        game_date, date_reason = choose_game_date(warehouse, now_utc=now_utc)
    else:
        date_reason = "given"
    facts = load_health_facts(warehouse, game_date=game_date, now_utc=now_utc, settings=settings)
    signals = collect_signals(warehouse, game_date=game_date, now_utc=now_utc, settings=settings)
    alerts = tuple(evaluate(signals, settings.alerting.rules))
    if not facts.has_data:
        sections: tuple[HealthSection, ...] = (_empty_section(warehouse, game_date),)
    else:
        sections = judge_health(facts, signals=signals, alerts=alerts, config=settings.health)
    return HealthReport(
        game_date=game_date,
        date_reason=date_reason,
        now_utc=now_utc,
        sections=sections,
        alerts=alerts,
        signals=signals,
    )


def send_health_alerts(
    report: HealthReport,
    *,
    warehouse: Warehouse,
    settings: Settings,
    home_root: Path,
    clock: Clock,
) -> EngineResult:
    """Run the report's alerts through the alert engine, so channels hear of them.

    Dedupe, silences, inhibition, repeat intervals and resolution work as in every cycle; the
    engine resolves alerts that no longer fire, so this is the one place health alerts enter it.
    """
    # A new group normally waits group_wait to collect its alerts; a health check has every
    # alert at once, and a one-shot run would otherwise end before the group may notify.
    config = settings.alerting.model_copy(update={"group_wait_seconds": 0.0})
    engine = build_engine(
        config, warehouse=warehouse, home_root=home_root, clock=clock, settings=settings
    )
    return engine.process(report.alerts)


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
        _freshness(facts, signals, config),
        _stuck(facts, config),
    ]
    if facts.gates is not None:
        sections.append(_gates(facts))
    return tuple(_with_alerts(section, alerts) for section in sections)


# -- sections ----------------------------------------------------------------------------------


def _predictions(facts: HealthFacts, signals: AlertSignals) -> HealthSection:
    p, day, games = facts.predictions, facts.game_date, facts.day.games
    due = signals.predictions_count is not None
    if p.predictions:
        status, reason = HealthStatus.OK, (
            f"{p.predictions} predictions for {p.players} players from {len(p.systems)} "
            f"system(s) on {day}, the last at {_when(p.last_created_utc)}."
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
            f"{_at(facts.day.last_tipoff_utc)}."
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
            f"Phase 3 had {counts} complete at the last tip-off ({_when(tipoff)}) of "
            f"{facts.game_date}; missing: {', '.join(missing)}.",
        ))
    elif failed:
        findings.append((
            HealthStatus.WARNING,
            f"Phase 3 at {counts} for {facts.game_date}; "
            + "; ".join(f"{p.processor} {p.status} ({_short(p.error)})" for p in failed)
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
    status, reason = _worst(findings)
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
            f"{g.game_date}: {g.graded} graded, {_accuracy(g.correct, g.total)}"
            f"{_mae(g.mean_absolute_error)}; the {g.history_days} days before: "
            f"{_accuracy(g.history_correct, g.history_total)}.{waiting}"
        )
        rows = (
            (g.game_date.isoformat(), g.graded, g.correct, g.total, _ratio(g.accuracy),
             g.mean_absolute_error),
            (f"{g.history_days} days before", None, g.history_correct, g.history_total,
             _ratio(g.history_accuracy), None),
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
            f"({_short(_error_text(latest.error_class, latest.error_message))})."
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
                _short(_error_text(e.error_class, e.error_message), 120),
                e.recovered,
            )
            for e in errors[: config.recent_errors_limit]
        ),
    )


def _freshness(
    facts: HealthFacts, signals: AlertSignals, config: HealthConfig
) -> HealthSection:
    judged = [(source, *_source_status(source, facts, signals, config))
              for source in facts.freshness]
    findings = [(status, note) for _source, status, note, _age in judged]
    status, _ = _worst(findings)
    reason = (
        next(note for _s, st, note, _a in judged if st is status)
        if status is not HealthStatus.OK
        else f"Schedule, box scores, prop lines and injuries are current for {facts.game_date}."
    )
    return HealthSection(
        name="freshness",
        title="Data freshness",
        status=status,
        reason=reason,
        summary={
            s.source: {
                "covers_date": s.covers_date,
                "rows": s.rows,
                "latest_game_date": s.latest_game_date,
                "newest_utc": s.newest_utc,
                "age_hours": age,
                "status": st.value,
            }
            for s, st, _note, age in judged
        },
        columns=("source", "for date", "rows", "latest game date", "newest (UTC)", "age (h)",
                 "status", "note"),
        rows=tuple(
            (s.source.replace("_", " "), s.covers_date, s.rows, s.latest_game_date,
             s.newest_utc, age, st.value, note)
            for s, st, note, age in judged
        ),
    )


def _source_status(
    source: SourceFreshness, facts: HealthFacts, signals: AlertSignals, config: HealthConfig
) -> tuple[HealthStatus, str, float | None]:
    """(status, note, age in hours) of one raw table."""
    day, games = facts.game_date, facts.day.games
    due = signals.predictions_count is not None
    label = source.source.replace("_", " ")
    match source.source:
        case "schedule":
            if source.rows:
                return HealthStatus.OK, f"{games} game(s) on {day}.", None
            if source.latest_game_date is not None and source.latest_game_date >= day:
                return HealthStatus.OK, f"No games on {day}.", None
            latest = source.latest_game_date or "none"
            return HealthStatus.WARNING, f"No schedule for {day}; the latest is {latest}.", None
        case "box_scores":
            previous = source.covers_date
            if previous is None:
                return HealthStatus.OK, f"No game day before {day}.", None
            if source.rows:
                return HealthStatus.OK, f"{source.rows} player lines for {previous}.", None
            if facts.previous_day_over:
                return HealthStatus.WARNING, (
                    f"No box scores for {previous}, whose games are over."
                ), None
            return HealthStatus.OK, f"The games of {previous} are not over yet.", None
        case _:
            max_age = (
                config.prop_lines_max_age_hours
                if source.source == "prop_lines"
                else config.injuries_max_age_hours
            )
            if not games:
                return HealthStatus.OK, f"No games on {day}.", None
            if not source.rows:
                if due:
                    return HealthStatus.WARNING, (
                        f"No {label} for the {games} game(s) on {day}."
                    ), None
                return HealthStatus.OK, f"No {label} for {day} yet.", None
            if source.newest_utc is None:
                return HealthStatus.OK, f"{source.rows} row(s), without times.", None
            # Once the day's games have begun its lines and reports stop mattering, so their
            # age is taken at the last tip-off; rows seen after it are fresh (age 0).
            last_tipoff = facts.day.last_tipoff_utc
            began = last_tipoff is not None and last_tipoff < facts.now_utc
            reference = last_tipoff if began and last_tipoff is not None else facts.now_utc
            age = round(max((reference - source.newest_utc).total_seconds(), 0.0) / 3600, 1)
            when = "at the last tip-off" if began else "now"
            if age > max_age:
                return HealthStatus.WARNING, (
                    f"The newest {label} for {day} are {age:g} h old {when}, above the "
                    f"{max_age:g} h limit."
                ), age
            return HealthStatus.OK, f"{source.rows} row(s), the newest {age:g} h old {when}.", age


def _stuck(facts: HealthFacts, config: HealthConfig) -> HealthSection:
    limit = timedelta(minutes=config.stuck_after_minutes)
    runs = [(run, facts.now_utc - run.started_utc) for run in facts.in_progress]
    stuck = [(run, running) for run, running in runs if running > limit]
    if stuck:
        described = "; ".join(
            f"{run.processor} ({run.phase}) for {run.game_date}, {_minutes(running)} min"
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
             _minutes(running), running > limit)
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
    status, reason = _worst(findings)
    return HealthSection(
        name="gates",
        title="Orchestrator gates",
        status=status,
        reason=reason,
        summary={"gates": len(gates), "give_ups": len(facts.give_ups)},
        columns=("gate", "decision", "decided (UTC)", "reason"),
        rows=tuple((g.gate, g.decision, g.decided_utc, g.reason) for g in gates),
    )


def _empty_section(warehouse: Warehouse, game_date: date) -> HealthSection:
    return HealthSection(
        name="data",
        title="Data",
        status=HealthStatus.WARNING,
        reason=(
            f"The warehouse {warehouse.path} holds no schedule, processor runs or predictions "
            f"yet; run the pipeline first: {run_day(game_date)}, or a backfill of the days to "
            "load."
        ),
    )


# -- helpers -----------------------------------------------------------------------------------


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


def _worst(findings: Sequence[tuple[HealthStatus, str]]) -> tuple[HealthStatus, str]:
    """The most severe finding (the first of equals)."""
    return max(findings, key=lambda finding: finding[0].exit_code)


def _json_key(column: str) -> str:
    """`last write (UTC)` -> `last_write_utc`."""
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def _when(instant: datetime | None) -> str:
    return "an unknown time" if instant is None else f"{instant:%Y-%m-%d %H:%M} UTC"


def _at(instant: datetime | None) -> str:
    return "" if instant is None else f" at {instant:%Y-%m-%d %H:%M} UTC"


def _accuracy(correct: int, total: int) -> str:
    if not total:
        return "no recommendation won or lost"
    return f"{correct}/{total} correct ({correct / total:.1%})"


def _mae(mae: float | None) -> str:
    return "" if mae is None else f", MAE {mae:.2f}"


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _error_text(error_class: str | None, message: str | None) -> str:
    return f"{error_class or 'error'}: {message or 'no message'}"


def _short(text: str | None, limit: int = 160) -> str:
    line = (text or "no message").splitlines()[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
