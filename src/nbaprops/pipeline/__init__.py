"""The daily pipeline as data (which processor runs for which date, phase by phase) and its runners."""

from nbaprops.pipeline.plan import DatePhase, PhaseSteps, Step, daily_plan

__all__ = ["DatePhase", "PhaseSteps", "Step", "daily_plan"]
