"""The worker's window polls over a simulated day on a virtual clock: what is polled when, and the
events published exactly when new data appears, once each, across restarts and redelivery."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from nbaprops.clock import VirtualClock
from nbaprops.errors import SourceError
from nbaprops.home import Home
from nbaprops.orchestration.poll_store import POLLS, PollRecord, polls_between
from nbaprops.orchestration.polling import poll_windows
from nbaprops.orchestration.requests import DailyRun, DataEvent, EventKind, Scope, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.windows import PollKind
from nbaprops.orchestration.windows_settings import WindowsConfig
from nbaprops.sources.base import Row
from nbaprops.warehouse import Warehouse

DAY = date(2025, 1, 10)


def at(hour: int, minute: int = 0, *, day: int = 10) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


class DaySource:
    """One game day as a feed publishes it: two games (the second moved from 02:00 to 02:30 at
    13:00), lines at 15:10 and more at 18:40, an injury report at 14:00 updated at 20:10, each game
    final 2.5 h after tip-off and its box score 3 h after."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[str, date, datetime]] = []
        self.failing: set[str] = set()

    def _call(self, what: str, game_date: date, as_of: datetime) -> None:
        self.calls.append((what, game_date, as_of))
        if what in self.failing:
            raise SourceError(f"The fake {what} feed is down.")

    def _tips(self, as_of: datetime) -> list[tuple[str, datetime]]:
        second = at(2, 30, day=11) if as_of >= at(13) else at(2, 0, day=11)
        return [("g1", at(0, 0, day=11)), ("g2", second)]

    def game_dates(self, start: date, end: date) -> list[date]:
        return [DAY] if start <= DAY <= end else []

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        self._call("schedule", game_date, as_of)
        if game_date != DAY:
            return []
        return [
            {"game_id": gid, "home_team": "H" + gid, "away_team": "A" + gid, "tipoff_utc": tip.replace(tzinfo=None),
             "status": "final" if as_of >= tip + timedelta(hours=2.5) else "scheduled"}
            for gid, tip in self._tips(as_of)
        ]

    def _box(self, game_date: date, as_of: datetime) -> list[Row]:
        if game_date != DAY:
            return []
        return [{"game_id": gid, "player_lookup": f"p{gid}"} for gid, tip in self._tips(as_of)
                if as_of >= tip + timedelta(hours=3)]

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        self._call("player_boxscores", game_date, as_of)
        return self._box(game_date, as_of)

    def team_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        self._call("team_boxscores", game_date, as_of)
        return self._box(game_date, as_of)

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        self._call("prop_lines", game_date, as_of)
        if game_date != DAY or as_of < at(15, 10):
            return []
        players = ["alpha", "bravo"] + (["charlie", "delta"] if as_of >= at(18, 40) else [])
        return [{"player_lookup": p, "market": "points", "bookmaker": "draftkings", "line": 20.5,
                 "over_price": -110, "under_price": -110} for p in players]

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        self._call("injuries", game_date, as_of)
        if game_date != DAY or as_of < at(14):
            return []
        return [{"player_lookup": "alpha", "status": "questionable" if as_of < at(20, 10) else "out"}]

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        return None

    def expected_player_games(self, game_date: date) -> int | None:
        return None

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        return None


class Starter:
    """Starts work as DBOS does: a workflow ID already started is not started again."""

    def __init__(self) -> None:
        self.started: dict[str, DailyRun | DataEvent] = {}
        self.starts = 0

    def start(self, work: DailyRun | DataEvent) -> str:
        self.starts += 1
        self.started.setdefault(work.workflow_id, work)
        return work.workflow_id


def simulate(warehouse: Warehouse, source: DaySource, engine: Starter, *, start: datetime, end: datetime,
             look_minutes: float = 15.0) -> list[PollRecord]:
    """The worker's looks from `start` to `end` on a virtual clock."""
    clock = VirtualClock(start)
    polls = []
    while clock.now() <= end:
        polls += poll_windows(warehouse, source, source_kind=SourceKind.LIVE, config=WindowsConfig(),
                              markets=("points",), now=clock.now(), publish=engine.start)
        clock.sleep(look_minutes * 60)
    return polls


def times(polls: list[PollRecord], kind: PollKind, game_date: date = DAY) -> list[str]:
    return [f"{p.polled_at:%d %H:%M}" for p in polls if p.kind is kind and p.game_date == game_date]


def every(start: datetime, end: datetime, minutes: int) -> list[str]:
    out = []
    while start <= end:
        out.append(f"{start:%d %H:%M}")
        start += timedelta(minutes=minutes)
    return out


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[PollRecord], DaySource, Starter]:
    """A day and a half of looks every 15 minutes (the shortest interval), from 06:00 on the game day."""
    source, engine = DaySource(), Starter()
    with Warehouse.open(tmp_path_factory.mktemp("windows") / "warehouse.duckdb") as warehouse:
        polls = simulate(warehouse, source, engine, start=at(6), end=at(18, day=11))
    return polls, source, engine


def test_props_are_polled_every_30_minutes_from_12_hours_before_the_first_tip_until_the_last(
    day: tuple[list[PollRecord], DaySource, Starter],
) -> None:
    polls, _, _ = day
    assert times(polls, PollKind.PROPS) == every(at(12), at(2, 30, day=11), 30)  # the last tip moved to 02:30
    assert times(polls, PollKind.INJURIES) == every(at(16), at(2, 0, day=11), 60)


def test_box_scores_are_polled_once_the_last_game_is_final_until_every_game_has_them(
    day: tuple[list[PollRecord], DaySource, Starter],
) -> None:
    polls, source, _ = day
    assert times(polls, PollKind.BOX_SCORES) == ["11 05:00", "11 05:15", "11 05:30"]  # final 05:00, box 05:30
    assert [p.complete for p in polls if p.kind is PollKind.BOX_SCORES] == [False, False, True]
    box_calls = [as_of for what, game_date, as_of in source.calls if what == "player_boxscores"]
    assert min(box_calls) == at(5, 0, day=11), "no box-score fetch before the last game is final"


def test_the_schedule_is_polled_at_once_daily_and_while_games_are_on(
    day: tuple[list[PollRecord], DaySource, Starter],
) -> None:
    polls, _, _ = day
    assert times(polls, PollKind.SCHEDULE) == [
        "10 06:00", "10 14:00", *every(at(0, 0, day=11), at(5, 0, day=11), 15), "11 14:00"]
    # Midnight in New York: the 12th joins the watched dates.
    assert times(polls, PollKind.SCHEDULE, date(2025, 1, 12)) == ["11 05:00", "11 14:00"]


def test_events_are_published_exactly_when_new_data_appears(
    day: tuple[list[PollRecord], DaySource, Starter],
) -> None:
    _, _, engine = day
    published = [
        (w.kind.value, f"{w.observed_at:%d %H:%M}") if isinstance(w, DataEvent) else (w.scope.value, w.game_date)
        for w in engine.started.values()
    ]
    assert published == [
        ("schedule", "10 14:00"),  # the second game moved
        ("props", "10 15:30"),  # lines appeared at 15:10
        ("injuries", "10 16:00"),  # the report of 14:00, at the first poll of its window
        ("props", "10 19:00"),  # more lines at 18:40
        ("injuries", "10 21:00"),  # the update of 20:10
        ("results", DAY),  # every final game has its box score
    ]
    assert engine.starts == len(engine.started), "nothing published twice"
    results = next(w for w in engine.started.values() if isinstance(w, DailyRun))
    assert results == DailyRun(DAY, RunMode.OVERNIGHT, SourceKind.LIVE, virtual=False, scope=Scope.RESULTS)
    props = next(w for w in engine.started.values() if isinstance(w, DataEvent) and w.kind is EventKind.PROPS)
    assert props.run == DailyRun(DAY, RunMode.SAME_DAY, SourceKind.LIVE, virtual=False)


def test_a_restarted_worker_polls_nothing_before_the_next_slot(home: Home) -> None:
    source, engine = DaySource(), Starter()
    with Warehouse.open(home.warehouse_path) as warehouse:
        simulate(warehouse, source, engine, start=at(6), end=at(17, 5))
    with Warehouse.open(home.warehouse_path) as warehouse:  # a new process, the same warehouse
        again = simulate(warehouse, source, engine, start=at(17, 10), end=at(17, 25))
        assert again == []
        later = simulate(warehouse, source, engine, start=at(17, 30), end=at(17, 30))
    assert [(p.kind, f"{p.slot_at:%H:%M}") for p in later] == [(PollKind.PROPS, "17:30")]


def test_a_poll_redone_after_a_crash_publishes_the_same_event_which_runs_once(home: Home) -> None:
    source, engine = DaySource(), Starter()
    with Warehouse.open(home.warehouse_path) as warehouse:
        simulate(warehouse, source, engine, start=at(6), end=at(19, 0))
        first = set(engine.started)
        # The worker died after publishing the 19:00 props event, before recording the poll.
        warehouse.execute(f"DELETE FROM {POLLS} WHERE kind = 'props' AND slot_at = ?", [at(19).replace(tzinfo=None)])
        (redone,) = simulate(warehouse, source, engine, start=at(19, 10), end=at(19, 10))
    assert redone.slot_at == at(19) and redone.event_workflow_id in first
    assert set(engine.started) == first and engine.starts == len(first) + 1


def test_a_failed_poll_is_recorded_and_retried_at_the_next_slot_without_a_false_event(home: Home) -> None:
    source, engine = DaySource(), Starter()
    with Warehouse.open(home.warehouse_path) as warehouse:
        simulate(warehouse, source, engine, start=at(6), end=at(16))
        source.failing = {"prop_lines"}
        failed = [p for p in simulate(warehouse, source, engine, start=at(16, 30), end=at(16, 45))
                  if p.kind is PollKind.PROPS]
        source.failing = set()
        retried = [p for p in simulate(warehouse, source, engine, start=at(17), end=at(17))
                   if p.kind is PollKind.PROPS]
        recorded = polls_between(warehouse, at(16, 30), at(17), source="live")
    assert [(f"{p.slot_at:%H:%M}", p.failed) for p in failed] == [("16:30", True)]
    assert "The fake prop_lines feed is down." in failed[0].reason
    assert [(f"{p.slot_at:%H:%M}", p.failed, p.event_workflow_id) for p in retried] == [("17:00", False, None)]
    assert [p.kind for p in recorded].count(PollKind.PROPS) == 2
    assert sum(isinstance(w, DataEvent) and w.kind is EventKind.PROPS for w in engine.started.values()) == 1


class TbdSource(DaySource):
    """The same day, plus a game whose tip-off is not set yet."""

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        rows = super().schedule(game_date, as_of=as_of)
        tbd = {"game_id": "g3", "home_team": "H3", "away_team": "A3", "tipoff_utc": None, "status": "scheduled"}
        return [*rows, tbd] if rows else rows


def test_a_game_without_a_tip_off_opens_no_window_and_breaks_nothing(home: Home) -> None:
    with Warehouse.open(home.warehouse_path) as warehouse:
        polls = simulate(warehouse, TbdSource(), Starter(), start=at(11, 45), end=at(12))
    (schedule,) = [p for p in polls if p.kind is PollKind.SCHEDULE and p.game_date == DAY]
    assert schedule.rows_seen == 3 and [g["game_id"] for g in schedule.games or ()] == ["g1", "g2"]
    assert [(p.kind, p.slot_at) for p in polls if p.game_date == DAY][1:] == [(PollKind.PROPS, at(12))]


def test_a_paused_kind_is_not_polled_until_its_pause_ends(home: Home) -> None:
    source, engine = DaySource(), Starter()
    pause_end = at(14)
    polls: list[PollRecord] = []
    with Warehouse.open(home.warehouse_path) as warehouse:
        clock = VirtualClock(at(6))
        while clock.now() <= at(16):
            paused = frozenset({PollKind.PROPS.value}) if clock.now() < pause_end else frozenset()
            polls += poll_windows(warehouse, source, source_kind=SourceKind.LIVE, config=WindowsConfig(),
                                  markets=("points",), now=clock.now(), publish=engine.start, paused=paused)
            clock.sleep(15 * 60)
    assert times(polls, PollKind.PROPS) == every(at(14), at(16), 30)  # from the first slot after the pause
    assert times(polls, PollKind.SCHEDULE)  # the other kinds went on
