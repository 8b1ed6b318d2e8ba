"""The worker's window polls: fetch each due kind through the source, record the poll, and publish
a data-availability event when new data appeared.

What counts as new: prop lines or injury entries unlike the last poll's (a first poll that sees
any), a schedule unlike the last schedule poll's (games added, removed, moved or postponed; a game
going final is not a change), and box scores once every final game of an all-final day has them.
Props, injuries and schedule changes become `DataEvent`s, which refresh what they feed; complete
box scores start the date's results run. An event's ID hashes its kind, date and slot (never the
poll's wall-clock time), so a poll redone after a crash publishes the same event, which runs once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from nbaprops.errors import NbaPropsError
from nbaprops.orchestration.poll_store import FAILED, PollRecord, poll_state, previous_fingerprint, record_poll
from nbaprops.orchestration.requests import DailyRun, DataEvent, EventKind, Scope, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.watch import day_run_of, eastern_today
from nbaprops.orchestration.windows import FINAL, DuePoll, PollKind, due_polls
from nbaprops.orchestration.windows_settings import WindowsConfig
from nbaprops.sources.base import Row, Source
from nbaprops.warehouse import Warehouse

Publish = Callable[[DailyRun | DataEvent], str]
"""Starts the work (the engine's `start`) and returns its workflow ID."""

EVENT_OF = {
    PollKind.SCHEDULE: EventKind.SCHEDULE,
    PollKind.PROPS: EventKind.PROPS,
    PollKind.INJURIES: EventKind.INJURIES,
}


@dataclass(frozen=True)
class Fetched:
    """What one poll got: rows, their fingerprint, what was found in words; box scores: complete;
    the schedule: its games."""

    rows_seen: int
    fingerprint: str
    found: str
    complete: bool = False
    games: tuple[dict[str, Any], ...] | None = None


def window_dates(now: datetime, *, days_ahead: int) -> list[date]:
    """Yesterday (US/Eastern; its late games end after midnight), today and `days_ahead` dates after."""
    today = eastern_today(now)
    return [today + timedelta(days=offset) for offset in range(-1, days_ahead + 1)]


def poll_windows(
    warehouse: Warehouse,
    source: Source,
    *,
    source_kind: SourceKind,
    config: WindowsConfig,
    markets: Sequence[str],
    now: datetime,
    publish: Publish,
    notify: Callable[[str], None] = lambda message: None,
    paused: frozenset[str] = frozenset(),
) -> list[PollRecord]:
    """Make every poll due at `now`, schedule polls first (they set the other kinds' windows);
    none of the kinds in `paused` (a remediation paused them: their source's quota is low)."""
    dates = window_dates(now, days_ahead=config.days_ahead)
    source_name = source_kind.value

    def due_now() -> list[DuePoll]:
        slates, last = poll_state(warehouse, dates, source=source_name)
        return [poll for poll in due_polls(slates, config, last, now=now) if poll.kind.value not in paused]

    def make(poll: DuePoll) -> PollRecord:
        return _poll(warehouse, source, poll, source_kind=source_kind, markets=markets, now=now, publish=publish,
                     notify=notify)

    due = due_now()
    records = [make(poll) for poll in due if poll.kind is PollKind.SCHEDULE]
    if records:  # the games just polled may open or close the other kinds' windows
        due = due_now()
    return records + [make(poll) for poll in due if poll.kind is not PollKind.SCHEDULE]


def _poll(
    warehouse: Warehouse,
    source: Source,
    due: DuePoll,
    *,
    source_kind: SourceKind,
    markets: Sequence[str],
    now: datetime,
    publish: Publish,
    notify: Callable[[str], None],
) -> PollRecord:
    base = PollRecord(due.kind, due.game_date, source_kind.value, due.slot_at, now, 0, FAILED, due.reason)
    try:
        fetched = _fetch(source, due, markets=markets, now=now)
    except NbaPropsError as e:
        notify(f"Polling {due.kind} of {due.game_date} failed ({due.reason}): {e}")
        poll = replace(base, reason=f"{due.reason}; failed: {e}")
        record_poll(warehouse, poll)
        return poll
    previous = previous_fingerprint(warehouse, due.kind, due.game_date, source=source_kind.value)
    work = _news(due, fetched, source_kind=source_kind, previous=previous, warehouse=warehouse, now=now)
    workflow_id = None
    if work is not None:
        workflow_id = publish(work)
        notify(f"New {due.kind} for {due.game_date} ({fetched.found}); started {workflow_id}.")
    poll = replace(
        base,
        rows_seen=fetched.rows_seen,
        fingerprint=fetched.fingerprint,
        reason=f"{due.reason}; {fetched.found}",
        complete=fetched.complete,
        games=fetched.games,
        event_workflow_id=workflow_id,
    )
    record_poll(warehouse, poll)
    return poll


def _fetch(source: Source, due: DuePoll, *, markets: Sequence[str], now: datetime) -> Fetched:
    """Fetch (never write) what the poll asks for."""
    day = due.game_date
    match due.kind:
        case PollKind.SCHEDULE:
            rows = source.schedule(day, as_of=now)
            # A game without a tip-off time yet (balldontlie's TBD) opens no window until it has one.
            games = tuple(
                {"game_id": r["game_id"], "tipoff_utc": _iso(r["tipoff_utc"]), "status": r["status"]}
                for r in sorted(rows, key=lambda r: str(r["game_id"]))
                if r["tipoff_utc"] is not None
            )
            shape = [(r["game_id"], r["home_team"], r["away_team"], _iso(r["tipoff_utc"]), r["status"] == "postponed")
                     for r in rows]
            final = sum(r["status"] == FINAL for r in rows)
            return Fetched(len(rows), _hash(shape), f"{len(rows)} games, {final} final", games=games)
        case PollKind.PROPS:
            wanted = set(markets)
            rows = [r for r in source.prop_lines(day, as_of=now) if r["market"] in wanted]
            keys = [(r["player_lookup"], r["market"], r["bookmaker"], float(r["line"]), r["over_price"],
                     r["under_price"]) for r in rows]
            players = len({r["player_lookup"] for r in rows})
            return Fetched(len(rows), _hash(keys), f"{len(rows)} prop lines for {players} players")
        case PollKind.INJURIES:
            rows = source.injuries(day, as_of=now)
            entries = ((r["player_lookup"], r["status"]) for r in rows)
            return Fetched(len(rows), _hash(entries), f"{len(rows)} injury report entries")
        case PollKind.BOX_SCORES:
            final_ids = {str(r["game_id"]) for r in source.schedule(day, as_of=now) if r["status"] == FINAL}
            player_rows = source.player_boxscores(day, as_of=now)
            covered = _game_ids(player_rows) & _game_ids(source.team_boxscores(day, as_of=now))
            found = (f"box scores of {len(final_ids & covered)} of {len(final_ids)} final games, "
                     f"{len(player_rows)} player lines")
            complete = bool(final_ids) and final_ids <= covered
            return Fetched(len(player_rows), _hash(covered), found, complete=complete)


def _news(
    due: DuePoll,
    fetched: Fetched,
    *,
    source_kind: SourceKind,
    previous: str | None,
    warehouse: Warehouse,
    now: datetime,
) -> DailyRun | DataEvent | None:
    """The work new data calls for (None: nothing new): a first schedule is no change, and
    props or injuries that vanished are left to the next poll that sees some."""
    day = due.game_date
    if due.kind is PollKind.BOX_SCORES:
        if not fetched.complete:
            return None
        return DailyRun(day, RunMode.OVERNIGHT, source_kind, virtual=False, scope=Scope.RESULTS)
    if fetched.fingerprint == previous:
        return None
    if (previous is None) if due.kind is PollKind.SCHEDULE else not fetched.rows_seen:
        return None
    held = day_run_of(warehouse, day, source=source_kind)
    mode = held.mode if held is not None else _mode_for(day, today=eastern_today(now))
    # The slot, not the wall clock, is the observed time: a poll redone after a crash is the same event.
    return DataEvent(EVENT_OF[due.kind], DailyRun(day, mode, source_kind, virtual=False), due.slot_at)


def _mode_for(game_date: date, *, today: date) -> RunMode:
    if game_date < today:
        return RunMode.OVERNIGHT
    return RunMode.SAME_DAY if game_date == today else RunMode.TOMORROW


def _game_ids(rows: Iterable[Row]) -> set[str]:
    return {str(r["game_id"]) for r in rows if r.get("game_id") is not None}


def _hash(items: Iterable[Any]) -> str:
    text = json.dumps(sorted(items, key=repr), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _iso(instant: datetime | str | None) -> str | None:
    """An instant as aware UTC ISO text (a naive one is UTC, the warehouse's form)."""
    if instant is None:
        return None
    moment = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
    return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)).isoformat()
