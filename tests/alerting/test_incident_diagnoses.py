"""Open incidents' diagnoses reach the alerts of their component: a processor's under its phase's
component, a retry budget refusal's under `orchestration` as well."""

from nbaprops.alerting.collect._runs import incident_diagnoses


def cause(component: str, phase: str | None, error_class: str = "ProcessorError") -> dict[str, object]:
    return {"component": component, "phase": phase, "error_class": error_class,
            "root_cause": f"{component} broke.", "suggested_fix": "Fix it."}


def test_diagnoses_by_alert_component() -> None:
    found = incident_diagnoses([
        cause("player_game_summary", "phase3"),
        cause("team_offense_game_summary", "phase3"),
        cause("nbac_schedule", "phase2", "RetryBudgetExhausted"),
        cause("player_prop_predictions", "phase5"),
    ])
    assert found == {
        "phase3": "player_game_summary: player_game_summary broke. Fix: Fix it. "
        "team_offense_game_summary: team_offense_game_summary broke. Fix: Fix it.",
        "sources": "nbac_schedule: nbac_schedule broke. Fix: Fix it.",
        "orchestration": "nbac_schedule: nbac_schedule broke. Fix: Fix it.",
        "predictions": "player_prop_predictions: player_prop_predictions broke. Fix: Fix it.",
    }


def test_no_incidents_no_diagnoses() -> None:
    assert incident_diagnoses([]) == {}
