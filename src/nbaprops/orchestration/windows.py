"""Scraper windows: which polls of which data kind are due for which game date, at an instant.

Pure: the day's games as last polled, the `[sources.windows]` config and the last poll of each
kind and date in, the due polls out. Each window is a grid of slots (`start + k * interval`, up to
its end); a poll is due when the latest slot at or before `now` is newer than the last poll's, and
takes that slot. So a kind is never polled twice in one slot, never outside its window, and a
worker that was down polls once for the latest slot instead of catching up on every missed one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from nbaprops.orchestration.windows_settings import PreGameWindow, WindowsConfig

FINAL = "final"
POSTPONED = "postponed"


class PollKind(StrEnum):
    """A data kind polled on its own window (the order is the order polls run in a tick)."""

    SCHEDULE = "schedule"
    PROPS = "props"
    INJURIES = "injuries"
    BOX_SCORES = "box_scores"


@dataclass(frozen=True)
class Game:
    """One game of the day as last polled: its tip-off (aware UTC) and status (scheduled, final, postponed)."""

    tipoff_utc: datetime
    status: str


@dataclass(frozen=True)
class Slate:
    """The games of `game_date` as last polled; `known` is False before the first schedule poll."""

    game_date: date
    games: tuple[Game, ...] = ()
    known: bool = True

    @property
    def played(self) -> tuple[Game, ...]:
        """The games not postponed."""
        return tuple(g for g in self.games if g.status != POSTPONED)

    @property
    def first_tip(self) -> datetime | None:
        return min((g.tipoff_utc for g in self.played), default=None)

    @property
    def last_tip(self) -> datetime | None:
        return max((g.tipoff_utc for g in self.played), default=None)

    @property
    def all_final(self) -> bool:
        """At least one game played, and every one of them final."""
        return bool(self.played) and all(g.status == FINAL for g in self.played)


@dataclass(frozen=True)
class LastPoll:
    """The latest poll of a kind for a date: its slot; `complete` for box scores that covered every final game."""

    slot_at: datetime
    complete: bool = False


@dataclass(frozen=True)
class DuePoll:
    """A poll to make now: of `kind` for `game_date`, in the slot starting at `slot_at`, and why."""

    kind: PollKind
    game_date: date
    slot_at: datetime
    reason: str


def latest_slot(*, start: datetime, interval: timedelta, end: datetime, now: datetime) -> datetime | None:
    """The latest of `start + k * interval` (k >= 0) at or before both `now` and `end`; None before
    `start`, and None once a whole interval has passed since `end` (a window's last slot may be
    polled a little late, never long after the window closed)."""
    last = min(now, end)
    if last < start or now > end + interval:
        return None
    return start + interval * ((last - start) // interval)


def due_polls(
    slates: Sequence[Slate],
    config: WindowsConfig,
    last_polls: Mapping[tuple[PollKind, date], LastPoll],
    *,
    now: datetime,
) -> list[DuePoll]:
    """The polls due at `now` for the dates of `slates`: schedule polls first, then props,
    injuries and box scores, each kind by date."""
    if not config.enabled:
        return []
    due = []
    for kind in PollKind:
        for slate in sorted(slates, key=lambda s: s.game_date):
            found = _due(kind, slate, config, now=now)
            if found is None:
                continue
            slot_at, reason = found
            last = last_polls.get((kind, slate.game_date))
            if last is not None and not slate.known and kind is PollKind.SCHEDULE:
                # A first schedule poll that failed is tried again after the live interval, not every tick.
                retry = timedelta(minutes=config.schedule.live_interval_minutes)
                if now - last.slot_at < retry:
                    continue
            elif last is not None and (slot_at <= last.slot_at or (kind is PollKind.BOX_SCORES and last.complete)):
                continue
            due.append(DuePoll(kind, slate.game_date, slot_at, reason))
    return due


def _due(kind: PollKind, slate: Slate, config: WindowsConfig, *, now: datetime) -> tuple[datetime, str] | None:
    """The latest slot of `kind`'s window for `slate` at `now`, and why it is one; None outside."""
    match kind:
        case PollKind.SCHEDULE:
            return _schedule_slot(slate, config, now=now)
        case PollKind.PROPS:
            return _pre_game_slot(slate, config.props, "prop lines", now=now)
        case PollKind.INJURIES:
            return _pre_game_slot(slate, config.injuries, "the injury report", now=now)
        case PollKind.BOX_SCORES:
            return _box_score_slot(slate, config, now=now)


def _schedule_slot(slate: Slate, config: WindowsConfig, *, now: datetime) -> tuple[datetime, str] | None:
    window = config.schedule
    if not window.enabled:
        return None
    if not slate.known:
        return now, f"the schedule of {slate.game_date} was never polled"
    today_at = datetime.combine(now.astimezone(UTC).date(), window.daily_at_utc, tzinfo=UTC)
    slots = [(today_at if today_at <= now else today_at - timedelta(days=1),
              f"the daily schedule poll at {window.daily_at_utc:%H:%M} UTC")]
    first, last = slate.first_tip, slate.last_tip
    if first is not None and last is not None and not slate.all_final:
        live = latest_slot(
            start=first,
            interval=timedelta(minutes=window.live_interval_minutes),
            end=last + timedelta(hours=config.box_scores.cutoff_hours_after_last_tip),
            now=now,
        )
        if live is not None:
            final = sum(g.status == FINAL for g in slate.played)
            slots.append((live, f"games of {slate.game_date} are on ({final} of {len(slate.played)} final)"))
    return max(slots, key=lambda slot: slot[0])


def _pre_game_slot(slate: Slate, window: PreGameWindow, what: str, *, now: datetime) -> tuple[datetime, str] | None:
    first, last = slate.first_tip, slate.last_tip
    if not window.enabled or first is None or last is None:
        return None
    slot = latest_slot(
        start=first - timedelta(hours=window.start_hours_before_first_tip),
        interval=timedelta(minutes=window.interval_minutes),
        end=last + timedelta(minutes=window.end_minutes_after_last_tip),
        now=now,
    )
    if slot is None:
        return None
    return slot, (
        f"{what} of {slate.game_date}: every {window.interval_minutes:g} min from "
        f"{window.start_hours_before_first_tip:g} h before the first tip-off ({first:%H:%M} UTC)"
    )


def _box_score_slot(slate: Slate, config: WindowsConfig, *, now: datetime) -> tuple[datetime, str] | None:
    window = config.box_scores
    last = slate.last_tip
    if not window.enabled or last is None or not slate.all_final:
        return None
    slot = latest_slot(
        start=last,
        interval=timedelta(minutes=window.interval_minutes),
        end=last + timedelta(hours=window.cutoff_hours_after_last_tip),
        now=now,
    )
    if slot is None:
        return None
    return slot, f"all {len(slate.played)} games of {slate.game_date} are final"
