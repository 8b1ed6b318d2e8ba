"""Which processors the pipeline for game_date D runs, in which phase, for which date.

A run for D finishes the previous game day P (box scores, game summaries, grading) and prepares D
(schedule, lines, injuries, upcoming context, features, predictions), as the platform's overnight
and same-day runs do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nbaprops.processors.base import Processor
from nbaprops.processors.grading import PredictionAccuracyProcessor
from nbaprops.processors.phase2 import (
    InjuryReportProcessor,
    PlayerBoxscoresProcessor,
    PropLinesProcessor,
    ScheduleProcessor,
    TeamBoxscoresProcessor,
)
from nbaprops.processors.phase3 import (
    PlayerGameSummaryProcessor,
    TeamDefenseGameSummaryProcessor,
    TeamOffenseGameSummaryProcessor,
    UpcomingPlayerGameContextProcessor,
    UpcomingTeamGameContextProcessor,
)
from nbaprops.processors.phase4 import MlFeatureStoreProcessor, PlayerDailyCacheProcessor
from nbaprops.processors.phase5 import PlayerPropPredictionsProcessor


class DatePhase(StrEnum):
    """Which date of the run a step works on."""

    UPCOMING = "upcoming"  # the run's game_date D
    RESULTS = "results"  # the previous game day P, whose games have ended


@dataclass(frozen=True)
class Step:
    processor: Processor
    date_phase: DatePhase


@dataclass(frozen=True)
class PhaseSteps:
    phase: str
    steps: tuple[Step, ...]

    def processor_names(self) -> tuple[str, ...]:
        return tuple(step.processor.name for step in self.steps)


def daily_plan(predictions: PlayerPropPredictionsProcessor | None = None) -> tuple[PhaseSteps, ...]:
    """The phases in order. Pass a long-lived predictions processor to keep its trained models."""
    results, upcoming = DatePhase.RESULTS, DatePhase.UPCOMING
    return (
        PhaseSteps("phase2", (
            Step(ScheduleProcessor(), upcoming), Step(PropLinesProcessor(), upcoming),
            Step(InjuryReportProcessor(), upcoming), Step(PlayerBoxscoresProcessor(), results),
            Step(TeamBoxscoresProcessor(), results),
        )),
        PhaseSteps("phase3", (
            Step(PlayerGameSummaryProcessor(), results), Step(TeamOffenseGameSummaryProcessor(), results),
            Step(TeamDefenseGameSummaryProcessor(), results),
            Step(UpcomingPlayerGameContextProcessor(), upcoming), Step(UpcomingTeamGameContextProcessor(), upcoming),
        )),
        PhaseSteps("phase4", (Step(PlayerDailyCacheProcessor(), upcoming), Step(MlFeatureStoreProcessor(), upcoming))),
        PhaseSteps("phase5", (Step(predictions or PlayerPropPredictionsProcessor(), upcoming),)),
        PhaseSteps("grading", (Step(PredictionAccuracyProcessor(), results),)),
    )


def final_results_plan() -> tuple[PhaseSteps, ...]:
    """The results half alone: closes the last day of a backfill (box scores, summaries, grading)."""
    results = DatePhase.RESULTS
    return (
        PhaseSteps("phase2", (Step(PlayerBoxscoresProcessor(), results), Step(TeamBoxscoresProcessor(), results))),
        PhaseSteps("phase3", (
            Step(PlayerGameSummaryProcessor(), results), Step(TeamOffenseGameSummaryProcessor(), results),
            Step(TeamDefenseGameSummaryProcessor(), results),
        )),
        PhaseSteps("grading", (Step(PredictionAccuracyProcessor(), results),)),
    )


# The phases that predict and grade; a day of earlier history runs everything before them.
PREDICTING_PHASES = frozenset({"phase5", "grading"})


def history_plan() -> tuple[PhaseSteps, ...]:
    """The daily plan up to Phase 4: builds the look-back of a game day without predicting it."""
    return tuple(phase for phase in daily_plan() if phase.phase not in PREDICTING_PHASES)


def history_results_plan() -> tuple[PhaseSteps, ...]:
    """The results half without grading: closes the last day of earlier history."""
    return tuple(phase for phase in final_results_plan() if phase.phase not in PREDICTING_PHASES)
