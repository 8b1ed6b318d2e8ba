"""The `[alerting]` section: rule thresholds, channels, grouping, inhibition and delivery retries.

Example (`nbaprops.toml`):

    [alerting]
    group_wait_seconds = 30

    [alerting.rules.phase3_data_stale]
    max_age_hours = 3

    [[alerting.channels]]
    url = "mailtos://user:app-password@smtp.example.com?to=ops@example.com"
    min_severity = "critical"

    [[alerting.channels]]
    name = "log"                      # optional; without it this one would be "jsonl-1"
    url = "jsonl://alerts.jsonl"      # relative to the home folder
    min_severity = "info"
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, SecretStr, field_validator

from nbaprops.alerting.matchers import parse_matchers
from nbaprops.alerting.model import Severity
from nbaprops.config_base import Section
from nbaprops.errors import AlertingError


class RuleConfig(Section):
    """What every rule has: an on/off switch and the severity of its alerts."""

    enabled: bool = True
    severity: Severity = Severity.WARNING


class Phase3CompletionLowRule(RuleConfig):
    """Too few Phase 3 processors succeeded for the game_date, once they have had time to."""

    severity: Severity = Severity.CRITICAL
    min_completion_ratio: float = Field(
        0.8, gt=0, le=1, description="Fires below this share of processors."
    )
    grace_minutes: float = Field(
        60.0, ge=0, description="Time after Phase 3 started before the rule looks."
    )


class Phase3DataStaleRule(RuleConfig):
    """The newest Phase 3 data is too old."""

    max_age_hours: float = Field(
        2.0, gt=0, description="Fires when the last Phase 3 success is older."
    )


class Phase4NotTriggeredRule(RuleConfig):
    """Phase 3 finished but Phase 4 did not start."""

    severity: Severity = Severity.CRITICAL
    max_delay_minutes: float = Field(
        30.0, gt=0, description="Fires this long after Phase 3 finished."
    )


class GradingAccuracyLowRule(RuleConfig):
    """Graded accuracy fell, and significantly so against history (one-sided binomial test)."""

    max_accuracy: float = Field(0.30, gt=0, lt=1, description="Fires only below this accuracy.")
    min_sample: int = Field(
        30, ge=1, description="Fewer graded recommendations than this: no verdict."
    )
    alpha: float = Field(
        0.05, gt=0, lt=1, description="Significance level of the test against history."
    )
    min_history_sample: int = Field(
        100,
        ge=1,
        description="Below this many past gradings, `baseline_accuracy` stands in for history.",
    )
    baseline_accuracy: float = Field(
        0.5, gt=0, lt=1, description="Null accuracy when history is too short."
    )


class PredictionVolumeLowRule(RuleConfig):
    """Too few predictions for the number of games."""

    min_predictions: int = Field(
        200, ge=1, description="Minimum predictions for a slate of `reference_games`."
    )
    reference_games: int = Field(
        10,
        ge=1,
        description="The threshold scales linearly: min_predictions * games / reference_games.",
    )


class WorkerErrorsHighRule(RuleConfig):
    """Workers raised many errors in a short window."""

    max_errors: int = Field(5, ge=1, description="Fires at this many errors within the window.")
    window_minutes: float = Field(5.0, gt=0)


class SourceDownRule(RuleConfig):
    """A data source is unreachable or returns unusable data."""

    severity: Severity = Severity.CRITICAL


class BreakerOpenRule(RuleConfig):
    """A circuit breaker is open."""


class StuckWorkRule(RuleConfig):
    """A processor run has been running far too long."""

    max_runtime_minutes: float = Field(60.0, gt=0, description="Fires for runs older than this.")


class GradingGapRule(RuleConfig):
    """Final games stay ungraded."""

    max_lag_days: int = Field(
        1, ge=0, description="Fires when a final game_date is this many days old and ungraded."
    )


class RetryBudgetExhaustedRule(RuleConfig):
    """The retry budget or the storm guard refused processor attempts: a storm was stopped."""

    severity: Severity = Severity.CRITICAL
    lookback_hours: float = Field(
        24.0, gt=0, description="Refusals recorded within this many hours before the check fire it."
    )


class RulesConfig(Section):
    """Every rule, with its defaults."""

    phase3_completion_low: Phase3CompletionLowRule = Field(default_factory=Phase3CompletionLowRule)
    phase3_data_stale: Phase3DataStaleRule = Field(default_factory=Phase3DataStaleRule)
    phase4_not_triggered: Phase4NotTriggeredRule = Field(default_factory=Phase4NotTriggeredRule)
    grading_accuracy_low: GradingAccuracyLowRule = Field(default_factory=GradingAccuracyLowRule)
    prediction_volume_low: PredictionVolumeLowRule = Field(default_factory=PredictionVolumeLowRule)
    worker_errors_high: WorkerErrorsHighRule = Field(default_factory=WorkerErrorsHighRule)
    source_down: SourceDownRule = Field(default_factory=SourceDownRule)
    breaker_open: BreakerOpenRule = Field(default_factory=BreakerOpenRule)
    stuck_work: StuckWorkRule = Field(default_factory=StuckWorkRule)
    grading_gap: GradingGapRule = Field(default_factory=GradingGapRule)
    retry_budget_exhausted: RetryBudgetExhaustedRule = Field(default_factory=RetryBudgetExhaustedRule)


class ChannelConfig(Section):
    """One `[[alerting.channels]]` table.

    `url` is an apprise URL (`mailto://`, `mailtos://`, `slack://`, `discord://`, `json://`,
    `jsons://`, ...), or `console://` (stderr), or `jsonl://PATH` (one JSON line per
    notification; a relative PATH is under the home folder).
    """

    name: str = Field(
        min_length=1,
        description="Shown in logs and in `alerts test`; never a secret. Default: the URL's scheme and "
        "the table's position from 0, like `mailtos-0` (see `derived_channel_name`).",
    )
    url: SecretStr
    min_severity: Severity = Severity.WARNING
    send_resolved: bool = Field(True, description="Also notify when an alert stops firing.")


class InhibitRule(Section):
    """While an alert matching `source` fires, alerts matching `target` are muted.

    Only targets whose `equal` labels have the same values as the source's are muted.

    Matchers use the silence syntax: `name=source_down`, `name=~phase3_.*`, `component!=grading`.
    """

    source: list[str] = Field(min_length=1)
    target: list[str] = Field(min_length=1)
    equal: list[str] = Field(default_factory=list)

    @field_validator("source", "target")
    @classmethod
    def _matchers_parse(cls, texts: list[str]) -> list[str]:
        try:
            parse_matchers(texts)
        except AlertingError as e:
            raise ValueError(str(e)) from e
        return texts


def _default_inhibit_rules() -> list[InhibitRule]:
    downstream_of_phase3 = (
        "phase3_data_stale|phase3_completion_low|phase4_not_triggered|prediction_volume_low"
    )
    return [
        # A source outage starves every phase after it on that game_date.
        InhibitRule(
            source=["name=source_down"],
            target=[f"name=~{downstream_of_phase3}"],
            equal=["game_date"],
        ),
        # An open breaker already says the source is failing.
        InhibitRule(source=["name=breaker_open"], target=["name=source_down"], equal=["source"]),
        # A stuck Phase 3 run explains the missing phases after it.
        InhibitRule(
            source=["name=stuck_work", "phase=phase3"],
            target=["name=~phase3_completion_low|phase4_not_triggered|prediction_volume_low"],
            equal=["game_date"],
        ),
        # Phase 3 incomplete: Phase 4 cannot start and predictions are few; report the cause only.
        InhibitRule(
            source=["name=phase3_completion_low"],
            target=["name=~phase4_not_triggered|prediction_volume_low"],
            equal=["game_date"],
        ),
        InhibitRule(
            source=["name=phase4_not_triggered"],
            target=["name=prediction_volume_low"],
            equal=["game_date"],
        ),
    ]


class DeliveryConfig(Section):
    """How hard a channel is tried before its notification is recorded as failed."""

    attempts: int = Field(3, ge=1, le=10, description="Tries per notification and channel.")
    backoff_seconds: float = Field(
        1.0, ge=0, le=60, description="Wait before the 2nd try; doubles after each."
    )
    timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="Connect and read timeout of one try."
    )


class AlertingConfig(Section):
    """Alert rules, channels and the Alertmanager-style engine settings."""

    rules: RulesConfig = Field(default_factory=RulesConfig)
    channels: list[ChannelConfig] = Field(default_factory=list)
    group_by: list[str] = Field(
        default_factory=lambda: ["component"],
        description="Alerts with equal values of these labels notify together.",
    )
    group_wait_seconds: float = Field(
        30.0, ge=0, description="Hold a new group this long to batch its alerts."
    )
    group_interval_seconds: float = Field(
        300.0, gt=0, description="Wait between notifications of one group."
    )
    repeat_interval_seconds: float = Field(
        14400.0, gt=0, description="Re-notify a still-firing group this often."
    )
    inhibit_rules: list[InhibitRule] = Field(default_factory=_default_inhibit_rules)
    delivery: DeliveryConfig = Field(default_factory=DeliveryConfig)

    @field_validator("channels", mode="before")
    @classmethod
    def _name_unnamed_channels(cls, channels: Any) -> Any:
        if not isinstance(channels, list):
            return channels
        unnamed = [i for i, c in enumerate(channels) if isinstance(c, dict) and c.get("name") is None]
        taken = {c.get("name") if isinstance(c, dict) else getattr(c, "name", None) for c in channels}
        named = list(channels)
        for index in unnamed:
            name = derived_channel_name(channels[index].get("url"), index, taken=taken)
            taken.add(name)
            named[index] = {**channels[index], "name": name}
        return named

    @field_validator("channels")
    @classmethod
    def _channel_names_unique(cls, channels: list[ChannelConfig]) -> list[ChannelConfig]:
        names = [channel.name for channel in channels]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"channel names must be unique; repeated: {', '.join(duplicates)}")
        return channels


_URL_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")


def derived_channel_name(url: object, index: int, *, taken: set[Any] | frozenset[Any] = frozenset()) -> str:
    """The name of the `index`-th channel when its table gives none: `<scheme>-<index>`.

    Only the URL's scheme is used, never the rest, which may hold credentials; a URL without a
    readable scheme gives `channel-<index>`. A name already in `taken` gets `-2`, `-3`, ... added.
    """
    text = url.get_secret_value() if isinstance(url, SecretStr) else url
    scheme, separator, _ = text.partition("://") if isinstance(text, str) else ("", "", "")
    scheme = scheme.lower()
    base = f"{scheme if separator and _URL_SCHEME.fullmatch(scheme) else 'channel'}-{index}"
    name, suffix = base, 1
    while name in taken:
        suffix += 1
        name = f"{base}-{suffix}"
    return name
