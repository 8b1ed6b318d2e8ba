"""What the remediation executor reads to know a remedy applies: lines that arrived after an
incident, the polls a pause holds, graded dates and their box scores."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from nbaprops.orchestration.poll_store import polls_of_date
from nbaprops.orchestration.windows import PollKind
from nbaprops.reliability.remediation import Action, Outcome
from nbaprops.reliability.remediation_log import RemediationLog
from nbaprops.warehouse import Warehouse


def props_arrived_at(warehouse: Warehouse, game_date: date, *, after: datetime) -> datetime | None:
    """The slot of the first props poll of `game_date` after `after` whose lines differ from the
    ones polled before (None: nothing new arrived)."""
    polls = [poll for poll in polls_of_date(warehouse, game_date) if poll.kind is PollKind.PROPS and not poll.failed]
    before = [poll.fingerprint for poll in polls if poll.polled_at <= after]
    known = before[-1] if before else None
    for poll in polls:
        if poll.polled_at > after and poll.rows_seen and poll.fingerprint != known:
            return poll.slot_at
    return None


def paused_poll_kinds(warehouse: Warehouse, *, now: datetime) -> frozenset[str]:
    """The poll kinds whose polls a pause_polling remediation holds at `now`."""
    return frozenset(
        record.target
        for record in RemediationLog(warehouse).records(action=Action.PAUSE_POLLING, outcome=Outcome.SUCCESS)
        if record.started_at <= now and (record.finished_at is None or now < record.finished_at)
    )


def graded_dates(warehouse: Warehouse, *, since: date, until: date) -> list[date]:
    rows = warehouse.query(
        "SELECT DISTINCT game_date FROM nba_predictions.prediction_accuracy WHERE game_date BETWEEN ? AND ? "
        "ORDER BY 1",
        [since, until],
    )
    return [row["game_date"] for row in rows]


_BOX_SCORE_KEYS = ("game_id", "player_lookup", "minutes", "pts", "reb", "ast", "fg3m")


def stored_box_scores(warehouse: Warehouse, game_date: date) -> list[dict[str, object]]:
    return warehouse.query(
        f"SELECT {', '.join(_BOX_SCORE_KEYS)} FROM nba_raw.player_boxscores WHERE game_date = ?", [game_date]
    )


def box_score_hash(rows: Iterable[Mapping[str, object]]) -> str:
    """What grading reads of the player box scores, as one hash (row order does not matter)."""
    keys = sorted(json.dumps([_plain(row.get(key)) for key in _BOX_SCORE_KEYS], default=str) for row in rows)
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value is None else value if isinstance(value, int | float) else str(value)
