"""Data-availability events: new lines, a schedule change or an injury update refresh a date.

An event refines the day run of its date, so it starts (or attaches to) that run first and
waits for it. It then re-runs only what the new data feeds, under its own run_id, so newer
predictions supersede older ones instead of duplicating them. An event older than one already
applied to the same date is stale: applying it would roll the date back, so it is skipped.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from nbaprops.orchestration.daily import Pipeline
from nbaprops.orchestration.durable import ChildKind, Durable
from nbaprops.orchestration.requests import DataEvent, EventKind
from nbaprops.orchestration.steps import applied_events_step

# What each kind of event re-runs (None: the whole date).
REFRESH: dict[EventKind, frozenset[str] | None] = {
    EventKind.PROPS: frozenset(
        {
            "odds_player_props",
            "upcoming_player_game_context",
            "player_daily_cache",
            "ml_feature_store",
            "player_prop_predictions",
        }
    ),
    EventKind.INJURIES: frozenset({"nbac_injury_report", "upcoming_player_game_context"}),
    EventKind.SCHEDULE: None,
}


def run_event(durable: Durable, event: DataEvent) -> dict[str, Any]:
    """Apply `event` once: after the day run of its date, unless a newer event was applied."""
    base = durable.start_child(
        ChildKind.DAILY, event.run.to_json(), workflow_id=event.run.workflow_id
    ).outcome()
    if event.run.virtual:
        durable.start_clock(event.observed_at)
    pipeline = Pipeline(
        durable,
        replace(event.run, since=None),
        run_id=durable.workflow_id,
        only=REFRESH[event.kind],
        kind="event",
    )
    source_mode = f"{event.run.mode}:{event.run.source}"
    observed_at = event.observed_at.isoformat()
    inputs = {
        "event_kind": event.kind.value,
        "source_mode": source_mode,
        "observed_at": observed_at,
        "players": list(event.players),
        "base_workflow_id": event.run.workflow_id,
        "base_status": "success" if base.ok else f"failed: {base.error}",
    }
    applied = durable.step(
        "applied_events",
        partial(
            applied_events_step,
            durable.runtime,
            game_date=event.game_date,
            kind=event.kind.value,
            source_mode=source_mode,
        ),
    )
    newer = [
        e
        for e in applied
        if e["observed_at"] > observed_at and e["workflow_id"] != durable.workflow_id
    ]
    if newer:
        pipeline.record(
            kind="data_event",
            decision="skipped_stale",
            inputs=inputs,
            reason=f"The {event.kind} event seen at {observed_at} for {event.game_date} is older "
            f"than the one seen at {newer[-1]['observed_at']} already applied "
            f"({newer[-1]['workflow_id']}); skipped so the date is not rolled back.",
        )
        pipeline.flush_records()
        return {
            "workflow_id": durable.workflow_id,
            "kind": "event",
            "status": "skipped_stale",
            "game_date": event.game_date.isoformat(),
        }
    outcome = pipeline.run(start_at=event.observed_at if event.run.virtual else None)
    players = f" for {len(event.players)} players" if event.players else ""
    pipeline.record(
        kind="data_event",
        decision="applied",
        inputs={**inputs, "status": outcome["status"]},
        reason=f"Applied the {event.kind} event seen at {observed_at}{players}: re-ran "
        f"{', '.join(sorted(n for n, a in pipeline.attempts.items() if a.state != 'skipped'))} "
        f"for {event.game_date}.",
    )
    pipeline.flush_records()
    return outcome
