"""The scaffolding shared by the tests and benchmarks that run live workers: the config it writes loads
as the settings asked for, and stop, kill and wait_for end what they should, without a worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nbaprops.config import load_settings
from nbaprops.orchestration.worker_processes import kill, stop, wait_for, worker_config

# Says it is up, then sleeps; on SIGTERM writes "stopped" to stderr and ends.
SLEEPER = (
    "import signal, sys, time\n"
    "signal.signal(signal.SIGTERM, lambda *_: (sys.stderr.write('stopped'), sys.exit(0)))\n"
    "print('up', flush=True)\n"
    "time.sleep(60)\n"
)


def sleeper() -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SLEEPER], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "up\n"
    return process


def test_the_config_of_postgres_workers_loads_as_asked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(worker_config(
        heartbeat_interval_seconds=0.5, watchdog_interval_seconds=8.0, queue_concurrency=1,
        warehouse_url="postgresql://postgres@127.0.0.1:5432/w", database_url="postgresql://postgres@127.0.0.1:5432/s",
    ))
    settings = load_settings(path)
    worker = settings.orchestration.worker
    assert (worker.source, worker.schedules, worker.poll_interval_seconds) == ("sim", (), 0.2)
    assert (worker.heartbeat_interval_seconds, worker.watchdog_interval_seconds, worker.queue_concurrency) == (
        0.5, 8.0, 1
    )
    assert (settings.predictions.markets, settings.predictions.min_history_games) == (["points", "threes"], 2)
    assert settings.sources.windows.enabled is False
    assert settings.warehouse.url == "postgresql://postgres@127.0.0.1:5432/w"
    assert settings.orchestration.database_url is not None
    assert settings.orchestration.database_url.get_secret_value() == "postgresql://postgres@127.0.0.1:5432/s"


def test_settings_left_none_keep_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(worker_config(heartbeat_interval_seconds=1.0, source="replay", markets=["pra"],
                                  min_history_games=None))
    settings, defaults = load_settings(path), load_settings(tmp_path / "none.toml")
    worker = settings.orchestration.worker
    assert (worker.source, worker.heartbeat_interval_seconds, settings.predictions.markets) == ("replay", 1.0, ["pra"])
    assert worker.watchdog_interval_seconds == defaults.orchestration.worker.watchdog_interval_seconds
    assert worker.queue_concurrency == defaults.orchestration.worker.queue_concurrency
    assert settings.predictions.min_history_games == defaults.predictions.min_history_games
    assert (settings.warehouse.url, settings.orchestration.database_url) == (None, None)


def test_stop_ends_every_process_and_returns_each_ones_stderr() -> None:
    processes = [sleeper(), sleeper()]
    assert stop(*processes) == ["stopped", "stopped"]
    assert [process.returncode for process in processes] == [0, 0]


def test_kill_ends_those_running_and_leaves_the_ended_alone() -> None:
    running, ended = sleeper(), sleeper()
    stop(ended)
    kill(running, ended)
    assert (running.returncode, ended.returncode) == (-9, 0)


def test_wait_for_says_what_did_not_hold_in_time() -> None:
    with pytest.raises(TimeoutError, match=r"did not hold within 0.3 s\."):
        wait_for(lambda: False, timeout_seconds=0.3, interval_seconds=0.05)
