"""What the daily pipeline asks before it pages: who reads whom for one date (so a failure that follows
from a failed input joins its cause, `reliability.consequences`), and whether the same failure was
already paged on the same run day by another workflow (a results run after the day run)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date

from nbaprops.orchestration.runtime import Runtime
from nbaprops.orchestration.store import EVENTS

_PAGED_TODAY = f"""
    SELECT workflow_id FROM {EVENTS}
    WHERE alert AND kind = 'give_up' AND game_date = ? AND processor = ? AND workflow_id <> ?
      AND json_extract_string(inputs, '$.error_class') IS NOT DISTINCT FROM ?
    ORDER BY decided_at, event_id LIMIT 1
"""


def reads_graph(
    names: Collection[str],
    *,
    inputs_of: Callable[[str], Collection[str]],
    output_of: Callable[[str], str],
    date_of: Mapping[str, date | None],
) -> dict[str, list[str]]:
    """Each processor of `names` -> the processors of `names` whose output it reads for the same
    date (in `names` order)."""
    return {
        name: [
            other
            for other in names
            if other != name and date_of[other] is not None and date_of[other] == date_of[name]
            and output_of(other) in inputs_of(name)
        ]
        for name in names
    }


def paged_today_step(
    runtime: Runtime, *, game_date: date, processor: str, error_class: str | None, workflow_id: str
) -> str | None:
    """The workflow that already paged a give-up of `processor` with `error_class` on the run day
    `game_date` (None: nobody did)."""
    with runtime.lease.hold() as warehouse:
        rows = warehouse.query(_PAGED_TODAY, [game_date, processor, workflow_id, error_class])
    return None if not rows else str(rows[0]["workflow_id"])
