"""What `investigate grading` reads from the warehouse, as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class GradingPeriod(StrEnum):
    """Whether graded rows belong to the investigated day or to the history before it."""

    DAY = "day"
    HISTORY = "history"


@dataclass(frozen=True)
class Tally:
    """Counts of graded rows (`nba_predictions.prediction_accuracy`).

    wins/losses   OVER/UNDER rows with prediction_correct true/false (decided picks)
    pushes        OVER/UNDER rows that are not void and landed on the line
    voids         rows of any recommendation whose player did not play
    error_sum     sum of absolute_error over rows that have one (every non-void row with an actual),
                  error_count how many; their ratio is the MAE
    """

    graded: int = 0
    wins: int = 0
    losses: int = 0
    pushes: int = 0
    voids: int = 0
    error_sum: float = 0.0
    error_count: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{
            field.name: getattr(self, field.name) + getattr(other, field.name)
            for field in fields(self)
        })

    @property
    def decided(self) -> int:
        return self.wins + self.losses

    @property
    def hit_rate(self) -> float | None:
        return self.wins / self.decided if self.decided else None

    @property
    def mae(self) -> float | None:
        return self.error_sum / self.error_count if self.error_count else None

    def to_json(self) -> dict[str, Any]:
        return {
            "graded": self.graded, "wins": self.wins, "losses": self.losses,
            "pushes": self.pushes, "voids": self.voids, "hit_rate": self.hit_rate, "mae": self.mae,
        }

    @staticmethod
    def total(tallies: Iterable[Tally]) -> Tally:
        return sum(tallies, Tally())


@dataclass(frozen=True)
class GradedCell:
    """Graded rows sharing a period, system, side, market, bookmaker and line source."""

    period: GradingPeriod
    system_id: str
    recommendation: str
    market: str
    bookmaker: str | None
    line_source: str | None
    tally: Tally


@dataclass(frozen=True)
class SystemCoverage:
    """Active predictions of one system on the day, and how many of them have a graded row."""

    system_id: str
    predicted: int
    graded: int

    @property
    def missing(self) -> int:
        return self.predicted - self.graded


@dataclass(frozen=True)
class ProcessorRunStatus:
    """The latest run of one processor for the day (`nba_orchestration.processor_run_history`)."""

    processor: str
    phase: str
    status: str
    attempt: int
    started_at: datetime
    finished_at: datetime | None
    error_class: str | None
    error_message: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class GradingFacts:
    """Everything `diagnose_grading` needs about `game_date`, read by `load_grading_facts`.

    cells                 graded rows of game_date and of history_start .. game_date - 1
    coverage              per system with active predictions on game_date
    first_prediction_at   earliest created_at of the day's active predictions (UTC)
    phase3_finished_at    when the last Phase 3 run for game_date that wrote its partition
                          (success or partial) finished, among runs finished by
                          first_prediction_at: the Phase 3 data the predictions could use
    latest_runs           latest run per Phase 3, Phase 5 and grading processor for game_date
    scheduled_games       games on game_date in nba_raw.schedule, postponed ones excluded
    """

    game_date: date
    history_start: date
    cells: tuple[GradedCell, ...] = ()
    coverage: tuple[SystemCoverage, ...] = ()
    first_prediction_at: datetime | None = None
    phase3_finished_at: datetime | None = None
    phase3_processor: str | None = None
    latest_runs: tuple[ProcessorRunStatus, ...] = ()
    scheduled_games: int = 0

    def __post_init__(self) -> None:
        if self.history_start >= self.game_date:
            raise ValueError(
                f"history_start {self.history_start} must fall before game_date {self.game_date}."
            )
