"""Getting work done from any process: run it here as the executor, or hand it to the one that is.

Another process that wants work done while one executes enqueues the workflow, with its
deterministic ID, on the home's queue, which the worker consumes, and waits for it; when the
executor was a command that does not consume the queue, the waiting process takes over the
executor role once it is free and runs the work itself. Either way the work runs once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from nbaprops.config import Settings
from nbaprops.errors import NbaPropsError
from nbaprops.home import Home
from nbaprops.orchestration.engine._client import EngineClient
from nbaprops.orchestration.engine._executor import Engine
from nbaprops.orchestration.engine._lock import ExecutorLock
from nbaprops.orchestration.engine._system_db import POLL_SECONDS
from nbaprops.orchestration.engine._work import Work, WorkflowOutcome


def execute(
    home: Home,
    settings: Settings,
    work: Work,
    *,
    notify: Callable[[str], None] = lambda message: None,
    launch: Callable[[], Engine | None] | None = None,
    duplicate: bool = False,
    after: Callable[[Engine, WorkflowOutcome], object] | None = None,
) -> WorkflowOutcome:
    """Run `work` here as the executor, or hand it to the process that is, and wait for it;
    `after` hears of the outcome while the engine is still ours (not when handed over)."""
    start = launch or (lambda: Engine.try_launch(home, settings, notify=notify))
    handoff: EngineClient | None = None
    try:
        while True:
            engine = start()
            if engine is not None:
                with engine:
                    workflow_id = engine.start(work)
                    if duplicate:  # the fault deliver:duplicate: the same work, delivered again
                        engine.start(work)
                    finished = engine.wait(workflow_id)
                    if after is not None:
                        after(engine, finished)
                    return finished
            if handoff is None:
                handoff = _hand_over(home, settings, work, notify=notify)
                if handoff is None:
                    continue
            outcome = handoff.outcome(work.workflow_id)
            if outcome is not None:
                return outcome
            time.sleep(POLL_SECONDS)
    finally:
        if handoff is not None:
            handoff.close()


def _hand_over(
    home: Home, settings: Settings, work: Work, *, notify: Callable[[str], None]
) -> EngineClient | None:
    holder = ExecutorLock.of(home).holder_pid()
    try:
        handoff = EngineClient(home, settings)
    except NbaPropsError:
        time.sleep(POLL_SECONDS)  # the executor is still creating its database
        return None
    try:
        handoff.enqueue(work)
    except BaseException:
        handoff.close()
        raise
    notify(
        f"Another nbaprops process (pid {holder}) is executing work on {home.root}; handed "
        f"{work.workflow_id} to it and waiting for it to finish."
    )
    return handoff
