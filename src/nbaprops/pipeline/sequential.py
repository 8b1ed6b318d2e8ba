"""Runs a plan straight through, phase by phase, without gates: the backtest's runner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from nbaprops.pipeline.plan import DatePhase, PhaseSteps
from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.runner import ProcessorRun, run_processor


def run_plan(
    ctx: ProcessorContext, plan: Sequence[PhaseSteps], *, game_date: date | None, previous_game_date: date | None
) -> list[ProcessorRun]:
    """Run every step whose date exists (the first day has no previous game day)."""
    runs = []
    for phase in plan:
        for step in phase.steps:
            target = game_date if step.date_phase is DatePhase.UPCOMING else previous_game_date
            if target is not None:
                runs.append(run_processor(step.processor, ctx, target))
    return runs
