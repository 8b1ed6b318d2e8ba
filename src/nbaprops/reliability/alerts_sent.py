"""The alerts a notification carried, written into the open incidents they are about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from nbaprops.alerting.collect import PHASE_COMPONENTS
from nbaprops.alerting.model import Alert
from nbaprops.reliability.budgets import BUDGET_ERROR_CLASS, STORM_ERROR_CLASS
from nbaprops.reliability.incidents import Incident, IncidentStore
from nbaprops.warehouse import Warehouse

MESSAGE_LIMIT = 200


def is_about(alert: Alert, incident: Incident, *, phase: str | None) -> bool:
    """An alert is about an incident when it names its processor, covers its phase's component or,
    for a retry budget alert, the incident is a budget refusal; and names no other game_date."""
    day = alert.labels.get("game_date")
    if day is not None and day != incident.game_date.isoformat():
        return False
    if alert.labels.get("processor") == incident.component:
        return True
    if alert.component == "orchestration":
        return incident.error_class in (BUDGET_ERROR_CLASS, STORM_ERROR_CLASS)
    return phase is not None and PHASE_COMPONENTS.get(phase) == alert.component


def note_sent_alerts(warehouse: Warehouse, alerts: Iterable[Alert]) -> int:
    """Add each sent alert (name: message) to the open incidents it is about; how many were noted."""
    store = IncidentStore(warehouse)
    incidents = {incident.incident_id: incident for incident in store.incidents(status="open")}
    if not incidents:
        return 0
    phases = {
        row["processor"]: row["phase"]
        for row in warehouse.query(
            "SELECT processor, any_value(phase) AS phase FROM nba_orchestration.processor_run_history GROUP BY 1"
        )
    }
    noted = 0
    for alert in alerts:
        text = f"{alert.name}: {alert.message[:MESSAGE_LIMIT]}"
        for incident_id, incident in incidents.items():
            if text not in incident.alerts and is_about(alert, incident, phase=phases.get(incident.component)):
                incidents[incident_id] = replace(incident, alerts=(*incident.alerts, text))
                store.save(incidents[incident_id])
                noted += 1
    return noted
