"""Alerts (and incidents) for prediction systems' decisions: each promotion, rollback and decay the
review or an operator stored is raised once as an alerting orchestration event; a rollback and a
decay also open an incident of the system in its market, for a person to look at."""

from __future__ import annotations

import json
from datetime import datetime

from nbaprops.orchestration.store import Decision, record_decision
from nbaprops.processors.system_roles import mark_alerted, read_decisions
from nbaprops.reliability.incidents import Failure, IncidentStore
from nbaprops.warehouse import Warehouse

_INCIDENT_CLASSES = {"rollback": "SystemRolledBack", "decay": "SystemDecayed"}
_REMEDIATIONS = {"rollback": "rolled back to shadow", "decay": "alerted"}


def raise_system_alerts(warehouse: Warehouse, *, now: datetime) -> int:
    """Raise every stored decision not alerted yet; returns how many were raised."""
    raised = 0
    for row in read_decisions(warehouse, unalerted=True):
        subject = f"{row['system_id']} ({row['market']})"
        message = f"System {subject}: {row['action']} by {row['actor']}: {row['reason']}"
        record_decision(warehouse, Decision(
            workflow_id=f"systems:{row['decision_id']}", game_date=row["game_date"], mode="systems",
            kind="system_decision", decision=row["action"], reason=message, decided_at=row["decided_at"],
            alert=True, gate=row["market"], processor=row["system_id"],
            inputs={"decision_id": row["decision_id"], "champion_id": row["champion_id"],
                    "from_role": row["from_role"], "to_role": row["to_role"], "actor": row["actor"],
                    "evidence": json.loads(row["evidence"])},
        ), ordinal=1)
        error_class = _INCIDENT_CLASSES.get(row["action"])
        if error_class is not None:
            remediation = _REMEDIATIONS[row["action"]]
            if row["action"] == "decay" and json.loads(row["evidence"]).get("auto_disable"):
                remediation = "picks disabled"
            IncidentStore(warehouse).observe(Failure(
                component=f"system:{row['system_id']}:{row['market']}", error_class=error_class,
                game_date=row["game_date"], key=row["decision_id"], started_at=row["decided_at"],
                detected_at=now, error=row["reason"], remediation=remediation, alert=message))
        mark_alerted(warehouse, row["decision_id"], at=now)
        raised += 1
    return raised
