"""Live `nbaprops worker` processes on a home: configure, start, watch, stop or kill them, and compare the
warehouse they leave. The tests and benchmarks that run real workers share these; nothing in the pipeline
calls them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

from nbaprops.config import load_settings
from nbaprops.home import Home
from nbaprops.orchestration.chaos_run import Snapshot
from nbaprops.orchestration.engine import EngineClient, ExecutorRegistry, ExecutorRow
from nbaprops.reliability.chaos import compare_rows

# The `nbaprops` command of this interpreter's environment.
NBAPROPS = str(Path(sys.executable).parent / "nbaprops")
EXECUTOR_ID_VAR = "NBAPROPS_ORCHESTRATION__WORKER__EXECUTOR_ID"


def worker_config(
    *,
    heartbeat_interval_seconds: float,
    watchdog_interval_seconds: float | None = None,
    queue_concurrency: int | None = None,
    source: str = "sim",
    markets: Sequence[str] = ("points", "threes"),
    min_history_games: int | None = 2,
    parallel_markets: int | None = None,
    warehouse_url: str | None = None,
    database_url: str | None = None,
) -> str:
    """A home's config.toml for workers that poll every 0.2 s and run only what is queued (no schedules,
    no watch, no fetch windows); a setting left None keeps its default; the warehouse and the system
    database at `warehouse_url` and `database_url` when given."""
    predictions = [f"markets = {json.dumps(list(markets))}"]
    if min_history_games is not None:
        predictions.append(f"min_history_games = {min_history_games}")
    if parallel_markets is not None:
        predictions.append(f"parallel_markets = {parallel_markets}")
    worker = [
        f"source = {json.dumps(source)}",
        "watch_interval_seconds = 3600",
        "schedules = []",
        "poll_interval_seconds = 0.2",
        f"heartbeat_interval_seconds = {heartbeat_interval_seconds}",
    ]
    if watchdog_interval_seconds is not None:
        worker.append(f"watchdog_interval_seconds = {watchdog_interval_seconds}")
    if queue_concurrency is not None:
        worker.append(f"queue_concurrency = {queue_concurrency}")
    sections: dict[str, list[str]] = {}
    if warehouse_url is not None:
        sections["warehouse"] = [f"url = {json.dumps(warehouse_url)}"]
    if database_url is not None:
        sections["orchestration"] = [f"database_url = {json.dumps(database_url)}"]
    sections |= {"predictions": predictions, "sources.windows": ["enabled = false"], "orchestration.worker": worker}
    return "\n".join(f"[{name}]\n" + "".join(f"{line}\n" for line in lines) for name, lines in sections.items())


def start_worker(
    home: Home,
    executor_id: str,
    *,
    env: Mapping[str, str] | None = None,
    stdout: int | IO[str] = subprocess.PIPE,
    stderr: int | IO[str] = subprocess.PIPE,
    prefix: Sequence[str] = (),
) -> subprocess.Popen[str]:
    """`nbaprops worker` on `home` as executor `executor_id`, with `env` over this process's environment and
    `prefix` before the command (`ip netns exec ...`); 200 columns wide, so its log lines are not wrapped."""
    return subprocess.Popen(
        [*prefix, NBAPROPS, "--home", str(home.root), "worker"],
        stdout=stdout,
        stderr=stderr,
        text=True,
        env={**os.environ, "COLUMNS": "200", EXECUTOR_ID_VAR: executor_id, **(env or {})},
    )


def stop(*processes: subprocess.Popen[str], timeout_seconds: float = 60) -> list[str]:
    """Send SIGTERM to all `processes` at once, then wait for each; their stderr ("" where not piped)."""
    for process in processes:
        process.send_signal(signal.SIGTERM)  # nothing when it has ended
    return [process.communicate(timeout=timeout_seconds)[1] or "" for process in processes]


def kill(*processes: subprocess.Popen[str], timeout_seconds: float = 30) -> None:
    """SIGKILL those of `processes` still running and wait for them to end."""
    for process in processes:
        # Only a running one: reading the pipes of one already waited for would fail.
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=timeout_seconds)


def wait_for(condition: Callable[[], bool], *, timeout_seconds: float = 300, interval_seconds: float = 0.2) -> None:
    """Return once `condition()` holds; TimeoutError when it has not within `timeout_seconds`."""
    deadline = time.monotonic() + timeout_seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{condition} did not hold within {timeout_seconds:g} s.")
        time.sleep(interval_seconds)


def executors(home: Home) -> dict[str, ExecutorRow]:
    """The registered executors of `home`, by ID."""
    registry = ExecutorRegistry.of(home, load_settings(home.config_path))
    try:
        return {row.executor_id: row for row in registry.executors()}
    finally:
        registry.close()


def day_holders(home: Home) -> set[str]:
    """The executors holding a day's run (a PENDING `daily:` workflow) of `home` right now."""
    with EngineClient(home, load_settings(home.config_path)) as client:
        rows = client.workflows(limit=500)
    return {
        row.executor_id for row in rows
        if row.executor_id is not None and row.status == "PENDING" and row.workflow_id.startswith("daily:")
    }


def ready(home: Home, count: int) -> bool:
    """Whether `count` workers of `home` are registered and not stopped, and DBOS's tables are there."""
    settings = load_settings(home.config_path)
    registry = ExecutorRegistry.of(home, settings)
    try:
        if not registry.exists() or sum(row.stopped_at_ms is None for row in registry.executors()) < count:
            return False
    finally:
        registry.close()
    try:
        with EngineClient(home, settings) as client:
            client.workflows(limit=1)
    except Exception:  # noqa: BLE001 - DBOS is still migrating its tables
        return False
    return True


def statuses(home: Home) -> dict[str, str]:
    """The status of each backfill and daily workflow of `home`; none while its workers create the database."""
    try:
        with EngineClient(home, load_settings(home.config_path)) as client:
            return client.statuses(["backfill:", "daily:"])
    except Exception:  # noqa: BLE001 - the worker is still creating its database
        return {}


def days_done(home: Home) -> int:
    """Daily workflows of `home` that have succeeded."""
    return sum(status == "SUCCESS" for wid, status in statuses(home).items() if wid.startswith("daily:"))


def differences(baseline: Snapshot, other: Snapshot) -> dict[str, tuple[int, int]]:
    """Each table where `other` differs from `baseline`: (differing rows, duplicate rows)."""
    found = {}
    for table in sorted(set(baseline) | set(other)):
        diff, dup = compare_rows(baseline.get(table, []), other.get(table, []))
        if diff or dup:
            found[table] = (diff, dup)
    return found
