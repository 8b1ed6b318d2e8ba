"""Who gets muted: silences (set by people), inhibition (a root cause mutes its symptoms),
and pending retries.

Precedence when several apply: silenced, then inhibited, then suppressed_retry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from nbaprops.alerting.config import InhibitRule
from nbaprops.alerting.matchers import Matcher, matches_all, parse_matchers
from nbaprops.alerting.model import Alert, AlertStatus


@dataclass(frozen=True)
class Silence:
    """Mutes every alert matching all `matchers` from `starts_utc` until `ends_utc`."""

    silence_id: str
    matchers: tuple[str, ...]
    created_by: str
    comment: str
    starts_utc: datetime
    ends_utc: datetime
    created_utc: datetime

    def is_active(self, now: datetime) -> bool:
        return self.starts_utc <= now < self.ends_utc

    def matches(self, alert: Alert) -> bool:
        return matches_all(parse_matchers(self.matchers), alert.match_labels())


@dataclass(frozen=True)
class Verdict:
    """The status an alert gets this cycle, and what muted it."""

    status: AlertStatus
    silence_id: str | None = None
    inhibited_by: str | None = None


def classify(
    alerts: Sequence[Alert],
    *,
    silences: Sequence[Silence],
    inhibit_rules: Sequence[InhibitRule],
    now: datetime,
) -> dict[str, Verdict]:
    """The verdict of each alert, by fingerprint; every alert in `alerts` fires in the world."""
    active = [silence for silence in silences if silence.is_active(now)]
    rules = [
        (parse_matchers(rule.source), parse_matchers(rule.target), rule.equal)
        for rule in inhibit_rules
    ]
    verdicts: dict[str, Verdict] = {}
    for alert in alerts:
        silence = next((s for s in active if s.matches(alert)), None)
        if silence is not None:
            verdicts[alert.fingerprint] = Verdict(
                AlertStatus.SILENCED, silence_id=silence.silence_id
            )
            continue
        source = _inhibiting_alert(alert, alerts, rules)
        if source is not None:
            verdicts[alert.fingerprint] = Verdict(
                AlertStatus.INHIBITED, inhibited_by=f"{source.name}:{source.fingerprint}"
            )
        elif alert.retry_pending:
            verdicts[alert.fingerprint] = Verdict(AlertStatus.SUPPRESSED_RETRY)
        else:
            verdicts[alert.fingerprint] = Verdict(AlertStatus.FIRING)
    return verdicts


def _inhibiting_alert(
    target: Alert,
    alerts: Sequence[Alert],
    rules: Sequence[tuple[tuple[Matcher, ...], tuple[Matcher, ...], Sequence[str]]],
) -> Alert | None:
    target_labels = target.match_labels()
    for source_matchers, target_matchers, equal in rules:
        if not matches_all(target_matchers, target_labels):
            continue
        for source in alerts:
            if source.fingerprint == target.fingerprint:
                continue  # an alert never inhibits itself
            source_labels = source.match_labels()
            if matches_all(source_matchers, source_labels) and _equal(
                source_labels, target_labels, equal
            ):
                return source
    return None


def _equal(a: Mapping[str, str], b: Mapping[str, str], labels: Sequence[str]) -> bool:
    return all(a.get(label, "") == b.get(label, "") for label in labels)
