"""Backfills spread over the home's workers: each range is one workflow on the home's queue, and the
workers sharing the queue take them.

A day reads the earlier days of its season, and its features read the whole season before it (last
season's games and minutes, and its rate when `[predictions] carry_over_games` > 0), so the ranges of
a run of consecutive seasons go one after another, on one worker at a time; seasons with a gap between
them share nothing and run at once. `waves` is that rule; `run_on_workers` enqueues wave after wave.

Pipelined (`stages`), each range goes on the queue twice: as its history backfill (Phases 2-4 of every
day) and as its pipelined backfill (each day takes Phases 2-4 from that day's history run, then
predicts and grades). Two workers then run a season's history ahead while another predicts it; one
worker runs the history first and the predictions after, the same work in another order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from nbaprops.config import Settings
from nbaprops.errors import OrchestrationError
from nbaprops.home import Home
from nbaprops.orchestration.engine import EngineClient, WorkflowOutcome
from nbaprops.orchestration.requests import Backfill
from nbaprops.seasons import season_end, season_start

POLL_SECONDS = 0.5


def waves(backfills: Sequence[Backfill]) -> list[list[Backfill]]:
    """The backfills in the waves they can run in: each wave's backfills at once, a wave after the
    one before it has ended. The ranges of consecutive seasons follow one another; runs of seasons
    with a season missing between them go side by side."""
    ordered = sorted(backfills, key=lambda run: run.start)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.start <= earlier.end:
            raise OrchestrationError(
                f"Backfills {earlier.start}..{earlier.end} and {later.start}..{later.end} overlap; "
                "give each game day to one backfill."
            )
    chains: list[list[Backfill]] = []
    for run in ordered:
        year = season_start(run.start).year
        if season_start(run.end).year != year:
            raise OrchestrationError(
                f"Backfill {run.start}..{run.end} spans seasons; give each season its own range."
            )
        if chains and year - season_start(chains[-1][-1].start).year <= 1:
            chains[-1].append(run)
        else:
            chains.append([run])
    width = max((len(chain) for chain in chains), default=0)
    return [[chain[i] for chain in chains if i < len(chain)] for i in range(width)]


def by_season(run: Backfill) -> list[Backfill]:
    """`run` as one backfill per season it touches (a range each, clipped to `run`'s), in order: the
    ranges `waves` orders, as `nbaprops backfill --on-workers` hands them to the workers."""
    ranges = []
    first = run.start
    while first <= run.end:
        last = min(run.end, season_end(first))
        ranges.append(replace(run, start=first, end=last))
        first = last + timedelta(days=1)
    return ranges


def stages(run: Backfill, *, pipelined: bool) -> list[Backfill]:
    """What goes on the queue for `run`: itself, or (pipelined) its history backfill and then itself
    taking its Phases 2-4 from that history."""
    if not pipelined or run.history:
        return [run]
    return [run.as_history(), replace(run, pipelined=True)]


@dataclass(frozen=True)
class Distributed:
    """How each backfill ended, by workflow ID, and the waves they ran in."""

    outcomes: dict[str, WorkflowOutcome]
    waves: list[list[str]]

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes.values())


def run_on_workers(
    home: Home,
    settings: Settings,
    backfills: Sequence[Backfill],
    *,
    pipelined: bool = False,
    notify: Callable[[str], None] = lambda message: None,
    poll_seconds: float = POLL_SECONDS,
) -> Distributed:
    """Enqueue the backfills on the home's queue, wave after wave, for its workers to take, and wait
    for all of them. Needs at least one `nbaprops worker` consuming the queue."""
    planned = [[stage for run in wave for stage in stages(run, pipelined=pipelined)] for wave in waves(backfills)]
    outcomes: dict[str, WorkflowOutcome] = {}
    with EngineClient(home, settings) as client:
        for wave in planned:
            for run in wave:
                client.enqueue(run)
            notify(f"Enqueued {', '.join(run.workflow_id for run in wave)} for the home's workers.")
            waiting = {run.workflow_id for run in wave}
            while waiting:
                for workflow_id in sorted(waiting):
                    outcome = client.outcome(workflow_id)
                    if outcome is not None:
                        outcomes[workflow_id] = outcome
                        waiting.discard(workflow_id)
                        notify(f"{workflow_id} ended {outcome.status}.")
                if waiting:
                    time.sleep(poll_seconds)
    return Distributed(outcomes, [[run.workflow_id for run in wave] for wave in planned])
