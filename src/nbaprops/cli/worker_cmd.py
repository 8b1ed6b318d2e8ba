"""`nbaprops worker`: the long-running executor of a home."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit
from nbaprops.orchestration.worker import run_worker


def worker(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Run scheduled daily runs, work handed over by other commands, the stuck-work sweep and the
    scraper-window polls, until SIGTERM or Ctrl-C; unfinished work resumes when a worker starts again.

    Each worker runs as its own executor (\\[orchestration.worker] executor_id, default
    worker-<hostname>) under one application version, heartbeating; it re-enqueues the pending work
    of executors gone silent or stopped, and carries older versions' unfinished work over to its own.

    Scraper windows (\\[sources.windows] in the config): the schedule once a day and while games
    are on, props every 30 min from 12 h before the first tip-off, injuries hourly from 8 h before
    it, box scores every 15 min once the last game is final; new data is applied as events."""
    context = app_context(ctx)
    stop = threading.Event()
    console = Console(stderr=True)

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        console.print(
            f"[dim]Received {signal.Signals(signum).name}; stopping after the current step.[/dim]"
        )
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        report = run_worker(
            context.home,
            context.settings,
            stop=stop,
            notify=lambda message: console.print(
                f"[dim]{message}[/dim]", highlight=False, soft_wrap=True
            ),
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    data = {
        "started": report.started,
        "resumed": report.resumed,
        "stuck_runs": report.stuck,
        "polls": [poll.to_json() for poll in report.polls],
    }
    emit(
        data,
        as_json=as_json,
        render=lambda out: out.print(
            f"Worker stopped: started {len(report.started)} scheduled runs, resumed "
            f"{len(report.resumed)} unfinished workflows, recorded {report.stuck} stuck runs, made "
            f"{len(report.polls)} window polls."
        ),
    )
