"""What a chaos scenario declares (`Scenario`, its `SourceGlitch`es) and how its outcome is judged.

Pure: the runner (`orchestration/chaos_run.py`) plays the scenarios and hands back plain
`ChaosOutcome`s; `judge` says whether each met its targets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class GlitchKind(StrEnum):
    """How a source misbehaves in a chaos scenario, as the live sources fail in production."""

    EMPTY = "empty"  # 200 with an empty body
    FORBIDDEN = "forbidden"  # 403 since its URL changed
    QUOTA = "quota"  # the request quota runs out
    RENAMED_FIELD = "renamed_field"  # an upstream field renamed
    DOWN = "down"  # unreachable
    DOUBLED = "doubled"  # answers, but every counting stat doubled (an upstream aggregation bug)
    # Answers, but each player's stat of a priced market lies mirrored across his line: every decided
    # pick's outcome flips (the sharpest drop wrong results can cause, as when stats land on the wrong players).
    INVERTED = "inverted"

    @property
    def distorts(self) -> bool:
        """The feed answers with wrong rows instead of failing."""
        return self in (GlitchKind.DOUBLED, GlitchKind.INVERTED)


@dataclass(frozen=True)
class SourceGlitch:
    """`feed` (a Source method: schedule, player_boxscores, prop_lines, ...) glitches with `kind`:
    after `after_calls` good calls, on `calls` calls (None: every later call), or while the
    virtual clock is within `for_hours` of the feed's first call (a day-long outage)."""

    feed: str
    kind: GlitchKind
    calls: int | None = None
    after_calls: int = 0
    for_hours: float | None = None
    renamed: tuple[str, str] | None = None  # (field, new name) for RENAMED_FIELD

    def active(self, call: int, hours_since_first: float) -> bool:
        """Whether the `call`-th call (from 1), `hours_since_first` after the first, glitches."""
        if call <= self.after_calls:
            return False
        if self.calls is not None and call > self.after_calls + self.calls:
            return False
        return self.for_hours is None or hours_since_first < self.for_hours


@dataclass(frozen=True)
class Scenario:
    """One failure that really happened, replayed on the synthetic league.

    `inject`: `--inject` specs (orchestration/faults.py); `glitches`: faults of the source itself;
    `restarts`: the run is delivered again after the fault (a killed worker restarting);
    `graders`: extra results runs of the last day (two graders on one date);
    `fallback`: the glitched feeds have a fallback source, as production's `[sources.chains]` do: a
    second, independent sim source serves them when the glitched primary fails.
    An unrecoverable scenario must raise `expected_alert` (an alert event kind) once, with
    `expected_diagnosis` (a diagnosis rule) on its incident.
    """

    name: str
    summary: str
    recoverable: bool
    exercises: str
    inject: tuple[str, ...] = ()
    glitches: tuple[SourceGlitch, ...] = ()
    restarts: int = 0
    graders: int = 0
    fallback: bool = False
    expected_alert: str | None = None
    expected_diagnosis: str | None = None


@dataclass(frozen=True)
class ChaosOutcome:
    """What one faulted run left behind, as the runner read it from its warehouse."""

    completed: bool  # the run's workflows finished ok
    open_incidents: int
    mttr_minutes: float | None  # the longest time to recovery of its incidents (virtual)
    differing_rows: int  # rows in one warehouse and not the other (ignoring run ids and times)
    duplicates: int  # extra copies of a fault-free row
    remediation: tuple[str, ...]
    alerts: Mapping[str, int]  # alert events by kind, over the whole run
    alerts_per_day: Mapping[str, int]  # the most alert events of a kind on one game date
    diagnoses: tuple[str, ...]  # the diagnosis rule of each incident, in order opened
    interventions: int
    tables: Mapping[str, int] = field(default_factory=dict)  # differing rows per table
    fallback_rows: int = 0  # raw rows a fallback source served (a scenario with a fallback: its primary failed)


@dataclass(frozen=True)
class ChaosResult:
    scenario: Scenario
    outcome: ChaosOutcome
    wall_seconds: float

    @property
    def recovered(self) -> bool:
        return self.outcome.completed and self.outcome.open_incidents == 0

    @property
    def identical(self) -> bool:
        return self.outcome.differing_rows == 0

    @property
    def diagnosis(self) -> str | None:
        return self.outcome.diagnoses[0] if self.outcome.diagnoses else None

    @property
    def problems(self) -> tuple[str, ...]:
        return judge(self.scenario, self.outcome)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.scenario.name,
            "summary": self.scenario.summary,
            "exercises": self.scenario.exercises,
            "recoverable": self.scenario.recoverable,
            "recovered": self.recovered,
            "identical": self.identical,
            "duplicates": self.outcome.duplicates,
            "differing_rows": self.outcome.differing_rows,
            "differing_tables": dict(self.outcome.tables),
            "fallback_rows": self.outcome.fallback_rows,
            "mttr_minutes": None if self.outcome.mttr_minutes is None else round(self.outcome.mttr_minutes, 1),
            "remediation": list(self.outcome.remediation),
            "alerts": dict(self.outcome.alerts),
            "alerts_per_day": dict(self.outcome.alerts_per_day),
            "diagnosis": self.diagnosis,
            "diagnoses": list(self.outcome.diagnoses),
            "interventions": self.outcome.interventions,
            "expected_alert": self.scenario.expected_alert,
            "expected_diagnosis": self.scenario.expected_diagnosis,
            "ok": not self.problems,
            "problems": list(self.problems),
            "wall_seconds": round(self.wall_seconds, 2),
        }


def judge(scenario: Scenario, outcome: ChaosOutcome) -> tuple[str, ...]:
    """The targets `outcome` misses: a recoverable scenario recovers by itself to the fault-free
    warehouse with no duplicates; an unrecoverable one raises its alert once, rightly diagnosed."""
    problems: list[str] = []
    if scenario.recoverable:
        if not outcome.completed:
            problems.append("the run did not complete")
        if outcome.open_incidents:
            problems.append(f"{outcome.open_incidents} incident(s) still open")
        if outcome.differing_rows:
            problems.append(f"{outcome.differing_rows} row(s) differ from the fault-free run")
        if outcome.duplicates:
            problems.append(f"{outcome.duplicates} duplicate row(s)")
        if outcome.interventions:
            problems.append(f"{outcome.interventions} manual intervention(s)")
        if scenario.fallback and not outcome.fallback_rows:
            problems.append("its fallback source served no rows")
        return tuple(problems)
    if scenario.expected_alert is not None:
        # A fault that lasts several days is one failure a day: it must alert once a day, not storm.
        fired = outcome.alerts_per_day.get(scenario.expected_alert, 0)
        if fired != 1:
            problems.append(f"alert {scenario.expected_alert} fired {fired} time(s) on a day, not once")
        others = sorted(name for name in outcome.alerts if name != scenario.expected_alert)
        if others:
            problems.append(f"other alerts fired: {', '.join(others)}")
    if scenario.expected_diagnosis is not None and scenario.expected_diagnosis not in outcome.diagnoses[:1]:
        found = outcome.diagnoses[0] if outcome.diagnoses else "none"
        problems.append(f"diagnosed {found}, not {scenario.expected_diagnosis}")
    return tuple(problems)


Row = tuple[Any, ...]


def compare_rows(baseline: Sequence[Row], faulted: Sequence[Row]) -> tuple[int, int]:
    """(rows in one and not the other, counted with multiplicity; extra copies of baseline rows)."""
    want, got = Counter(baseline), Counter(faulted)
    differing = sum(((want - got) + (got - want)).values())
    duplicates = sum(max(0, n - want[row]) for row, n in got.items() if row in want)
    return differing, duplicates
