"""The Pipeline page: per game_date and processor, how far each run got, what each gate decided
and why, and the day's timeline. Read through the one read model (`nbaprops.state`) and shaped
as `nbaprops status` shapes it, so both say the same."""

from __future__ import annotations

from datetime import date
from typing import Any

from nbaprops.orchestration.status import status_of
from nbaprops.state import DayTimeline, latest_run_date, read_day_record, read_day_timeline
from nbaprops.warehouse import Warehouse
from nbaprops.web.pages._format import iso

_RUN_DATES = "SELECT DISTINCT game_date FROM nba_orchestration.processor_run_history ORDER BY game_date"


def pipeline_data(warehouse: Warehouse, *, game_date: date | None) -> dict[str, Any]:
    """The status of `game_date` (default: the latest date run), its timeline, and the dates that ran."""
    dates = [row["game_date"] for row in warehouse.query(_RUN_DATES)]
    chosen = game_date or latest_run_date(warehouse)
    data: dict[str, Any] = {
        "game_date": iso(chosen),
        "dates": [d.isoformat() for d in dates],
        "previous_date": iso(max((d for d in dates if chosen and d < chosen), default=None)),
        "next_date": iso(min((d for d in dates if chosen and d > chosen), default=None)),
    }
    if chosen is None:
        return {**data, "processors": [], "gates": [], "phases": [], "events": [], "timeline": None}
    record = read_day_record(warehouse, game_date=chosen)
    timeline = read_day_timeline(warehouse, game_date=chosen)
    return {**data, **status_of(record), "timeline": timeline_json(timeline)}


def timeline_json(timeline: DayTimeline) -> dict[str, Any]:
    """The timeline as JSON: each workflow's phases (wall clock, and how long the run's clock
    waited in each), when each of their processors finished, and each decision."""
    return {
        "phases": [
            {
                "workflow_id": p.workflow_id,
                "phase": p.phase,
                "status": p.status,
                "started_utc": iso(p.started_utc),
                "completed_utc": iso(p.completed_utc),
                "wall_seconds": round((p.completed_utc - p.started_utc).total_seconds(), 3),
                "started_at": iso(p.started_at),
                "waited_seconds": round((p.completed_at - p.started_at).total_seconds(), 3),
                "processors": [
                    {"processor": f.processor, "state": f.state, "attempt": f.attempt, "records": f.records,
                     "expected": f.expected, "finished_utc": iso(f.finished_utc)}
                    for f in p.processors
                ],
            }
            for p in timeline.phases
        ],
        "decisions": [
            {
                "workflow_id": d.workflow_id,
                "kind": d.kind,
                "gate": d.gate,
                "processor": d.processor,
                "decision": d.decision,
                "reason": d.reason,
                "decided_at": iso(d.decided_at),
                "recorded_utc": iso(d.recorded_utc),
            }
            for d in timeline.decisions
        ],
    }
