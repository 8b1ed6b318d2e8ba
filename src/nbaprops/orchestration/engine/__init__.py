"""The orchestration engine: DBOS launched in this process as an executor of the home.

On the embedded default one process at a time executes the workflows of a home, since DuckDB lets
one process write the warehouse: it holds `<home>/executor.lock` for as long as DBOS is launched.
With the warehouse and the system database on PostgreSQL any number of workers execute at once,
sharing the home's queues, each leaving alone the work of the others that heartbeat. Another process that
wants work done hands it over instead (`execute`): it enqueues the workflow, with its
deterministic ID, on the home's queue, which the worker consumes, and waits for it; when the
executor was a command that does not consume the queue, the waiting process takes over the
executor role once it is free and runs the work itself. Either way the work runs once.

Each job lives in its own private module: `_system_db` (the system database's place, schema
and connection), `_lock` (the executor lock file), `_work` (work, its workflow, outcomes and
listed rows), `_executor` (the launched engine's lifecycle), `_executors` (the executor registry and its
heartbeats), `_recovery` (carrying work over from gone executors and older versions), `_fencing`
(naming every PostgreSQL session for its executor, and ending a gone executor's), `_version`
(the application version), `_client` (the admin client) and
`_handover` (running work here or handing it to the executor).
"""

from nbaprops.orchestration.engine._client import EngineClient
from nbaprops.orchestration.engine._executor import Engine, launched
from nbaprops.orchestration.engine._executors import UNREGISTERED, ExecutorRegistry, ExecutorRow
from nbaprops.orchestration.engine._handover import execute
from nbaprops.orchestration.engine._lock import ExecutorLock
from nbaprops.orchestration.engine._recovery import Carried, gone_executors, stale_version
from nbaprops.orchestration.engine._system_db import (
    Role,
    dbos_config,
    executor_id,
    sqlite_engine,
    system_database_url,
    system_schema,
)
from nbaprops.orchestration.engine._version import application_version
from nbaprops.orchestration.engine._work import (
    FINISHED,
    SETTLED,
    Work,
    Workflow,
    WorkflowOutcome,
    WorkflowRow,
    workflow_of,
)

__all__ = [
    "FINISHED",
    "SETTLED",
    "UNREGISTERED",
    "Carried",
    "Engine",
    "EngineClient",
    "ExecutorLock",
    "ExecutorRegistry",
    "ExecutorRow",
    "Role",
    "Work",
    "Workflow",
    "WorkflowOutcome",
    "WorkflowRow",
    "application_version",
    "dbos_config",
    "execute",
    "executor_id",
    "gone_executors",
    "launched",
    "sqlite_engine",
    "stale_version",
    "system_database_url",
    "system_schema",
    "workflow_of",
]
