"""A backfill: every game day of a range through the daily pipeline, in order, then the results
of the last day (building history: Phases 2-4 of every game day, no results day). Each day is a
child workflow with the ID it would have anyway, so a restarted backfill attaches to the days
already done instead of running them again.

With the delivery faults the days are handed over out of order and/or twice; each day waits for
the day before it, so the outcome is the same.
"""

from __future__ import annotations

import random
from datetime import date
from functools import partial
from typing import Any

from nbaprops.orchestration.durable import ChildHandle, ChildKind, Durable
from nbaprops.orchestration.requests import Backfill, DailyRun, Scope
from nbaprops.orchestration.runtime import Runtime


def game_dates_step(runtime: Runtime, backfill: Backfill) -> list[str]:
    with runtime.lease.hold() as warehouse:
        source = runtime.source(backfill.source, warehouse)
        return [day.isoformat() for day in source.game_dates(backfill.start, backfill.end)]


def delivery_order(days: list[DailyRun], backfill: Backfill) -> list[DailyRun]:
    """The order the days are handed to the engine in: as they come, or shuffled and/or twice."""
    deliveries = [day for day in days for _ in range(2 if backfill.duplicate else 1)]
    if backfill.reorder:
        random.Random(backfill.delivery_seed).shuffle(deliveries)
    return deliveries


def run_backfill_days(durable: Durable, backfill: Backfill) -> dict[str, Any]:
    """Run the days; returns how each ended (a failed day does not stop the ones after it)."""
    dates = [
        date.fromisoformat(d)
        for d in durable.step("game_dates", partial(game_dates_step, durable.runtime, backfill))
    ]
    days = [backfill.day(d) for d in dates]
    if dates and not backfill.history:
        days.append(backfill.day(dates[-1], scope=Scope.RESULTS))
    handles: dict[str, ChildHandle] = {}
    if backfill.duplicate or backfill.reorder:
        for day in delivery_order(days, backfill):
            handles[day.workflow_id] = durable.start_child(
                ChildKind.DAILY, day.to_json(), workflow_id=day.workflow_id
            )
    outcomes: dict[str, dict[str, Any]] = {}
    for day in days:
        handle = handles.get(day.workflow_id) or durable.start_child(
            ChildKind.DAILY, day.to_json(), workflow_id=day.workflow_id
        )
        outcome = handle.outcome()
        status = outcome.result["status"] if outcome.result is not None else "failed"
        outcomes[day.workflow_id] = {
            "game_date": day.game_date.isoformat(),
            "scope": day.scope.value,
            "status": status,
            "error": outcome.error,
        }
        durable.runtime.on_day(day.game_date, status)
    statuses = [o["status"] for o in outcomes.values() if o["scope"] != Scope.RESULTS.value]
    results = [o["status"] for o in outcomes.values() if o["scope"] == Scope.RESULTS.value]
    return {
        "workflow_id": durable.workflow_id,
        "start": backfill.start.isoformat(),
        "end": backfill.end.isoformat(),
        "mode": backfill.mode.value,
        "source": backfill.source.value,
        "game_days": len(dates),
        "complete": statuses.count("complete"),
        "degraded": statuses.count("degraded"),
        "failed": statuses.count("failed"),
        "last_results": results[0] if results else None,
        "days": outcomes,
    }
