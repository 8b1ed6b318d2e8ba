"""The home's executors as operations sees them, and what in them needs an operator's attention.

Plain values, built by the orchestration (`nbaprops.orchestration.workers.read_workers`) and judged
here: a worker gone (stopped, or silent past the watchdog interval) whose pending work is not yet
recovered, and unfinished work of another application version that no executor of the current
one has carried over yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ExecutorState = Literal["live", "stopped", "silent", "recovered"]


@dataclass(frozen=True)
class ExecutorView:
    """One executor: who, which version, how long since its heartbeat, what it holds."""

    executor_id: str
    role: str
    host: str
    pid: int
    application_version: str
    heartbeat_age_seconds: float
    state: ExecutorState
    recovered_by: str | None = None
    pending: tuple[str, ...] = ()

    @property
    def gone(self) -> bool:
        return self.state in ("stopped", "silent")

    def to_json(self) -> dict[str, Any]:
        return {
            "executor_id": self.executor_id,
            "role": self.role,
            "host": self.host,
            "pid": self.pid,
            "application_version": self.application_version,
            "heartbeat_age_seconds": round(self.heartbeat_age_seconds, 1),
            "state": self.state,
            "recovered_by": self.recovered_by,
            "pending": list(self.pending),
        }


@dataclass(frozen=True)
class WorkersView:
    """Every executor of a home, the depth of each queue, and older versions' unfinished work."""

    current_version: str
    watchdog_interval_seconds: float
    executors: tuple[ExecutorView, ...] = ()
    queue_depth: Mapping[str, int] = field(default_factory=dict)
    other_versions: tuple[tuple[str, str], ...] = ()  # (workflow_id, its application version)

    def to_json(self) -> dict[str, Any]:
        return {
            "current_version": self.current_version,
            "watchdog_interval_seconds": self.watchdog_interval_seconds,
            "executors": [executor.to_json() for executor in self.executors],
            "queue_depth": dict(self.queue_depth),
            "other_versions": [{"workflow_id": wid, "application_version": v} for wid, v in self.other_versions],
            "warnings": workers_warnings(self),
        }


def executor_state(
    *, stopped: bool, recovered: bool, heartbeat_age_seconds: float, watchdog_interval_seconds: float
) -> ExecutorState:
    """Recovered once a live worker has taken its work; else stopped, silent past the watchdog
    interval, or live."""
    if recovered:
        return "recovered"
    if stopped:
        return "stopped"
    return "silent" if heartbeat_age_seconds > watchdog_interval_seconds else "live"


def workers_warnings(view: WorkersView) -> list[str]:
    """What needs attention, one sentence each (none when all is well)."""
    warnings = []
    for executor in view.executors:
        if executor.gone and executor.pending:
            if executor.role == "unregistered":
                how = "never registered (a command killed before it could), is gone,"
            elif executor.state == "stopped":
                how = "stopped"
            else:
                how = f"has not heartbeaten for {executor.heartbeat_age_seconds:.0f} s"
            warnings.append(
                f"Worker {executor.executor_id} {how} and its {len(executor.pending)} pending workflow(s) are not "
                f"yet recovered: {', '.join(executor.pending)}; a running worker recovers them within "
                f"{view.watchdog_interval_seconds:g} s (start one with `nbaprops worker`)."
            )
    if view.other_versions:
        named = ", ".join(f"{wid} ({version})" for wid, version in view.other_versions)
        warnings.append(
            f"{len(view.other_versions)} unfinished workflow(s) of another application version wait for a "
            f"worker of version {view.current_version} to carry them over: {named}."
        )
    return warnings
