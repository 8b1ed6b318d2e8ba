"""What a diagnosis rule looks at (`Symptoms`) and what it concludes (`Diagnosis`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Symptoms:
    """Plain facts about one failure. `None` means not known: rules that need it stay quiet.

    `error_class`: the exception class, `Class:failure_kind` for a live source's failure
    (`SourceBlockedError:blocked`), or a retry budget refusal (`RetryBudgetExhausted`).
    """

    component: str
    game_date: date | None = None
    error_class: str | None = None
    error: str | None = None
    status_code: int | None = None
    records: int | None = None
    expected: int | None = None
    games_scheduled: int | None = None
    attempts_today: int | None = None
    breakers: Mapping[str, str] = field(default_factory=dict)
    """Each source's breaker state (closed, open, half-open)."""
    url_changed: bool | None = None
    """The source's configured URL differs from the one that last worked."""
    grading_verdict: str | None = None
    """The verdict of `investigate grading` for the day (GradingVerdict), when judged."""
    grading_action: str | None = None

    @property
    def failure_kind(self) -> str | None:
        """The FailureKind part of `error_class` (`blocked` of `SourceBlockedError:blocked`)."""
        if self.error_class is None or ":" not in self.error_class:
            return None
        return self.error_class.split(":", 1)[1]

    @property
    def exception_class(self) -> str | None:
        return None if self.error_class is None else self.error_class.split(":", 1)[0]


@dataclass(frozen=True)
class Diagnosis:
    """A root cause and the fix; `rule` names the rule that found it, `known` says the cause has a
    tested remedy (the platform's target is zero incidents from known causes)."""

    rule: str
    root_cause: str
    suggested_fix: str
    known: bool = True

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "root_cause": self.root_cause,
            "suggested_fix": self.suggested_fix,
            "known": self.known,
        }

    def __str__(self) -> str:
        return f"{self.root_cause} Fix: {self.suggested_fix}"


Rule = Callable[[Symptoms], Diagnosis | None]
