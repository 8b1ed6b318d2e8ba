"""Service level objectives: the platform's success metrics computed from plain rows, each
judged against its target from `[slo]`.

Rows, all times on the runs' clock (virtual for replayed days):
- incidents: `opened_at`, `resolved_at` (None: open), `resolved_by` (auto, manual, None);
- interventions: one a manual command (`game_date` or `at`);
- phases: `workflow_id`, `mode`, `phase`, `status`, `started_at`, `completed_at` (phase_completions).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from nbaprops.reliability.config import SloConfig

Direction = Literal["min", "max"]


@dataclass(frozen=True)
class SloMetric:
    """One measured objective; `value` None when there was nothing to measure (counted as met)."""

    name: str
    value: float | None
    target: float
    direction: Direction  # min: value must be at least target; max: at most
    unit: str
    samples: int
    detail: str = ""

    @property
    def met(self) -> bool:
        if self.value is None:
            return True
        return self.value >= self.target if self.direction == "min" else self.value <= self.target

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": None if self.value is None else round(self.value, 4),
            "target": self.target,
            "direction": self.direction,
            "unit": self.unit,
            "samples": self.samples,
            "met": self.met,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class SloReport:
    since: date
    until: date
    metrics: tuple[SloMetric, ...]
    incidents_total: int
    incidents_open: int

    @property
    def met(self) -> bool:
        return all(metric.met for metric in self.metrics)

    @property
    def missed(self) -> tuple[SloMetric, ...]:
        return tuple(metric for metric in self.metrics if not metric.met)

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "met": self.met,
            "missed": [metric.name for metric in self.missed],
            "incidents": {"total": self.incidents_total, "open": self.incidents_open},
            "metrics": [metric.to_json() for metric in self.metrics],
        }


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between closest ranks; None when empty."""
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within 0 and 100, got {q}.")
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def compute_slo(
    *,
    incidents: Sequence[Mapping[str, Any]],
    interventions: Sequence[Mapping[str, Any]],
    phases: Sequence[Mapping[str, Any]],
    since: date,
    until: date,
    config: SloConfig,
) -> SloReport:
    """Every objective over the rows of [since, until]."""
    resolved = [row for row in incidents if row["resolved_at"] is not None]
    auto = [row for row in resolved if row["resolved_by"] == "auto"]
    ttr = [_minutes(row["opened_at"], row["resolved_at"]) for row in resolved]
    quick = [minutes for minutes in ttr if minutes <= config.recovered_within_minutes]
    total = len(incidents)
    weeks = max((until - since).days + 1, 7) / 7
    metrics = [
        SloMetric(
            "recovery_rate", len(auto) / total if total else None, config.recovery_rate_min, "min", "ratio", total,
            f"{len(auto)} of {total} incidents recovered by the system itself",
        ),
        SloMetric(
            "recovered_within_target", len(quick) / total if total else None, config.recovered_within_share_min,
            "min", "ratio", total,
            f"{len(quick)} of {total} incidents recovered within {config.recovered_within_minutes:g} min",
        ),
        SloMetric("time_to_recovery_p50", percentile(ttr, 50), config.mttr_p50_minutes_max, "max", "minutes",
                  len(ttr)),
        SloMetric("time_to_recovery_p95", percentile(ttr, 95), config.mttr_p95_minutes_max, "max", "minutes",
                  len(ttr)),
        SloMetric(
            "interventions_per_week", len(interventions) / weeks, config.interventions_per_week_max, "max",
            "per week", len(interventions), f"{len(interventions)} manual interventions over {weeks:.1f} weeks",
        ),
    ]
    by_workflow: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for row in phases:
        by_workflow[row["workflow_id"]][row["phase"]] = row
    phase3 = [w["phase3"] for w in by_workflow.values() if "phase3" in w]
    complete = [row for row in phase3 if row["status"] == "complete"]
    metrics.append(SloMetric(
        "phase3_completion_rate", len(complete) / len(phase3) if phase3 else None,
        config.phase3_completion_rate_min, "min", "ratio", len(phase3),
        f"{len(complete)} of {len(phase3)} Phase 3 runs complete",
    ))
    trigger = [
        max(0.0, _minutes(w["phase3"]["completed_at"], w["phase4"]["started_at"]))
        for w in by_workflow.values()
        if "phase3" in w and "phase4" in w
    ]
    metrics += [
        SloMetric("phase3_to_phase4_p50", percentile(trigger, 50), config.phase3_to_phase4_p50_minutes_max, "max",
                  "minutes", len(trigger)),
        SloMetric("phase3_to_phase4_p95", percentile(trigger, 95), config.phase3_to_phase4_p95_minutes_max, "max",
                  "minutes", len(trigger)),
    ]
    end_to_end: dict[str, list[float]] = defaultdict(list)
    for workflow_id, runs in by_workflow.items():
        if not workflow_id.startswith("daily:"):
            continue  # events and history builds refine a day; the day run is what is measured
        mode = next(iter(runs.values()))["mode"]
        start = min(row["started_at"] for row in runs.values())
        end = max(row["completed_at"] for row in runs.values())
        end_to_end[mode].append(_minutes(start, end))
    for mode in sorted(set(end_to_end) | set(config.end_to_end_p95_minutes_max)):
        durations = end_to_end.get(mode, [])
        if mode not in config.end_to_end_p95_minutes_max:
            continue
        p50 = percentile(durations, 50)
        metrics.append(SloMetric(
            f"end_to_end_p95_{mode}", percentile(durations, 95), config.end_to_end_p95_minutes_max[mode], "max",
            "minutes", len(durations), "" if p50 is None else f"p50 {p50:.1f} min",
        ))
    return SloReport(
        since=since,
        until=until,
        metrics=tuple(metrics),
        incidents_total=total,
        incidents_open=total - len(resolved),
    )
