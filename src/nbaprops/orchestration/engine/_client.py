"""The admin client: the home's system database, reached without executing anything."""

from __future__ import annotations

import time
from collections.abc import Sequence

import sqlalchemy as sa
from dbos import DBOSClient

from nbaprops.config import Settings
from nbaprops.errors import OrchestrationError
from nbaprops.home import Home
from nbaprops.orchestration.dbos_logs import keep_dbos_off_the_terminal
from nbaprops.orchestration.engine._system_db import (
    APP_NAME,
    QUEUE_NAME,
    system_database_url,
    system_schema,
)
from nbaprops.orchestration.engine._work import (
    FINISHED,
    Work,
    WorkflowOutcome,
    WorkflowRow,
    workflow_of,
)
from nbaprops.suggestions import list_workflows


class EngineClient:
    """Talks to the home's system database without executing anything: hands work over,
    lists, resumes and cancels workflows. Works whether or not an executor is running."""

    def __init__(self, home: Home, settings: Settings) -> None:
        self.home = home
        url = system_database_url(home, settings)
        if url.startswith("sqlite") and not home.orchestration_db_path.exists():
            raise OrchestrationError(
                f"No workflows have run on {home.root} yet ({home.orchestration_db_path} does not "
                "exist); run a day or a backfill first."
            )
        keep_dbos_off_the_terminal()
        self._client = DBOSClient(
            system_database_url=url,
            dbos_system_schema=system_schema(home, settings),
            application_name=APP_NAME,
        )

    def enqueue(self, work: Work, *, ready_timeout_seconds: float = 30.0) -> str:
        """Hand `work` to the executor. An executor that has just started may still be creating
        the system tables, so a missing table is waited out (bounded), never reported as a crash."""
        deadline = time.monotonic() + ready_timeout_seconds
        while True:
            try:
                self._client.enqueue(
                    {
                        "queue_name": QUEUE_NAME,
                        "workflow_name": workflow_of(work).name,
                        "workflow_id": work.workflow_id,
                    },
                    work.to_json(),
                )
                return work.workflow_id
            except (sa.exc.OperationalError, sa.exc.ProgrammingError) as e:
                if not _missing_table(e) or time.monotonic() >= deadline:
                    raise OrchestrationError(
                        f"Could not hand {work.workflow_id} to the executor of {self.home.root}: {e.orig}. "
                        f"Check that the executor started ({list_workflows()}) and try again."
                    ) from e
                time.sleep(0.1)

    def outcome(self, workflow_id: str) -> WorkflowOutcome | None:
        """The outcome once the workflow has ended; None while it runs or waits."""
        status = self._client.retrieve_workflow(workflow_id).get_status()
        if status.status not in FINISHED:
            return None
        error = None if status.error is None else str(status.error)
        return WorkflowOutcome(workflow_id, status.status, status.output, error)

    def statuses(self, prefixes: Sequence[str]) -> dict[str, str]:
        """The status of every workflow whose ID starts with one of `prefixes`, by ID (none while
        an executor that has just started is still creating the system tables)."""
        try:
            rows = self._client.list_workflows(
                workflow_id_prefix=list(prefixes), load_input=False, load_output=False
            )
        except (sa.exc.OperationalError, sa.exc.ProgrammingError) as e:
            if not _missing_table(e):
                raise
            return {}
        return {row.workflow_id: row.status for row in rows}

    def workflows(
        self, *, status: str | None = None, prefix: str | None = None, limit: int = 50
    ) -> list[WorkflowRow]:
        """The newest workflows first."""
        rows = self._client.list_workflows(
            status=status,
            workflow_id_prefix=prefix,
            limit=limit,
            sort_desc=True,
            load_input=False,
            load_output=False,
        )
        return [WorkflowRow.of(row) for row in rows]

    def unfinished(self) -> list[WorkflowRow]:
        """Every PENDING or ENQUEUED workflow, oldest first."""
        rows = self._client.list_workflows(
            status=["PENDING", "ENQUEUED"], load_input=False, load_output=False
        )
        return [WorkflowRow.of(row) for row in rows]

    def workflow(self, workflow_id: str) -> WorkflowRow:
        rows = self._client.list_workflows(
            workflow_ids=[workflow_id], load_input=False, load_output=False
        )
        if not rows:
            raise OrchestrationError(
                f"No workflow {workflow_id!r} on {self.home.root}; {list_workflows()} shows "
                "the IDs."
            )
        return WorkflowRow.of(rows[0])

    def resume(self, workflow_id: str) -> None:
        """Queue an unfinished workflow to continue from its last recorded step."""
        row = self.workflow(workflow_id)
        if row.settled:
            raise OrchestrationError(
                f"Workflow {workflow_id} has finished ({row.status}); a finished workflow replays "
                "its record the same way, so it cannot be resumed."
            )
        self._client.resume_workflow(workflow_id)

    def cancel(self, workflow_id: str) -> None:
        """Stop a workflow at its next step; it can be resumed later."""
        row = self.workflow(workflow_id)
        if row.settled:
            raise OrchestrationError(
                f"Workflow {workflow_id} has already finished ({row.status}); nothing to cancel."
            )
        self._client.cancel_workflow(workflow_id)

    def close(self) -> None:
        self._client.destroy()

    def __enter__(self) -> EngineClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _missing_table(error: sa.exc.DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)
