"""Operators' commands that change state, recorded as manual interventions (`nbaprops slo` counts them)."""

from __future__ import annotations

from datetime import date

from nbaprops.clock import Clock, SystemClock
from nbaprops.home import Home
from nbaprops.reliability.incidents import IncidentStore, Intervention
from nbaprops.warehouse import Warehouse

WAIT_SECONDS = 60.0


def record_intervention(
    warehouse: Warehouse,
    *,
    command: str,
    target: str,
    game_date: date | None = None,
    details: str = "",
    clock: Clock | None = None,
) -> Intervention:
    """Record `command` on `target` at the clock's now (the wall clock unless given)."""
    intervention = Intervention(
        command=command, target=target, at=(clock or SystemClock()).now(), game_date=game_date, details=details
    )
    IncidentStore(warehouse).record_intervention(intervention)
    return intervention


def record_workflow_intervention(home: Home, *, command: str, workflow_id: str) -> Intervention:
    """A resume or cancel of `workflow_id`; its game_date read from the ID (`daily:<date>:...`)."""
    with Warehouse.open(home.warehouse_target, wait_seconds=WAIT_SECONDS) as warehouse:
        return record_intervention(
            warehouse, command=command, target=workflow_id, game_date=game_date_of(workflow_id)
        )


def game_date_of(workflow_id: str) -> date | None:
    """The game_date a workflow ID names (`daily:2025-01-10:same_day:sim`), if any."""
    for part in workflow_id.split(":"):
        try:
            return date.fromisoformat(part)
        except ValueError:
            continue
    return None
