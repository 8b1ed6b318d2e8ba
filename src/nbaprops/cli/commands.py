"""Registers every command group on the root app; each group lives in its own module."""

from __future__ import annotations

import typer

from nbaprops.cli import (
    alerts_cmd,
    audit_cmd,
    backtest_cmd,
    chaos_cmd,
    config_cmd,
    dashboard_cmd,
    db_cmd,
    demo_cmd,
    digest_cmd,
    events_cmd,
    health_cmd,
    ingest_cmd,
    investigate_cmd,
    orchestration_cmd,
    picks_cmd,
    quarantine_cmd,
    slo_cmd,
    sources_cmd,
    systems_cmd,
    usage_cmd,
    worker_cmd,
    workers_cmd,
    workflows_cmd,
)


def register(app: typer.Typer) -> None:
    app.add_typer(config_cmd.app, name="config")
    app.add_typer(db_cmd.app, name="db")
    app.add_typer(alerts_cmd.app, name="alerts")
    app.command("audit-deps")(audit_cmd.audit_deps)
    app.command("ingest")(ingest_cmd.ingest)
    app.add_typer(quarantine_cmd.app, name="quarantine")
    app.command("demo")(demo_cmd.demo)
    app.command("backtest")(backtest_cmd.backtest)
    app.command("picks")(picks_cmd.picks)
    app.add_typer(investigate_cmd.app, name="investigate")
    app.command("health")(health_cmd.health)
    app.command("run")(orchestration_cmd.run)
    app.command("backfill")(orchestration_cmd.backfill)
    app.command("status")(orchestration_cmd.status)
    app.command("worker")(worker_cmd.worker)
    app.command("workers")(workers_cmd.workers)
    app.add_typer(workflows_cmd.app, name="workflows")
    app.add_typer(events_cmd.app, name="events")
    app.add_typer(sources_cmd.app, name="sources")
    app.command("dashboard")(dashboard_cmd.dashboard)
    app.command("chaos")(chaos_cmd.chaos)
    app.command("slo")(slo_cmd.slo)
    app.command("digest")(digest_cmd.digest)
    app.command("usage")(usage_cmd.usage)
    app.add_typer(systems_cmd.app, name="systems")
