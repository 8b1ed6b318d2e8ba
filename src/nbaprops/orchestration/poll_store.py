"""The worker's window polls in the warehouse (`nba_orchestration.source_polls`).

One row a (kind, date, source, slot), written once: a restarted worker reads back the last slot
it polled of each kind and the games its last schedule poll saw, so it neither polls a slot twice
nor forgets the day's tip-offs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from nbaprops.orchestration.store import naive_utc
from nbaprops.orchestration.windows import Game, LastPoll, PollKind, Slate
from nbaprops.state import table_exists
from nbaprops.warehouse import Warehouse

POLLS = "nba_orchestration.source_polls"
FAILED = ""  # the fingerprint of a poll whose fetch failed: it saw nothing, new or old


@dataclass(frozen=True)
class PollRecord:
    """One poll: what was asked, what came back, and the event it published (if any)."""

    kind: PollKind
    game_date: date
    source: str
    slot_at: datetime
    polled_at: datetime
    rows_seen: int
    fingerprint: str
    reason: str
    complete: bool = False
    games: tuple[dict[str, Any], ...] | None = None
    event_workflow_id: str | None = None

    @property
    def failed(self) -> bool:
        return self.fingerprint == FAILED

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "game_date": self.game_date.isoformat(),
            "source": self.source,
            "slot_at": self.slot_at.astimezone(UTC).isoformat(),
            "polled_at": self.polled_at.astimezone(UTC).isoformat(),
            "rows_seen": self.rows_seen,
            "complete": self.complete,
            "event": self.event_workflow_id,
            "reason": self.reason,
        }


def record_poll(warehouse: Warehouse, poll: PollRecord) -> None:
    """Insert the poll once (a second insert of the same slot changes nothing)."""
    warehouse.execute(
        f"INSERT OR IGNORE INTO {POLLS} (kind, game_date, source, slot_at, polled_at, rows_seen, fingerprint, "
        "complete, games, event_workflow_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            poll.kind.value,
            poll.game_date,
            poll.source,
            naive_utc(poll.slot_at),
            naive_utc(poll.polled_at),
            poll.rows_seen,
            poll.fingerprint,
            poll.complete,
            None if poll.games is None else json.dumps(list(poll.games), sort_keys=True, default=str),
            poll.event_workflow_id,
            poll.reason,
        ],
    )


def poll_state(
    warehouse: Warehouse, dates: Sequence[date], *, source: str
) -> tuple[list[Slate], dict[tuple[PollKind, date], LastPoll]]:
    """In one query: the games of each of `dates` as its latest successful schedule poll saw them
    (unknown before one), and the latest poll of each kind for each date, from `source`."""
    rows = warehouse.query(
        f"SELECT kind, game_date, max(slot_at) AS slot_at, bool_or(complete) AS complete, "
        f"arg_max(games, slot_at) FILTER (WHERE games IS NOT NULL) AS games FROM {POLLS} "
        "WHERE source = ? AND list_contains(?, game_date) GROUP BY kind, game_date",
        [source, list(dates)],
    )
    last = {(PollKind(r["kind"]), r["game_date"]): LastPoll(_aware(r["slot_at"]), bool(r["complete"])) for r in rows}
    seen = {r["game_date"]: json.loads(r["games"]) for r in rows if r["kind"] == PollKind.SCHEDULE and r["games"]}
    slates = [
        Slate(day, tuple(Game(_aware(datetime.fromisoformat(g["tipoff_utc"])), g["status"]) for g in seen[day]))
        if day in seen
        else Slate(day, known=False)
        for day in dates
    ]
    return slates, last


def previous_fingerprint(warehouse: Warehouse, kind: PollKind, game_date: date, *, source: str) -> str | None:
    """The fingerprint of the latest successful poll of `kind` for `game_date` (None: none yet)."""
    value = warehouse.scalar(
        f"SELECT arg_max(fingerprint, slot_at) FROM {POLLS} "
        "WHERE kind = ? AND game_date = ? AND source = ? AND fingerprint <> ?",
        [kind.value, game_date, source, FAILED],
    )
    return None if value is None else str(value)


def polls_between(warehouse: Warehouse, start: datetime, end: datetime, *, source: str) -> list[PollRecord]:
    """The polls made in [start, end], in the order they were made."""
    return _records(warehouse.query(
        f"SELECT * FROM {POLLS} WHERE source = ? AND polled_at BETWEEN ? AND ? ORDER BY polled_at, kind, game_date",
        [source, naive_utc(start), naive_utc(end)],
    ))


def polls_of_date(warehouse: Warehouse, game_date: date) -> list[PollRecord]:
    """Every poll for `game_date`, from any source, in the order they were made."""
    return _records(warehouse.query(
        f"SELECT * FROM {POLLS} WHERE game_date = ? ORDER BY polled_at, kind, source", [game_date]
    ))


def latest_polls(warehouse: Warehouse) -> list[PollRecord]:
    """The latest poll of each source and kind (by when it was made), by source then kind; none
    when the warehouse has no poll table yet."""
    if not table_exists(warehouse, POLLS):
        return []
    return _records(warehouse.query(
        f"SELECT * FROM {POLLS} QUALIFY row_number() OVER (PARTITION BY source, kind "
        "ORDER BY polled_at DESC, slot_at DESC, game_date DESC) = 1 ORDER BY source, kind"
    ))


def _records(rows: list[dict[str, Any]]) -> list[PollRecord]:
    return [
        PollRecord(
            kind=PollKind(r["kind"]),
            game_date=r["game_date"],
            source=r["source"],
            slot_at=_aware(r["slot_at"]),
            polled_at=_aware(r["polled_at"]),
            rows_seen=r["rows_seen"],
            fingerprint=r["fingerprint"],
            reason=r["reason"],
            complete=r["complete"],
            games=None if r["games"] is None else tuple(json.loads(r["games"])),
            event_workflow_id=r["event_workflow_id"],
        )
        for r in rows
    ]


def _aware(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
