"""A worker killed mid-phase, then restarted."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="worker_killed",
    summary="the worker dies after durable step 25 and restarts",
    recoverable=True,
    exercises="kill:after_step=25 in a forked worker, then the same work delivered again (DBOS recovery)",
    inject=("kill:after_step=25",),
    restarts=1,
)
