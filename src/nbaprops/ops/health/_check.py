"""The check: read a game_date's facts and signals, fire the rules, judge every section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from nbaprops.alerting.collect import collect_signals
from nbaprops.alerting.model import Alert
from nbaprops.alerting.rules import evaluate
from nbaprops.ops.health._facts import has_activity, latest_data_date, load_health_facts
from nbaprops.ops.health._report import HealthReport, HealthSection
from nbaprops.ops.health._sections import judge_health, no_data_section, workers_section
from nbaprops.ops.workers import WorkersView
from nbaprops.state import eastern_date, warehouse_instant
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings


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
    breakers_open: Sequence[str] = (),
    workers: WorkersView | None = None,
) -> HealthReport:
    """The health of `game_date` (default: `choose_game_date`) as it stood at `now_utc`;
    `breakers_open` names the sources whose circuit breaker is open (the breaker_open rule);
    `workers`, the home's executors, adds a warning section when one is gone with its work not yet
    recovered or older versions' work waits."""
    warehouse_instant(now_utc)  # refuses a naive now_utc before any read
    if game_date is None:
        game_date, date_reason = choose_game_date(warehouse, now_utc=now_utc)
    else:
        date_reason = "given"
    facts = load_health_facts(warehouse, game_date=game_date, now_utc=now_utc, settings=settings)
    # The facts read the pipeline's state once; the signals read the same value.
    signals = collect_signals(
        warehouse, game_date=game_date, now_utc=now_utc, settings=settings, state=facts.state
    )
    signals = replace(signals, breakers_open=tuple(breakers_open))
    alerts = tuple(with_dashboard_link(alert, settings) for alert in evaluate(signals, settings.alerting.rules))
    if not facts.has_data:
        sections: tuple[HealthSection, ...] = (no_data_section(warehouse.path, game_date),)
    else:
        sections = judge_health(facts, signals=signals, alerts=alerts, config=settings.health)
    workers_verdict = None if workers is None else workers_section(workers)
    if workers_verdict is not None:
        sections = (*sections, workers_verdict)
    return HealthReport(
        game_date=game_date,
        date_reason=date_reason,
        now_utc=now_utc,
        sections=sections,
        alerts=alerts,
        dashboard_url=settings.dashboard.page_url("pipeline", game_date),
    )


def with_dashboard_link(alert: Alert, settings: Settings) -> Alert:
    """`alert` with `details.dashboard_url`: the dashboard's page of the game_date it is about."""
    label = alert.labels.get("game_date")
    if label is None:
        return alert
    url = settings.dashboard.page_url("pipeline", date.fromisoformat(label))
    return replace(alert, details={**alert.details, "dashboard_url": url})
