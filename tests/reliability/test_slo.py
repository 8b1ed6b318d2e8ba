"""SLOs from plain rows: each objective against its target, percentiles that show the tail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from nbaprops.reliability.config import SloConfig
from nbaprops.reliability.slo import compute_slo, percentile

DAY = date(2024, 11, 1)
T0 = datetime(2024, 11, 1, 18, 0, tzinfo=UTC)


def incident(minutes: float | None, by: str | None = "auto") -> dict[str, Any]:
    return {
        "opened_at": T0,
        "resolved_at": None if minutes is None else T0 + timedelta(minutes=minutes),
        "resolved_by": None if minutes is None else by,
    }


def phases(workflow_id: str, *, status: str = "complete", gap_minutes: float = 1, mode: str = "same_day") -> list:
    def row(phase: str, start: float, end: float, phase_status: str = "complete") -> dict[str, Any]:
        return {"workflow_id": workflow_id, "mode": mode, "phase": phase, "status": phase_status,
                "started_at": T0 + timedelta(minutes=start), "completed_at": T0 + timedelta(minutes=end)}

    return [row("phase2", 0, 5), row("phase3", 5, 10, status), row("phase4", 10 + gap_minutes, 20)]


def metrics(**rows: Any) -> dict[str, Any]:
    report = compute_slo(
        incidents=rows.get("incidents", []), interventions=rows.get("interventions", []),
        phases=rows.get("phases", []), since=DAY, until=DAY + timedelta(days=13), config=SloConfig(),
    )
    return {m.name: m for m in report.metrics} | {"_report": report}


@pytest.mark.parametrize(("values", "q", "expected"), [([], 50, None), ([4.0], 95, 4.0), ([1, 2, 3, 4], 50, 2.5),
                                                        ([1] * 19 + [100], 95, 5.95)])
def test_percentile(values: list[float], q: float, expected: float | None) -> None:
    assert percentile(values, q) == (None if expected is None else pytest.approx(expected))


def test_nothing_to_measure_meets_every_target() -> None:
    assert metrics()["_report"].met


def test_recovery_rate_and_the_heavy_tail() -> None:
    # 19 quick automatic recoveries and one that took 5 hours: the median is fine, the p95 is not.
    found = metrics(incidents=[incident(5)] * 19 + [incident(300)])
    assert found["recovery_rate"].value == 1.0 and found["recovery_rate"].met
    assert found["time_to_recovery_p50"].value == 5 and found["time_to_recovery_p50"].met
    assert found["time_to_recovery_p95"].value == pytest.approx(19.75) and found["time_to_recovery_p95"].met
    assert found["recovered_within_target"].value == 0.95


def test_manual_recoveries_and_open_incidents_miss_the_recovery_rate() -> None:
    found = metrics(incidents=[incident(5), incident(5, by="manual"), incident(None)])
    assert found["recovery_rate"].value == pytest.approx(1 / 3) and not found["recovery_rate"].met
    assert found["_report"].incidents_open == 1 and not found["_report"].met


def test_interventions_per_week() -> None:
    found = metrics(interventions=[{"command": "rerun"}] * 3)  # three over two weeks
    assert found["interventions_per_week"].value == 1.5 and not found["interventions_per_week"].met


def test_phase3_completion_and_trigger_latency_and_end_to_end() -> None:
    found = metrics(phases=phases("daily:a") + phases("daily:b", status="degraded", gap_minutes=40))
    assert found["phase3_completion_rate"].value == 0.5 and not found["phase3_completion_rate"].met
    assert found["phase3_to_phase4_p50"].value == pytest.approx(20.5)
    assert not found["phase3_to_phase4_p95"].met  # 38.05 minutes > 30
    assert found["end_to_end_p95_same_day"].samples == 2 and found["end_to_end_p95_same_day"].met
    assert found["end_to_end_p95_overnight"].value is None
