"""When a group of alerts is notified: group wait, group interval, repeat interval, resolved once.

Alertmanager's rules: a new group waits `group_wait` so its alerts go out together; after that
the group is looked at every `group_interval`. At each look a channel is notified when it has
not seen a firing alert yet, when an alert it saw firing has resolved, or when `repeat_interval`
has passed since its last notification and something still fires.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from nbaprops.alerting.model import Alert


@dataclass(frozen=True)
class GroupState:
    """A group that has had a firing alert: when it began and when it was last looked at."""

    group_key: str
    created_utc: datetime
    last_flush_utc: datetime | None = None


@dataclass(frozen=True)
class ChannelLog:
    """What one channel was last told about one group."""

    group_key: str
    channel: str
    sent_utc: datetime
    firing: frozenset[str]  # fingerprints notified as firing and not yet notified as resolved


def group_key(alert: Alert, group_by: Sequence[str]) -> str:
    """`component=phase3`: the `group_by` labels joined by commas; a missing label is empty."""
    labels = alert.match_labels()
    return ",".join(f"{label}={labels.get(label, '')}" for label in group_by)


def flush_due(
    group: GroupState, *, now: datetime, group_wait_seconds: float, group_interval_seconds: float
) -> bool:
    """True when the group may notify now."""
    if now < group.created_utc + timedelta(seconds=group_wait_seconds):
        return False
    return group.last_flush_utc is None or now >= group.last_flush_utc + timedelta(
        seconds=group_interval_seconds
    )


def needs_notification(
    firing: Set[str],
    resolved: Set[str],
    log: ChannelLog | None,
    *,
    now: datetime,
    repeat_interval_seconds: float,
) -> bool:
    """Whether a channel must hear about the group now.

    `firing` are the fingerprints firing for this channel; `resolved` those it saw firing that
    have since resolved (empty when the channel does not take resolved notifications).
    """
    if log is None:
        return bool(firing or resolved)
    if firing - log.firing or resolved:
        return True
    return bool(firing) and now >= log.sent_utc + timedelta(seconds=repeat_interval_seconds)
