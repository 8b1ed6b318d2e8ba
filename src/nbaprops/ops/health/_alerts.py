"""Sending a health report's alerts through the alert engine, so channels hear of them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nbaprops.alerting.engine import EngineResult, build_engine
from nbaprops.clock import Clock
from nbaprops.ops.health._report import HealthReport
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings


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
