"""`nbaprops workers` through the console-script entry: a home with nothing run, and a home whose
one worker fell silent."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from tests.cli.sim_cli import NBAPROPS

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import ExecutorRegistry, ExecutorRow


def workers(home: Home, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NBAPROPS), "--home", str(home.root), "workers", *args],
                          capture_output=True, text=True, timeout=60)


def test_a_home_where_nothing_ran_says_how_to_start(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    shown = workers(home)
    assert shown.returncode == 3  # an orchestration error
    assert f"No workflows have run on {home.root} yet; start one with `nbaprops worker`." in shown.stderr


def test_a_silent_worker_is_listed_with_its_heartbeat_age(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    registry = ExecutorRegistry.of(home, Settings())
    now_ms = int(time.time() * 1000)
    try:
        registry.create()
        registry.register(ExecutorRow(executor_id="worker-a", role="worker", host="h", pid=4, application_version="v1",
                                      started_at_ms=now_ms - 600_000, heartbeat_at_ms=now_ms - 120_000))
    finally:
        registry.close()
    shown = workers(home, "--json")
    assert shown.returncode == 0, shown.stderr
    [executor] = json.loads(shown.stdout)["executors"]
    assert (executor["executor_id"], executor["state"], executor["pending"]) == ("worker-a", "silent", [])
    assert 120 <= executor["heartbeat_age_seconds"] < 180
    text = workers(home)
    assert "worker-a" in text.stdout and "silent" in text.stdout and "Queues: all empty." in text.stdout
