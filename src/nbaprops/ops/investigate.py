"""`investigate grading`: why a day's accuracy moved, decided from plain facts.

`diagnose_grading` checks, in this order, and the first that holds is the verdict:

1. NO_DATA            no active predictions on the day.
2. REGRADE            fewer than `min_graded_share` of the active predictions are graded; accuracy
                      on a partial grading means nothing, so this comes before any rate.
3. SCHEDULING         the predictions were made more than `stale_hours` after the Phase 3 data
                      they could use; bad picks from stale inputs say nothing about the models.
4. MODEL_DRIFT        all systems combined are a REGRESSION and every system (with picks on the
                      day and a history) is down, or no single system stands out;
   SYSTEM_REGRESSION  all combined are a REGRESSION but only some systems are down (named);
5. SYSTEM_REGRESSION  the combined rate holds but some systems are a REGRESSION on their own;
6. VARIANCE           too few graded picks (on the day or in the history) to tell;
7. DEGRADED           down by at least `degraded_drop` but not significantly;
8. NORMAL             otherwise.

"Down" means a system's status is REGRESSION or its rate fell at least `degraded_drop` below its
own history, which also counts systems whose day alone is a small sample.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from nbaprops.metrics import AccuracyCheck, AccuracyStatus, classify_accuracy
from nbaprops.metrics.accuracy import RATE_TOLERANCE
from nbaprops.ops.investigate_facts import (
    GradedCell,
    GradingFacts,
    GradingPeriod,
    ProcessorRunStatus,
    SystemCoverage,
    Tally,
)
from nbaprops.suggestions import investigate_grading, regrade_day, rerun_day, rerun_range

ONE_DAY = timedelta(days=1)

BREAKDOWNS: Mapping[str, Callable[[GradedCell], str | None]] = {
    "recommendation": lambda cell: cell.recommendation,
    "market": lambda cell: cell.market,
    "bookmaker": lambda cell: cell.bookmaker,
    "line_source": lambda cell: cell.line_source,
}
"""The dimensions the day is broken down by, besides system_id."""


class GradingVerdict(StrEnum):
    NO_DATA = "NO_DATA"
    REGRADE = "REGRADE"
    SCHEDULING = "SCHEDULING"
    MODEL_DRIFT = "MODEL_DRIFT"
    SYSTEM_REGRESSION = "SYSTEM_REGRESSION"
    DEGRADED = "DEGRADED"
    VARIANCE = "VARIANCE"
    NORMAL = "NORMAL"


class FreshnessStatus(StrEnum):
    FRESH = "FRESH"
    OLD = "OLD"
    STALE = "STALE"
    UNKNOWN = "UNKNOWN"  # no predictions, or no Phase 3 run for the day finished before them


@dataclass(frozen=True)
class GradingThresholds:
    """The knobs of the diagnosis, with the defaults the platform's runbook uses."""

    min_sample: int = 20
    """Graded picks (on the day, and in the history) below which a rate is a small sample."""
    alpha: float = 0.05
    """Significance level of the one-sided binomial test against the history rate."""
    degraded_drop: float = 0.10
    """A drop of this much (10 points) below history is DEGRADED, or "down" for a system."""
    min_graded_share: float = 0.9
    """Below this share of active predictions graded, the verdict is REGRADE."""
    old_hours: float = 12.0
    """Phase 3 data older than this when predicting is OLD."""
    stale_hours: float = 24.0
    """Phase 3 data older than this when predicting is STALE (verdict SCHEDULING)."""

    def __post_init__(self) -> None:
        if self.min_sample < 1:
            raise ValueError(f"min_sample {self.min_sample!r} must be at least 1.")
        if not 0.0 < self.alpha < 1.0:
            raise ValueError(f"alpha {self.alpha!r} must lie strictly between 0 and 1.")
        if not 0.0 < self.degraded_drop < 1.0:
            raise ValueError(
                f"degraded_drop {self.degraded_drop!r} must lie strictly between 0 and 1."
            )
        if not 0.0 < self.min_graded_share <= 1.0:
            raise ValueError(
                f"min_graded_share {self.min_graded_share!r} must lie in (0, 1]."
            )
        if not 0.0 < self.old_hours < self.stale_hours:
            raise ValueError(
                f"old_hours {self.old_hours!r} must be positive and below "
                f"stale_hours {self.stale_hours!r}."
            )


@dataclass(frozen=True)
class RateRow:
    """One line of an accuracy table: a system, or one value of a breakdown."""

    key: str | None
    day: Tally
    history: Tally
    check: AccuracyCheck
    down: bool

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, **self.check.to_json(), "down": self.down,
                "day": self.day.to_json(), "history": self.history.to_json()}


@dataclass(frozen=True)
class Freshness:
    """How old the Phase 3 data was when the day's first prediction was made."""

    status: FreshnessStatus
    first_prediction_at: datetime | None
    phase3_finished_at: datetime | None
    phase3_processor: str | None
    gap_hours: float | None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status.value}


@dataclass(frozen=True)
class Coverage:
    """Active predictions against graded ones, per system."""

    systems: tuple[SystemCoverage, ...]

    @property
    def predicted(self) -> int:
        return sum(system.predicted for system in self.systems)

    @property
    def graded(self) -> int:
        return sum(system.graded for system in self.systems)

    @property
    def missing(self) -> int:
        return self.predicted - self.graded

    @property
    def graded_share(self) -> float | None:
        return self.graded / self.predicted if self.predicted else None

    def to_json(self) -> dict[str, Any]:
        return {
            "predicted": self.predicted, "graded": self.graded, "missing": self.missing,
            "graded_share": self.graded_share,
            "systems": [{"system_id": s.system_id, "predicted": s.predicted, "graded": s.graded,
                         "missing": s.missing} for s in self.systems],
        }


@dataclass(frozen=True)
class GradingInvestigation:
    """The sections of the report and the one verdict, with its reason and action."""

    game_date: date
    history_start: date
    overall: RateRow
    systems: tuple[RateRow, ...]
    breakdowns: Mapping[str, tuple[RateRow, ...]]
    freshness: Freshness
    coverage: Coverage
    latest_runs: tuple[ProcessorRunStatus, ...]
    scheduled_games: int
    verdict: GradingVerdict
    named_systems: tuple[str, ...]
    reason: str
    action: str
    thresholds: GradingThresholds

    @property
    def history_end(self) -> date:
        return self.game_date - timedelta(days=1)

    @property
    def p_value(self) -> float | None:
        """The binomial test of all systems' day against their history; None without both."""
        return self.overall.check.p_value

    def to_json(self) -> dict[str, Any]:
        return {
            "game_date": self.game_date,
            "verdict": self.verdict.value,
            "p_value": self.p_value,
            "named_systems": list(self.named_systems),
            "reason": self.reason,
            "action": self.action,
            "history": {"start": self.history_start, "end": self.history_end,
                        "days": (self.game_date - self.history_start).days},
            "accuracy": {"overall": self.overall.to_json(),
                         "systems": [row.to_json() for row in self.systems]},
            "freshness": self.freshness.to_json(),
            "coverage": self.coverage.to_json(),
            "latest_runs": [run.to_json() for run in self.latest_runs],
            "scheduled_games": self.scheduled_games,
            "breakdowns": {name: [row.to_json() for row in rows]
                           for name, rows in self.breakdowns.items()},
            "thresholds": asdict(self.thresholds),
        }


def assess_freshness(
    first_prediction_at: datetime | None,
    phase3_finished_at: datetime | None,
    *,
    phase3_processor: str | None = None,
    thresholds: GradingThresholds = GradingThresholds(),  # noqa: B008 - frozen, never mutated
) -> Freshness:
    """STALE when the gap exceeds `stale_hours`, OLD above `old_hours`, else FRESH."""
    if first_prediction_at is None or phase3_finished_at is None:
        return Freshness(FreshnessStatus.UNKNOWN, first_prediction_at, phase3_finished_at,
                         phase3_processor, None)
    gap_hours = (first_prediction_at - phase3_finished_at).total_seconds() / 3600.0
    if gap_hours > thresholds.stale_hours:
        status = FreshnessStatus.STALE
    elif gap_hours > thresholds.old_hours:
        status = FreshnessStatus.OLD
    else:
        status = FreshnessStatus.FRESH
    return Freshness(status, first_prediction_at, phase3_finished_at, phase3_processor, gap_hours)


def diagnose_grading(
    facts: GradingFacts,
    *,
    thresholds: GradingThresholds = GradingThresholds(),  # noqa: B008 - frozen, never mutated
) -> GradingInvestigation:
    """Accuracy by system and breakdown, freshness, coverage, and one verdict (see the module)."""
    system_ids = {c.system_id for c in facts.coverage}
    system_ids |= {c.system_id for c in facts.cells if c.period is GradingPeriod.DAY}
    systems = _rate_rows(facts.cells, lambda cell: cell.system_id, system_ids, thresholds)
    overall = _rate_rows(facts.cells, lambda _cell: None, {None}, thresholds)[0]
    day_keys: dict[str, set[str | None]] = {name: set() for name in BREAKDOWNS}
    for cell in facts.cells:
        if cell.period is GradingPeriod.DAY:
            for name, key in BREAKDOWNS.items():
                day_keys[name].add(key(cell))
    breakdowns = {name: _rate_rows(facts.cells, key, day_keys[name], thresholds)
                  for name, key in BREAKDOWNS.items()}
    freshness = assess_freshness(facts.first_prediction_at, facts.phase3_finished_at,
                                 phase3_processor=facts.phase3_processor, thresholds=thresholds)
    coverage = Coverage(tuple(sorted(facts.coverage, key=lambda s: s.system_id)))
    verdict, named, reason, action = _decide(
        facts, overall=overall, systems=systems, freshness=freshness, coverage=coverage,
        thresholds=thresholds,
    )
    if freshness.status is FreshnessStatus.OLD and verdict is not GradingVerdict.NO_DATA:
        reason += (f" The Phase 3 data was {freshness.gap_hours:.1f} h old when the first "
                   f"prediction was made (OLD, over {thresholds.old_hours:g} h).")
    return GradingInvestigation(
        game_date=facts.game_date, history_start=facts.history_start, overall=overall,
        systems=systems, breakdowns=breakdowns, freshness=freshness, coverage=coverage,
        latest_runs=facts.latest_runs, scheduled_games=facts.scheduled_games, verdict=verdict,
        named_systems=named, reason=reason, action=action, thresholds=thresholds,
    )


def _rate_rows(
    cells: Iterable[GradedCell],
    key: Callable[[GradedCell], str | None],
    keys: Iterable[str | None],
    thresholds: GradingThresholds,
) -> tuple[RateRow, ...]:
    day: defaultdict[str | None, Tally] = defaultdict(Tally)
    history: defaultdict[str | None, Tally] = defaultdict(Tally)
    for cell in cells:
        tallies = day if cell.period is GradingPeriod.DAY else history
        tallies[key(cell)] += cell.tally
    ordered = sorted(keys, key=lambda k: (k is None, k or ""))
    return tuple(_rate_row(k, day[k], history[k], thresholds) for k in ordered)


def _rate_row(
    key: str | None, day: Tally, history: Tally, thresholds: GradingThresholds
) -> RateRow:
    check = classify_accuracy(
        day.wins, day.decided, history.wins, history.decided, min_sample=thresholds.min_sample,
        alpha=thresholds.alpha, degraded_drop=thresholds.degraded_drop,
    )
    dropped = (
        check.day_rate is not None
        and check.history_rate is not None
        and check.day_rate <= check.history_rate - thresholds.degraded_drop + RATE_TOLERANCE
    )
    return RateRow(key, day, history, check, check.status is AccuracyStatus.REGRESSION or dropped)


def _decide(
    facts: GradingFacts,
    *,
    overall: RateRow,
    systems: Sequence[RateRow],
    freshness: Freshness,
    coverage: Coverage,
    thresholds: GradingThresholds,
) -> tuple[GradingVerdict, tuple[str, ...], str, str]:
    day = facts.game_date
    check = overall.check
    if coverage.predicted == 0:
        return GradingVerdict.NO_DATA, (), _no_data_reason(facts), (
            f"If games were played on {day}, run its pipeline again with {rerun_day(day)} "
            "and check its Phase 5 runs in nba_orchestration.processor_run_history; "
            "otherwise nothing is wrong."
        )
    share = coverage.graded_share or 0.0
    if share < thresholds.min_graded_share:
        return GradingVerdict.REGRADE, (), _regrade_reason(facts, coverage, share, thresholds), (
            f"Regrade {day} with {regrade_day(day)}, then run {investigate_grading(day)} "
            "again; accuracy on a partial grading means nothing."
        )
    if freshness.status is FreshnessStatus.STALE:
        return GradingVerdict.SCHEDULING, (), (
            f"The first prediction for {day} was made {freshness.gap_hours:.1f} h after the last "
            f"Phase 3 run it could use ({freshness.phase3_processor}, finished "
            f"{freshness.phase3_finished_at:%Y-%m-%d %H:%M} UTC); data older than "
            f"{thresholds.stale_hours:g} h is stale, so the picks say nothing about the models."
        ), (
            f"Run {day} again with {rerun_day(day)} so Phase 5 predicts from fresh Phase 3 "
            "data, and fix the schedule so Phase 3 runs shortly before Phase 5."
        )
    comparable = [row for row in systems
                  if row.check.day_rate is not None and row.check.history_rate is not None]
    down = [row for row in comparable if row.down]
    if check.status is AccuracyStatus.REGRESSION:
        if down and len(down) < len(comparable):
            return _system_regression(day, down, systems)
        spread = "every system is down" if down else "no single system explains it"
        return GradingVerdict.MODEL_DRIFT, (), (
            f"All systems fell together: {_versus(overall)}, and {spread} "
            f"({_system_rates(systems)})."
        ), (
            "A shared cause is likely (model drift, or bad shared inputs): compare the day's "
            "features and lines with the days before, rebuild the days with bad inputs (all of "
            f"the compared ones: {rerun_range(facts.history_start, day)}), and backtest the "
            "systems before trusting new picks."
        )
    regressed = [row for row in systems if row.check.status is AccuracyStatus.REGRESSION]
    if regressed:
        return _system_regression(day, regressed, systems)
    if check.status is AccuracyStatus.SMALL_SAMPLE:
        return GradingVerdict.VARIANCE, (), _variance_reason(overall, day, thresholds), (
            "No action: a sample this small cannot tell a regression from variance; judge "
            f"again once the next days are graded ({investigate_grading(day + ONE_DAY)} and on)."
        )
    if check.status is AccuracyStatus.DEGRADED:
        return GradingVerdict.DEGRADED, (), (
            f"Accuracy fell at least {thresholds.degraded_drop * 100:g} points, not significantly: "
            f"{_versus(overall)}."
        ), (
            f"No action yet: judge the next days too ({investigate_grading(day + ONE_DAY)} and "
            "on); a real regression becomes significant as picks accumulate."
        )
    return GradingVerdict.NORMAL, (), f"Accuracy holds: {_versus(overall)}; no system regressed.", (
        "No action needed."
    )


def _system_regression(
    day: date, culprits: Sequence[RateRow], systems: Sequence[RateRow]
) -> tuple[GradingVerdict, tuple[str, ...], str, str]:
    names = tuple(str(row.key) for row in culprits)
    others = [row for row in systems if row.key not in names]
    held = f"; the other systems held ({_system_rates(others)})" if others else ""
    listed = ", ".join(names)
    return GradingVerdict.SYSTEM_REGRESSION, names, (
        f"{_plural_systems(names)} {listed} fell on {day}: "
        f"{'; '.join(f'{row.key} {_versus(row)}' for row in culprits)}{held}."
    ), (
        f"Look at what changed in {listed} (model, features, configuration) and backtest "
        f"{'it' if len(names) == 1 else 'them'}; hold back {'its' if len(names) == 1 else 'their'} "
        "picks until the hit rate recovers. The other systems need no action."
    )


def _no_data_reason(facts: GradingFacts) -> str:
    games = facts.scheduled_games
    scheduled = (f"the schedule lists {games} game{'s' if games != 1 else ''} that day" if games
                 else "the schedule lists no games that day (an off day, or no schedule loaded)")
    reason = f"No active predictions exist for {facts.game_date}; {scheduled}."
    failed = [run for run in facts.latest_runs if run.phase == "phase5" and run.status == "failed"]
    return reason + "".join(f" {_failure(run)}" for run in failed)


def _regrade_reason(
    facts: GradingFacts, coverage: Coverage, share: float, thresholds: GradingThresholds
) -> str:
    missing = ", ".join(f"{s.system_id} {s.missing}" for s in coverage.systems if s.missing)
    reason = (
        f"Only {coverage.graded} of {coverage.predicted} active predictions on {facts.game_date} "
        f"are graded ({share:.0%}, below {thresholds.min_graded_share:.0%}); missing by system: "
        f"{missing}."
    )
    grading = [run for run in facts.latest_runs if run.phase == "grading"]
    if not grading:
        return reason + " Grading has never run for that date."
    return reason + "".join(
        f" {_failure(run)}" if run.status == "failed"
        else f" The last {run.processor} run for that date ended {run.status}."
        for run in grading
    )


def _variance_reason(overall: RateRow, day: date, thresholds: GradingThresholds) -> str:
    if overall.day.decided < thresholds.min_sample:
        return (f"Only {overall.day.decided} graded picks on {day} (fewer than "
                f"{thresholds.min_sample}): {_versus(overall)}.")
    return (f"Only {overall.history.decided} graded picks in the history before {day} (fewer "
            f"than {thresholds.min_sample}), too few to compare against.")


def _failure(run: ProcessorRunStatus) -> str:
    error = f" with {run.error_class}: {run.error_message}" if run.error_class else ""
    return f"The last {run.processor} run for that date (attempt {run.attempt}) failed{error}."


def _versus(row: RateRow) -> str:
    text = f"{_rate(row.day)} against {_rate(row.history)} before"
    if row.check.p_value is not None:
        text += f" (p = {row.check.p_value:.2g})"
    return text


def _rate(tally: Tally) -> str:
    if tally.hit_rate is None:
        return "no graded picks"
    return f"{tally.wins}/{tally.decided} ({tally.hit_rate:.1%})"


def _system_rates(rows: Iterable[RateRow]) -> str:
    return ", ".join(
        f"{row.key} {row.day.hit_rate:.0%}" if row.day.hit_rate is not None else f"{row.key} -"
        for row in rows
    )


def _plural_systems(names: Sequence[str]) -> str:
    return "System" if len(names) == 1 else "Systems"
