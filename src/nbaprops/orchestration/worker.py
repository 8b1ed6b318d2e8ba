"""The long-running worker: starts the scheduled daily runs, consumes work other processes hand
over through the queue, sweeps stuck processor runs, polls the source in its scraper windows
(`[sources.windows]`) and applies new data as events. Stops cleanly when `stop` is set."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from nbaprops.clock import Clock, SystemClock
from nbaprops.config import Settings
from nbaprops.errors import NbaPropsError
from nbaprops.home import Home
from nbaprops.ops.digest import send_digest_once
from nbaprops.ops.health import check_health, send_health_alerts
from nbaprops.orchestration.engine import Engine, Role
from nbaprops.orchestration.executor_recovery import recover_gone_executors
from nbaprops.orchestration.poll_store import PollRecord
from nbaprops.orchestration.polling import poll_windows
from nbaprops.orchestration.remediate import remediate_in_engine, remediator
from nbaprops.orchestration.remediation_facts import paused_poll_kinds
from nbaprops.orchestration.requests import DailyRun, DataEvent, SourceKind
from nbaprops.orchestration.runtime import SourceFactory, default_source
from nbaprops.orchestration.settings import WorkerSchedule
from nbaprops.orchestration.store import Decision, record_decision
from nbaprops.orchestration.watch import watch_in_engine
from nbaprops.orchestration.windows import PollKind
from nbaprops.orchestration.workers import read_workers
from nbaprops.reliability.remediation_log import RemediationRecord
from nbaprops.state import eastern_date
from nbaprops.warehouse import Warehouse

# Scheduled runs missed while the worker was down are started when it comes back, this far back.
CATCH_UP = timedelta(days=1)
# The worker lets go of the warehouse after this long without work, so other commands can read it.
WAREHOUSE_LINGER_SECONDS = 2.0
# The window polls each quota'd source serves, paused while its quota is low.
QUOTA_POLL_KIND = {"odds_api": PollKind.PROPS}
# How often the worker looks for processor runs past their timeout.
SWEEP_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class DueRun:
    schedule: WorkerSchedule
    due_at: datetime
    game_date: date


def due_runs(
    schedules: tuple[WorkerSchedule, ...], *, after: datetime, until: datetime
) -> list[DueRun]:
    """Scheduled runs whose time falls in (after, until], oldest first."""
    due = []
    day = after.astimezone(UTC).date()
    while day <= until.astimezone(UTC).date():
        for schedule in schedules:
            at = datetime.combine(day, time(0), tzinfo=UTC) + timedelta(hours=schedule.hour_utc)
            if after < at <= until:
                due.append(DueRun(schedule, at, day + timedelta(days=schedule.date_offset_days)))
        day += timedelta(days=1)
    return sorted(due, key=lambda run: run.due_at)


@dataclass
class WorkerReport:
    started: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    stuck: int = 0
    health_checks: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    polls: list[PollRecord] = field(default_factory=list)
    remediations: list[RemediationRecord] = field(default_factory=list)


def run_worker(
    home: Home,
    settings: Settings,
    *,
    stop: threading.Event,
    notify: Callable[[str], None],
    clock: Clock | None = None,
    source_factory: SourceFactory = default_source,
) -> WorkerReport:
    """Run until `stop` is set; waits for the executor role if another process holds it.

    `source_factory`: builds the source of `[orchestration.worker] source` that workflows read and
    the scraper windows poll."""
    clock = clock or SystemClock()
    config = settings.orchestration.worker
    report = WorkerReport()
    engine = Engine.try_launch(home, settings, role=Role.WORKER, notify=notify, source_factory=source_factory)
    if engine is None:
        notify(
            "Another nbaprops process is executing work on this home; the worker starts when it "
            "ends."
        )
    while engine is None and not stop.wait(config.poll_interval_seconds):
        engine = Engine.try_launch(home, settings, role=Role.WORKER, notify=notify, source_factory=source_factory)
    if engine is None:
        return report
    with engine:
        report.resumed = recover_gone_executors(engine, now=clock.now(), notify=notify)
        notify(
            f"Worker started on {home.root} as {engine.executor_id} (version {engine.application_version}); "
            f"consuming the queue, {len(config.schedules)} daily "
            f"schedules, {len(report.resumed)} unfinished workflows of stopped processes resumed; "
            + ("polling the scraper windows." if settings.sources.windows.enabled else "scraper windows off.")
        )
        checked = clock.now() - CATCH_UP
        swept: datetime | None = None
        watched: datetime | None = None
        watch_error = ""
        poll_error = ""
        looked: datetime | None = None
        remedied: datetime | None = None
        recovered = clock.now()
        next_health = settings.health.next_check_utc(after=clock.now())
        next_digest = settings.digest.first_due(clock.now())
        while not stop.is_set():
            now = clock.now()
            for run in due_runs(config.schedules, after=checked, until=now):
                request = DailyRun(
                    run.game_date, run.schedule.mode, SourceKind(config.source), virtual=False
                )
                report.started.append(engine.start(request))
                notify(f"Started {request.workflow_id} (due {run.due_at:%Y-%m-%d %H:%M} UTC).")
            checked = now
            if (now - recovered).total_seconds() >= config.heartbeat_interval_seconds:
                report.resumed += recover_gone_executors(engine, now=now, notify=notify)
                recovered = now
            if swept is None or now - swept >= SWEEP_INTERVAL:
                report.stuck += sweep(engine, now=now, notify=notify)
                swept = now
            # With scraper windows on, their polls are how the worker sees new data: watching too
            # would fetch the same feeds every watch interval and start a second event for each change.
            if not settings.sources.windows.enabled and (
                watched is None or (now - watched).total_seconds() >= config.watch_interval_seconds
            ):
                watched = now
                try:
                    report.events += watch_in_engine(
                        engine,
                        source_kind=SourceKind(config.source),
                        now=now,
                        days_ahead=config.watch_days_ahead,
                        notify=notify,
                    )
                    watch_error = ""
                except NbaPropsError as e:
                    if str(e) != watch_error:  # say it once, not every interval
                        notify(f"Watching for new data failed: {e}")
                    watch_error = str(e)
            if looked is None or (now - looked).total_seconds() >= settings.sources.windows.check_interval_seconds:
                looked = now
                try:
                    report.polls += poll_in_engine(engine, now=now, notify=notify)
                    poll_error = ""
                except NbaPropsError as e:
                    if str(e) != poll_error:  # say it once, not every look
                        notify(f"Polling the scraper windows failed: {e}")
                    poll_error = str(e)
            if remedied is None or (now - remedied).total_seconds() >= (
                settings.reliability.remediation.check_interval_seconds
            ):
                remedied = now
                report.remediations += remediate_in_engine(engine, now=now, notify=notify)
            if next_health is not None and now >= next_health:
                report.health_checks.append(daily_health_check(engine, now=now, clock=clock, notify=notify))
                next_health = settings.health.next_check_utc(after=now)
            if next_digest is not None and now >= next_digest:
                report.digests.append(daily_digest(engine, due_at=next_digest, now=now, clock=clock, notify=notify))
                next_digest = settings.digest.next_after(now)
            engine.runtime.lease.close_if_idle(WAREHOUSE_LINGER_SECONDS)
            stop.wait(config.poll_interval_seconds)
        notify("Worker stopping; unfinished workflows resume when an executor starts again.")
    return report


def poll_in_engine(engine: Engine, *, now: datetime, notify: Callable[[str], None]) -> list[PollRecord]:
    """The polls of the scraper windows due at `now`, over a side connection; new data starts its
    event (or the date's results run) on the engine."""
    settings = engine.settings
    windows = settings.sources.windows
    if not windows.enabled:
        return []
    source_kind = SourceKind(settings.orchestration.worker.source)

    def publish(work: DailyRun | DataEvent) -> str:
        return engine.start(work)

    with engine.runtime.lease.side_connection() as warehouse:
        source = engine.runtime.source_factory(source_kind, warehouse, settings, engine.home)
        try:
            return poll_windows(
                warehouse,
                source,
                source_kind=source_kind,
                config=windows,
                markets=engine.runtime.markets,
                now=now,
                publish=publish,
                notify=notify,
                paused=paused_poll_kinds(warehouse, now=now),
            )
        finally:
            pause_for_low_quota(engine, warehouse, source, now=now, notify=notify)
            close = getattr(source, "close", None)
            if callable(close):
                close()  # a live source holds HTTP clients and a breaker engine


def pause_for_low_quota(
    engine: Engine, warehouse: Warehouse, source: object, *, now: datetime, notify: Callable[[str], None]
) -> None:
    """A quota'd source whose requests left fell to `quota_low_requests`: its polls pause."""
    readings = getattr(source, "quota_left", None)
    if not callable(readings):
        return
    remedy = remediator(engine, warehouse, now=now, notify=notify)
    for name, left in readings().items():
        remedy.pause_for_quota(name, requests_left=left, resets_at=None, kind=QUOTA_POLL_KIND.get(name, PollKind.PROPS))


def daily_health_check(engine: Engine, *, now: datetime, clock: Clock, notify: Callable[[str], None]) -> str:
    """The scheduled `nbaprops health` (`[health] daily_at_utc`), alerting when `[health] notify`."""
    settings = engine.settings
    with engine.runtime.lease.side_connection() as warehouse:
        health = check_health(warehouse, now_utc=now, settings=settings,
                              workers=read_workers(engine.home, settings))
        if settings.health.notify:
            send_health_alerts(health, warehouse=warehouse, settings=settings, home_root=engine.home.root,
                               clock=clock)
    notify(f"Daily health check: {health.headline}")
    return health.status.value


def daily_digest(
    engine: Engine, *, due_at: datetime, now: datetime, clock: Clock, notify: Callable[[str], None]
) -> str:
    """The scheduled digest (`[digest] at_utc`) of the US Eastern date it falls on, sent once per date."""
    game_date = eastern_date(due_at)
    try:
        with engine.runtime.lease.side_connection() as warehouse:
            sent = send_digest_once(warehouse, settings=engine.settings, home_root=engine.home.root,
                                    game_date=game_date, now_utc=now, clock=clock)
    except NbaPropsError as e:
        notify(f"Digest of {game_date} failed: {e}")
        return f"{game_date}: failed"
    notify(f"Digest of {game_date}: " + ("sent before, not again." if sent.already
                                         else f"sent to {sent.delivered} of {sent.channels} channel(s)."))
    return game_date.isoformat()


def sweep(engine: Engine, *, now: datetime, notify: Callable[[str], None]) -> int:
    """Requeue processor runs past their own deadline (`[orchestration.stuck]`: a few times their
    processor's usual duration; recorded timed out, each with an alerting decision), within the
    requeue_stuck remediation's limit."""
    stuck = engine.settings.orchestration.stuck
    if not stuck.enabled:
        return 0
    with engine.runtime.lease.side_connection() as warehouse:
        # Each requeued run is told below in full; a page is still told through `notify`.
        requeue = replace(remediator(engine, warehouse, now=now, notify=notify), notify=lambda message: None)
        runs = requeue.requeue_stuck(timeout_minutes=stuck.processor_timeout_minutes, stuck=stuck)
        for run in runs:
            parts = run.run_id.split(":")
            reason = (
                f"{run.processor} for {run.game_date} (attempt {run.attempt} of {run.run_id}) was "
                "still running "
                f"after {run.running_minutes:.0f} minutes, past its "
                f"{run.timeout_minutes:g}-minute "
                "timeout; recorded as timed out, and its write will be refused so the run is "
                "retried."
            )
            record_decision(
                warehouse,
                Decision(
                    workflow_id=run.run_id,
                    game_date=run.game_date,
                    mode=parts[2] if len(parts) > 2 else "unknown",
                    kind="timeout",
                    decision="timed_out",
                    reason=reason,
                    decided_at=now,
                    alert=True,
                    processor=run.processor,
                    inputs={"started_at": run.started_at.isoformat(), "attempt": run.attempt},
                ),
                ordinal=run.attempt,
            )
            notify(reason)
    return len(runs)
