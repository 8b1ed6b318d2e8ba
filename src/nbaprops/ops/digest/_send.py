"""Sending a date's digest once: the date is claimed in `nba_orchestration.digests` before anything is
sent, so a worker restarted mid-send never sends it twice (at most once; failures are in the deliveries)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from nbaprops.alerting.channels import Channel, build_channels
from nbaprops.alerting.delivery import deliver
from nbaprops.alerting.model import Notification
from nbaprops.alerting.redaction import SecretScrubber
from nbaprops.alerting.store import AlertStore
from nbaprops.clock import Clock
from nbaprops.ops.digest._build import Digest, build_digest
from nbaprops.ops.digest._text import digest_text, digest_title
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings

DIGESTS = "nba_orchestration.digests"


@dataclass(frozen=True)
class DigestSent:
    """What became of a date's digest: `already`: claimed before (nothing sent now)."""

    game_date: date
    already: bool
    channels: int = 0
    delivered: int = 0
    title: str = ""


def digest_sent(warehouse: Warehouse, game_date: date) -> bool:
    """Whether `game_date`'s digest was claimed (sent or being sent)."""
    return bool(warehouse.scalar(f"SELECT count(*) FROM {DIGESTS} WHERE game_date = ?", [game_date]))


def send_digest_once(
    warehouse: Warehouse, *, settings: Settings, home_root: Path, game_date: date, now_utc: datetime, clock: Clock
) -> DigestSent:
    """Build and send `game_date`'s digest to the `[digest] channels` unless it was sent before."""
    if digest_sent(warehouse, game_date):
        return DigestSent(game_date, already=True)
    digest = build_digest(warehouse, settings=settings, game_date=game_date, now_utc=now_utc)
    channels = digest_channels(settings, home_root=home_root)  # a channel that cannot be built fails before the claim
    title = digest_title(digest)
    warehouse.execute(f"INSERT INTO {DIGESTS} (game_date, claimed_utc, title) VALUES (?, ?, ?)",
                      [game_date, _naive(clock.now()), title])
    delivered = send_digest(digest, channels, warehouse=warehouse, settings=settings, clock=clock)
    warehouse.execute(f"UPDATE {DIGESTS} SET sent_utc = ?, channels = ?, delivered = ? WHERE game_date = ?",
                      [_naive(clock.now()), len(channels), delivered, game_date])
    return DigestSent(game_date, already=False, channels=len(channels), delivered=delivered, title=title)


def digest_channels(settings: Settings, *, home_root: Path) -> list[Channel]:
    """The `[digest] channels` among `[[alerting.channels]]` (all of them when none is named)."""
    wanted = set(settings.digest.channels)
    return [c for c in build_channels(settings.alerting, home_root=home_root) if not wanted or c.name in wanted]


def send_digest(
    digest: Digest, channels: Sequence[Channel], *, warehouse: Warehouse, settings: Settings, clock: Clock
) -> int:
    """Deliver the digest to each channel (whatever its min_severity), each try recorded in the alert
    deliveries under `digest:<date>`; the channels that accepted it."""
    notification = Notification(
        group_key=f"digest:{digest.game_date}", firing=(), resolved=(), sent_utc=clock.now(),
        headline=digest_title(digest), text=digest_text(digest),
    )
    scrubber = SecretScrubber.from_config(settings.alerting, settings)
    store = AlertStore(warehouse)
    delivered = 0
    for channel in channels:
        attempts = deliver(channel, notification, policy=settings.alerting.delivery, clock=clock, scrubber=scrubber)
        store.record_deliveries(attempts, firing=0, resolved=0)
        delivered += attempts[-1].ok
    return delivered


def _naive(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)
