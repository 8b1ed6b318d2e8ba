"""Times each dashboard page (target: < 1 s, server and full render) on a home holding the
whole 2024-25 replay season, built by ingest and `backfill --source replay` through the
orchestrator when the home has no warehouse yet (several minutes; pass --home to keep it).

Usage: python benchmarks/bench_dashboard.py [--home DIR] [--data ../shared/data/2024-25]
Per page: the server's time on a cold reading (a fresh app, nothing kept: what the first load
after each pipeline write costs), on a kept one, and the browser's full load (navigation start
to the load event, headless Chromium at /usr/bin/chromium) on a cold reading. The process is
warmed once first (imports, DuckDB's first open), as a long-running dashboard is.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from nbaprops.config import Settings, load_settings
from nbaprops.home import Home
from nbaprops.ingest import ingest_paths
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.service import run_backfill
from nbaprops.warehouse import Warehouse
from nbaprops.web.app import create_app

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "2024-25"
PAGES = ("/", "/pipeline", "/predictions", "/today", "/system")
_BUSIEST_DAY = """
    SELECT game_date FROM nba_predictions.player_prop_predictions WHERE is_active
    GROUP BY game_date ORDER BY count(*) DESC, game_date DESC LIMIT 1
"""
CHROMIUM = Path("/usr/bin/chromium")


def build_season_home(home: Home, data: Path) -> None:
    """Ingest `data` and run its whole season through the orchestrator (replay source)."""
    with Warehouse.open(home.warehouse_path) as warehouse:
        ingest_paths(warehouse, [data])
        first, last = warehouse.query(
            "SELECT min(game_date) AS first, max(game_date) AS last FROM nba_raw.history_prop_lines")[0].values()
        markets = [row["market"] for row in warehouse.query(
            "SELECT DISTINCT market FROM nba_raw.history_prop_lines ORDER BY market")]
    home.config_path.write_text(f"[predictions]\nmarkets = {markets!r}\n".replace("'", '"'))
    run_backfill(home, Settings(predictions={"markets": markets}), start=first, end=last, source=SourceKind.REPLAY)


class Served:
    """The dashboard of `home` on a free loopback port, in a thread."""

    def __init__(self, home: Home) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        app = create_app(home, load_settings(home.config_path))
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join()


def server_times(home: Home, pages: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """Per page: seconds on a fresh app (cold reading) and again (kept reading)."""
    with Served(home) as base:
        httpx.get(base + "/", timeout=60).raise_for_status()  # warms the process, as a running dashboard is
    times = {}
    for page in pages:
        with Served(home) as base, httpx.Client(base_url=base, timeout=60) as client:
            started = time.perf_counter()
            client.get(page).raise_for_status()
            cold = time.perf_counter() - started
            started = time.perf_counter()
            client.get(page).raise_for_status()
            times[page] = (cold, time.perf_counter() - started)
    return times


def render_times(home: Home, pages: tuple[str, ...]) -> dict[str, float]:
    """Per page: the browser's navigation start to load event, on a fresh app (cold reading)."""
    from playwright.sync_api import sync_playwright

    times = {}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        for page in pages:
            with Served(home) as base:
                tab.goto(base + page, wait_until="load")
                times[page] = tab.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return (n.loadEventEnd - n.startTime) / 1000; }")
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, default=None, help="Season home to reuse (built when empty).")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Home(args.home or Path(folder) / "home").ensure()
        if not home.warehouse_path.exists():
            started = time.perf_counter()
            build_season_home(home, args.data)
            print(f"built the season home {home.root} in {time.perf_counter() - started:.0f} s")
        with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
            held = warehouse.query(
                "SELECT (SELECT count(DISTINCT game_date) FROM nba_orchestration.processor_run_history) AS days,"
                " (SELECT count(*) FROM nba_predictions.player_prop_predictions) AS predictions,"
                " (SELECT count(*) FROM nba_predictions.prediction_accuracy) AS graded")[0]
            busiest = warehouse.scalar(_BUSIEST_DAY)
        pages = PAGES if busiest is None else (*PAGES, f"/today?date={busiest}")
        print(f"home: {home.root}: {held['days']} game days run, {held['predictions']} predictions, "
              f"{held['graded']} graded")
        servers = server_times(home, pages)
        renders = render_times(home, pages) if CHROMIUM.exists() else {}
        print(f"{'page':<26}{'server cold s':>14}{'server kept s':>14}{'browser load s':>16}  (target < 1 s)")
        for page in pages:
            cold, kept = servers[page]
            render = f"{renders[page]:.3f}" if page in renders else "no chromium"
            print(f"{page:<26}{cold:>14.3f}{kept:>14.3f}{render:>16}")


if __name__ == "__main__":
    main()
