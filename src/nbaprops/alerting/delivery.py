"""Delivering a notification to a channel: bounded tries, each recorded, never raising."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from nbaprops.alerting.channels import Channel
from nbaprops.alerting.config import DeliveryConfig
from nbaprops.alerting.model import Notification
from nbaprops.alerting.redaction import SecretScrubber
from nbaprops.clock import Clock


@dataclass(frozen=True)
class DeliveryAttempt:
    """One try of one channel; `error` is already scrubbed of secrets."""

    channel: str
    channel_label: str
    group_key: str
    attempt: int
    ok: bool
    error: str | None
    attempted_utc: datetime
    elapsed_seconds: float


def deliver(
    channel: Channel,
    notification: Notification,
    *,
    policy: DeliveryConfig,
    clock: Clock,
    scrubber: SecretScrubber,
) -> list[DeliveryAttempt]:
    """Try up to `policy.attempts` times, waiting `backoff_seconds` (doubling) between tries.

    The wait goes through `clock.sleep`, so a virtual clock makes retries instant in tests. Worst
    case this takes attempts * timeout_seconds plus the backoff; a refused connection fails at once.
    """
    attempts: list[DeliveryAttempt] = []
    for number in range(1, policy.attempts + 1):
        attempted = clock.now()
        started = time.monotonic()
        error: str | None = None
        try:
            channel.send(notification, timeout_seconds=policy.timeout_seconds)
        except Exception as e:  # noqa: BLE001 - a broken channel must never break the pipeline
            error = scrubber.scrub(f"{type(e).__name__}: {e}")
        attempts.append(
            DeliveryAttempt(
                channel=channel.name,
                channel_label=channel.label,
                group_key=notification.group_key,
                attempt=number,
                ok=error is None,
                error=error,
                attempted_utc=attempted,
                elapsed_seconds=round(time.monotonic() - started, 4),
            )
        )
        if error is None:
            break
        if number < policy.attempts:
            clock.sleep(policy.backoff_seconds * 2 ** (number - 1))
    return attempts
