"""Sent alerts are written into the open incidents they are about, once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from nbaprops.alerting.model import Alert, Severity
from nbaprops.reliability.alerts_sent import note_sent_alerts
from nbaprops.reliability.incidents import Failure, IncidentStore
from nbaprops.warehouse import Warehouse

DAY = date(2024, 11, 12)
T0 = datetime(2024, 11, 12, 22, 0, tzinfo=UTC)


def alert(name: str, component: str, **labels: str) -> Alert:
    return Alert(name, Severity.CRITICAL, component, f"{name} fired.", labels=labels)


def test_each_alert_goes_to_the_incidents_it_is_about(warehouse: Warehouse) -> None:
    warehouse.execute(
        "INSERT INTO nba_orchestration.processor_run_history (processor, phase, game_date, run_id, attempt, status, "
        "started_at) VALUES ('player_game_summary', 'phase3', ?, 'r', 1, 'failed', ?)",
        [DAY, T0.replace(tzinfo=None)],
    )
    store = IncidentStore(warehouse)
    store.observe(Failure("player_game_summary", "ProcessorError", DAY, "k1", T0, T0, workflow_id="wf"))
    store.observe(Failure("nbac_schedule", "RetryBudgetExhausted", DAY, "k2", T0, T0, workflow_id="wf"))
    sent = [
        alert("retry_budget_exhausted", "orchestration"),
        alert("phase3_completion_low", "phase3", game_date=DAY.isoformat()),
        alert("phase3_completion_low", "phase3", game_date="2024-11-13"),  # another day: about neither
    ]
    assert note_sent_alerts(warehouse, sent) == 2
    assert note_sent_alerts(warehouse, sent) == 0  # once
    noted = {i.component: i.alerts for i in store.incidents()}
    assert noted == {
        "player_game_summary": ("phase3_completion_low: phase3_completion_low fired.",),
        "nbac_schedule": ("retry_budget_exhausted: retry_budget_exhausted fired.",),
    }
