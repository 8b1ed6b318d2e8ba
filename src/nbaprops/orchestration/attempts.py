"""Which attempt of a day or a backfill a command means: the latest recorded one, or with
`--rerun` the next one.

Attempts are read from the orchestration database, so every process and every restart agrees on
them. Two re-runs of the same work asked for at the same time make one new attempt, not two
racing ones: a re-run joins an attempt of its work that has not finished yet, and two re-runs
that both find the last attempt finished both choose the next number, so the same workflow ID,
which runs once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import EngineClient, WorkflowOutcome
from nbaprops.orchestration.requests import (
    RERUN_SUFFIX,
    SCOPE_PREFIX,
    Backfill,
    DailyRun,
    Scope,
    attempt_of,
)

# A re-run joins an attempt in one of these states instead of starting another.
RUNNING = frozenset({"PENDING", "ENQUEUED"})


def attempts_by_first_id(statuses: Mapping[str, str]) -> dict[str, dict[int, str]]:
    """Workflow statuses (by ID) grouped as first attempt's ID -> attempt number -> status."""
    grouped: dict[str, dict[int, str]] = {}
    for workflow_id, status in statuses.items():
        head, found, _ = workflow_id.rpartition(RERUN_SUFFIX)
        first = head if found else workflow_id
        number = attempt_of(workflow_id, first)
        if number is None:
            first, number = workflow_id, 1
        grouped.setdefault(first, {})[number] = status
    return grouped


def choose_attempt(own: Mapping[int, str], *, rerun: bool, parts: int = 0) -> int:
    """The attempt to run: the latest of `own` (attempt number -> status; 1 when none), or for a
    re-run the next one, unless the latest is still running, which the re-run joins.

    `parts`: the highest attempt of the work's parts run on their own (a backfill's days); a
    re-run goes past it, so none of its days attaches to a run that is already over.
    """
    latest = max(own, default=0)
    if not rerun:
        return max(latest, 1)
    if latest >= parts and own.get(latest) in RUNNING:
        return latest
    return max(latest, parts) + 1


def day_attempt(
    statuses: Mapping[str, str], run: DailyRun, *, rerun: bool, at_least: int = 1
) -> int:
    """The attempt of `run` to run, from the statuses of its workflows; a re-run's is at least
    `at_least` (the regrade after a day's re-run takes the day's attempt number)."""
    grouped = attempts_by_first_id(statuses)
    return choose_attempt(grouped.get(run.first_workflow_id, {}), rerun=rerun, parts=at_least - 1)


def backfill_attempt(statuses: Mapping[str, str], backfill: Backfill, *, rerun: bool) -> int:
    """The attempt of `backfill` to run, from the statuses of its and its days' workflows."""
    grouped = attempts_by_first_id(statuses)
    days = [
        backfill.day(backfill.start + timedelta(days=offset), scope=scope).first_workflow_id
        for offset in range((backfill.end - backfill.start).days + 1)
        for scope in Scope
    ]
    parts = max((max(grouped[day]) for day in days if day in grouped), default=0)
    return choose_attempt(grouped.get(backfill.first_workflow_id, {}), rerun=rerun, parts=parts)


def backfill_prefixes(backfill: Backfill) -> list[str]:
    """The workflow ID prefixes `backfill_attempt` needs the statuses of."""
    return [backfill.first_workflow_id, *(f"{prefix}:" for prefix in SCOPE_PREFIX.values())]


def workflow_statuses(home: Home, settings: Settings, prefixes: Sequence[str]) -> dict[str, str]:
    """The status of each of the home's workflows whose ID starts with one of `prefixes`
    (none before the first workflow ran)."""
    if settings.orchestration.database_url is None and not home.orchestration_db_path.exists():
        return {}
    with EngineClient(home, settings) as client:
        return client.statuses(prefixes)


def finished_outcome(home: Home, settings: Settings, workflow_id: str) -> WorkflowOutcome | None:
    """How the workflow `workflow_id` ended; None while it has not."""
    with EngineClient(home, settings) as client:
        return client.outcome(workflow_id)
