"""The commands nbaprops suggests to an operator, each built by one function here.

Reports, errors and alerts that tell someone what to run build the command with these, never
by hand, so `SUGGESTIONS` lists every command the code can print and a test runs each one
through the real entry point (`tests/test_suggestions.py`).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Suggestion:
    """A command line, as the arguments after `nbaprops`."""

    args: tuple[str, ...]

    def __str__(self) -> str:
        """As it reads in a message: `nbaprops run --date 2025-01-10 --rerun`, backquoted."""
        return f"`{shlex.join(('nbaprops', *self.args))}`"


def _run_options(mode: str | None, source: str | None) -> tuple[str, ...]:
    return (*(("--mode", mode) if mode else ()), *(("--source", source) if source else ()))


def run_day(game_date: date, *, source: str | None = None) -> Suggestion:
    """Run the pipeline of a day that has not run."""
    return Suggestion(("run", "--date", game_date.isoformat(), *_run_options(None, source)))


def rerun_day(game_date: date, *, mode: str | None = None, source: str | None = None) -> Suggestion:
    """Run a day again as a new attempt whose rows supersede the earlier ones."""
    return Suggestion(("run", "--date", game_date.isoformat(), *_run_options(mode, source), "--rerun"))


def regrade_day(game_date: date, *, mode: str | None = None, source: str | None = None) -> Suggestion:
    """Grade a day again: its results half (box scores through grading), as a new attempt."""
    return Suggestion(("run", "--date", game_date.isoformat(), *_run_options(mode, source), "--results", "--rerun"))


def backfill_range(start: date, end: date, *, source: str | None = None) -> Suggestion:
    """Run every game day of a range that has not run, in order (the history later days need)."""
    return Suggestion(("backfill", "--start", start.isoformat(), "--end", end.isoformat(), *_run_options(None, source)))


def rerun_range(start: date, end: date, *, mode: str | None = None, source: str | None = None) -> Suggestion:
    """Run every game day of a range again, in order, as a new attempt."""
    return Suggestion(
        ("backfill", "--start", start.isoformat(), "--end", end.isoformat(), *_run_options(mode, source), "--rerun")
    )


def investigate_grading(game_date: date) -> Suggestion:
    """Judge a day's grading: regression or variance."""
    return Suggestion(("investigate", "grading", "--date", game_date.isoformat()))


def day_status(game_date: date) -> Suggestion:
    """Where a day's processors and gates stand."""
    return Suggestion(("status", "--date", game_date.isoformat()))


def migrate_warehouse() -> Suggestion:
    """Create or upgrade the warehouse tables."""
    return Suggestion(("db", "migrate"))


def list_workflows() -> Suggestion:
    """The home's workflows and their IDs."""
    return Suggestion(("workflows", "list"))


def list_alerts() -> Suggestion:
    """The alerts firing and the silences."""
    return Suggestion(("alerts", "list"))


def list_quarantine(file: str | None = None) -> Suggestion:
    """The lines ingest refused and why, of every file or of `file`."""
    return Suggestion(("quarantine", "list", *(("--file", file) if file else ())))


def check_sources() -> Suggestion:
    """Probe each live source: status, latency, breaker state, quota left."""
    return Suggestion(("sources", "check"))


def ingest_help() -> Suggestion:
    """The file layouts ingest knows, with their columns."""
    return Suggestion(("ingest", "--help"))


def config_history() -> Suggestion:
    """Every config the home's runs ran under, with its hash."""
    return Suggestion(("config", "history"))


SUGGESTIONS: tuple[Callable[..., Suggestion], ...] = (
    run_day,
    rerun_day,
    regrade_day,
    backfill_range,
    rerun_range,
    investigate_grading,
    day_status,
    migrate_warehouse,
    list_workflows,
    list_alerts,
    list_quarantine,
    check_sources,
    ingest_help,
    config_history,
)
