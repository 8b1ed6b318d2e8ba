"""While the pipeline holds the warehouse, pages and the API show their last reading, marked stale."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
from tests.web.served import served

from nbaprops.clock import SystemClock
from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.web.app import create_app
from nbaprops.web.readings import DashboardReadings

_HOLD = """
import sys
import duckdb
with duckdb.connect(sys.argv[1]) as connection:
    connection.execute("CREATE TABLE IF NOT EXISTS main.touched (n INTEGER)")
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_held_warehouse_shows_the_last_reading_marked_stale(demo_home: Home, tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    shutil.copyfile(demo_home.warehouse_path, home.warehouse_path)
    settings = Settings(dashboard={"read_wait_seconds": 0.2, "cache_seconds": 0})
    with served(create_app(home, settings)) as base:
        fresh = httpx.get(base + "/api/overview").json()
        assert fresh["reading"]["stale"] is False
        with subprocess.Popen([sys.executable, "-c", _HOLD, str(home.warehouse_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) as writer:
            assert writer.stdin is not None and writer.stdout is not None
            try:
                assert writer.stdout.readline().strip() == "held"
                stale = httpx.get(base + "/api/overview").json()
                page = httpx.get(base + "/")
                never_read = httpx.get(base + "/api/system")
            finally:
                writer.stdin.close()
                writer.wait(timeout=30)
        assert stale["reading"] == {**fresh["reading"], "stale": True}
        assert stale["predictions"] == fresh["predictions"]
        assert "The pipeline is writing to the warehouse" in page.text
        assert never_read.status_code == 503 and never_read.headers["retry-after"] == "5"
        assert "no earlier reading" in never_read.json()["error"]
        assert httpx.get(base + "/api/overview").json()["reading"]["stale"] is False


def test_every_page_keeps_its_reading_while_nothing_is_written(demo_home: Home, demo_settings: Settings) -> None:
    """Reading the breakers touches the orchestration database's -wal file; that is no write."""
    readings = DashboardReadings(demo_home, demo_settings, clock=SystemClock())
    for read in (readings.overview, readings.system, lambda: readings.pipeline(None),
                 lambda: readings.predictions(None), lambda: readings.today(None)):
        first = read()
        assert read() is first
