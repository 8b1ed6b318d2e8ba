"""Scraper windows: which polls fall due, as a table of cases and as invariants over random days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbaprops.orchestration.windows import DuePoll, Game, LastPoll, PollKind, Slate, due_polls, latest_slot
from nbaprops.orchestration.windows_settings import (
    BoxScoresWindow,
    InjuriesWindow,
    PreGameWindow,
    ScheduleWindow,
    WindowsConfig,
)

DAY = date(2025, 1, 10)
FIRST_TIP = datetime(2025, 1, 11, 0, 0, tzinfo=UTC)  # 19:00 ET on the 10th
LAST_TIP = datetime(2025, 1, 11, 2, 30, tzinfo=UTC)
CONFIG = WindowsConfig()


def at(hour: int, minute: int = 0, *, day: int = 10) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


def slate(*statuses: str) -> Slate:
    tips = (FIRST_TIP, LAST_TIP)
    return Slate(DAY, tuple(Game(tip, status) for tip, status in zip(tips, statuses, strict=True)))


SCHEDULED = slate("scheduled", "scheduled")
FINAL = slate("final", "final")
ONE_FINAL = slate("final", "scheduled")


def due_of(kind: PollKind, day: Slate, now: datetime, last: datetime | None = None,
           complete: bool = False) -> datetime | None:
    lasts = {} if last is None else {(kind, DAY): LastPoll(last, complete)}
    found = [p for p in due_polls([day], CONFIG, lasts, now=now) if p.kind is kind]
    assert len(found) <= 1
    return found[0].slot_at if found else None


@pytest.mark.parametrize(
    ("kind", "day", "now", "last", "complete", "expected"),
    [
        # props: every 30 min from 12 h before the first tip (12:00) until the last tip (02:30)
        (PollKind.PROPS, SCHEDULED, at(11, 59), None, False, None),
        (PollKind.PROPS, SCHEDULED, at(12, 0), None, False, at(12, 0)),
        (PollKind.PROPS, SCHEDULED, at(12, 29), at(12, 0), False, None),
        (PollKind.PROPS, SCHEDULED, at(12, 31), at(12, 0), False, at(12, 30)),
        (PollKind.PROPS, SCHEDULED, at(15, 10), at(12, 0), False, at(15, 0)),  # down a while: the latest slot only
        (PollKind.PROPS, SCHEDULED, at(2, 30, day=11), at(2, 0, day=11), False, at(2, 30, day=11)),
        (PollKind.PROPS, SCHEDULED, at(2, 50, day=11), at(2, 30, day=11), False, None),  # after the last tip
        (PollKind.PROPS, SCHEDULED, at(2, 50, day=11), at(2, 0, day=11), False, at(2, 30, day=11)),  # late look
        (PollKind.PROPS, SCHEDULED, at(3, 10, day=11), at(2, 0, day=11), False, None),  # long after: closed
        (PollKind.PROPS, slate("postponed", "postponed"), at(18, 0), None, False, None),
        # injuries: hourly from 8 h before the first tip (16:00)
        (PollKind.INJURIES, SCHEDULED, at(15, 59), None, False, None),
        (PollKind.INJURIES, SCHEDULED, at(16, 40), None, False, at(16, 0)),
        (PollKind.INJURIES, SCHEDULED, at(16, 59), at(16, 0), False, None),
        # box scores: only once every game is final, every 15 min from the last tip, until the cutoff
        (PollKind.BOX_SCORES, ONE_FINAL, at(5, 0, day=11), None, False, None),
        (PollKind.BOX_SCORES, FINAL, at(5, 7, day=11), None, False, at(5, 0, day=11)),
        (PollKind.BOX_SCORES, FINAL, at(5, 14, day=11), at(5, 0, day=11), False, None),
        (PollKind.BOX_SCORES, FINAL, at(5, 15, day=11), at(5, 0, day=11), False, at(5, 15, day=11)),
        (PollKind.BOX_SCORES, FINAL, at(6, 0, day=11), at(5, 15, day=11), True, None),  # all box scores in
        (PollKind.BOX_SCORES, FINAL, at(15, 0, day=11), at(5, 15, day=11), False, None),  # past the 12 h cutoff
        # schedule: at once when never polled, daily at 14:00, every 15 min while games are on
        (PollKind.SCHEDULE, Slate(DAY, known=False), at(6, 3), None, False, at(6, 3)),
        (PollKind.SCHEDULE, SCHEDULED, at(13, 0), at(6, 3), False, None),
        (PollKind.SCHEDULE, SCHEDULED, at(14, 2), at(6, 3), False, at(14, 0)),
        (PollKind.SCHEDULE, ONE_FINAL, at(3, 20, day=11), at(3, 0, day=11), False, at(3, 15, day=11)),
        (PollKind.SCHEDULE, FINAL, at(5, 20, day=11), at(5, 0, day=11), False, None),  # over: daily only
    ],
)
def test_due_slot(kind: PollKind, day: Slate, now: datetime, last: datetime | None, complete: bool,
                  expected: datetime | None) -> None:
    assert due_of(kind, day, now, last, complete) == expected


def test_a_failed_first_schedule_poll_is_retried_after_the_live_interval_not_every_tick() -> None:
    unknown = Slate(DAY, known=False)
    assert due_of(PollKind.SCHEDULE, unknown, at(6, 10), last=at(6, 0)) is None
    assert due_of(PollKind.SCHEDULE, unknown, at(6, 15), last=at(6, 0)) == at(6, 15)


def test_disabled_windows_poll_nothing() -> None:
    config = WindowsConfig(enabled=False)
    assert due_polls([SCHEDULED, Slate(DAY, known=False)], config, {}, now=at(18)) == []
    config = WindowsConfig(props=PreGameWindow(enabled=False))
    assert {p.kind for p in due_polls([SCHEDULED], config, {}, now=at(18))} == {
        PollKind.SCHEDULE, PollKind.INJURIES}


def test_due_polls_come_schedule_first_and_say_why() -> None:
    polls = due_polls([SCHEDULED], CONFIG, {}, now=at(18, 5))
    assert [p.kind for p in polls] == [PollKind.SCHEDULE, PollKind.PROPS, PollKind.INJURIES]
    assert polls[1].reason == (
        "prop lines of 2025-01-10: every 30 min from 12 h before the first tip-off (00:00 UTC)")


def test_latest_slot_is_on_the_grid() -> None:
    start = at(12)
    assert latest_slot(start=start, interval=timedelta(minutes=30), end=at(20), now=at(13, 59)) == at(13, 30)
    assert latest_slot(start=start, interval=timedelta(minutes=30), end=at(13), now=at(13, 30)) == at(13)
    assert latest_slot(start=start, interval=timedelta(minutes=30), end=at(13), now=at(13, 31)) is None
    assert latest_slot(start=start, interval=timedelta(minutes=30), end=at(20), now=at(11)) is None


# -- invariants over random days -------------------------------------------------------------------

BASE = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)

games_st = st.lists(
    st.tuples(
        st.integers(0, 6 * 60),  # tip-off, minutes after 12:00 UTC... + 10 h below
        st.integers(90, 240),  # minutes until the game is final
        st.booleans(),  # postponed
    ),
    min_size=0,
    max_size=5,
)
config_st = st.builds(
    WindowsConfig,
    schedule=st.builds(ScheduleWindow, daily_at_utc=st.times().map(lambda t: time(t.hour, t.minute)),
                       live_interval_minutes=st.sampled_from([5.0, 15.0, 30.0])),
    props=st.builds(PreGameWindow, interval_minutes=st.sampled_from([10.0, 30.0, 45.0]),
                    start_hours_before_first_tip=st.sampled_from([0.0, 3.0, 12.0]),
                    end_minutes_after_last_tip=st.sampled_from([0.0, 30.0])),
    injuries=st.builds(InjuriesWindow, interval_minutes=st.sampled_from([30.0, 60.0]),
                       start_hours_before_first_tip=st.sampled_from([2.0, 8.0])),
    box_scores=st.builds(BoxScoresWindow, interval_minutes=st.sampled_from([5.0, 15.0]),
                         cutoff_hours_after_last_tip=st.sampled_from([4.0, 12.0])),
)
steps_st = st.lists(st.integers(1, 120), min_size=1, max_size=80)  # minutes between two looks


def slate_at(games: list[tuple[int, int, bool]], now: datetime) -> Slate:
    """The day as a schedule poll at `now` sees it: a game is final once its duration has passed."""
    return Slate(DAY, tuple(
        Game(BASE + timedelta(hours=10, minutes=tip),
             "postponed" if postponed else "final" if now >= BASE + timedelta(hours=10, minutes=tip + length)
             else "scheduled")
        for tip, length, postponed in games
    ))


def interval_of(kind: PollKind, config: WindowsConfig) -> timedelta:
    minutes = {PollKind.PROPS: config.props.interval_minutes, PollKind.INJURIES: config.injuries.interval_minutes,
               PollKind.BOX_SCORES: config.box_scores.interval_minutes}
    return timedelta(minutes=minutes[kind])


@settings(max_examples=150, deadline=None)
@given(games=games_st, config=config_st, steps=steps_st, box_complete_after=st.integers(0, 4))
def test_polls_stay_in_their_windows_on_their_grid_and_never_repeat_a_slot(
    games: list[tuple[int, int, bool]], config: WindowsConfig, steps: list[int], box_complete_after: int
) -> None:
    last: dict[tuple[PollKind, date], LastPoll] = {}
    made: dict[PollKind, list[DuePoll]] = {kind: [] for kind in PollKind}
    box_polls = 0
    now = BASE - timedelta(hours=6)
    for step in steps:
        now += timedelta(minutes=step)
        day = slate_at(games, now)
        due = due_polls([day], config, last, now=now)
        for poll in due:
            assert poll.slot_at <= now
            made[poll.kind].append(poll)
            complete = False
            if poll.kind is PollKind.BOX_SCORES:
                box_polls += 1
                complete = box_polls > box_complete_after
                assert day.all_final, "box scores are never polled before the last game is final"
                assert day.last_tip is not None
                assert day.last_tip <= poll.slot_at
                cutoff = day.last_tip + timedelta(hours=config.box_scores.cutoff_hours_after_last_tip)
                assert poll.slot_at <= cutoff and now <= cutoff + interval_of(poll.kind, config)
            if poll.kind in (PollKind.PROPS, PollKind.INJURIES):
                window = config.props if poll.kind is PollKind.PROPS else config.injuries
                assert day.first_tip is not None and day.last_tip is not None
                start = day.first_tip - timedelta(hours=window.start_hours_before_first_tip)
                end = day.last_tip + timedelta(minutes=window.end_minutes_after_last_tip)
                assert start <= poll.slot_at <= end and now <= end + interval_of(poll.kind, config)
                assert (poll.slot_at - start) % timedelta(minutes=window.interval_minutes) == timedelta(0)
            last[(poll.kind, poll.game_date)] = LastPoll(poll.slot_at, complete)
        assert due_polls([day], config, last, now=now) == [], "a poll recorded is not due again at once"
    for kind in (PollKind.PROPS, PollKind.INJURIES, PollKind.BOX_SCORES):
        slots = [p.slot_at for p in made[kind]]
        assert all(b - a >= interval_of(kind, config) for a, b in zip(slots, slots[1:], strict=False)), kind
    schedule = [p.slot_at for p in made[PollKind.SCHEDULE]]
    assert schedule == sorted(set(schedule)), "the schedule never repeats a slot"
    if not any(not postponed for _, _, postponed in games):
        assert not made[PollKind.PROPS] and not made[PollKind.INJURIES] and not made[PollKind.BOX_SCORES]
