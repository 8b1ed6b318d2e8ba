"""The worker sends the daily digest once per date, to a real receiver on loopback, on a fast virtual
clock; a restarted worker does not send it again."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from nbaprops.config import load_settings
from nbaprops.home import Home
from nbaprops.orchestration.worker import WorkerReport, run_worker
from nbaprops.warehouse import Warehouse


class RacingClock:
    """Virtual time running `speed` times faster than real time from `start` (first reading)."""

    def __init__(self, start: datetime, *, speed: float) -> None:
        self._start, self._speed = start, speed
        self._t0: float | None = None

    def now(self) -> datetime:
        if self._t0 is None:
            self._t0 = time.monotonic()
        return self._start + timedelta(seconds=(time.monotonic() - self._t0) * self._speed)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds / self._speed)


@pytest.fixture
def receiver() -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """An HTTP server on 127.0.0.1 taking apprise's json:// posts; yields (port, bodies received)."""
    bodies: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            bodies.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], bodies
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def work(home: Home, clock: RacingClock, *, until: Any) -> tuple[WorkerReport, list[str]]:
    settings = load_settings(home.config_path)
    stop = threading.Event()
    notes: list[str] = []
    reports: list[WorkerReport] = []
    thread = threading.Thread(target=lambda: reports.append(
        run_worker(home, settings, stop=stop, notify=notes.append, clock=clock)))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not until(notes) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    return reports[0], notes


def test_the_worker_sends_the_digest_once_per_date(tmp_path: Path, receiver: tuple[int, list[dict[str, Any]]]) -> None:
    port, bodies = receiver
    home = Home(tmp_path / "home").ensure()
    home.config_path.write_text(
        '[digest]\nenabled = true\nat_utc = "15:00"\n'
        '[orchestration.worker]\nschedules = []\npoll_interval_seconds = 0.05\nsource = "sim"\n'
        "watch_interval_seconds = 86400\n[sources.windows]\nenabled = false\n"
        f'[[alerting.channels]]\nname = "hook"\nurl = "json://127.0.0.1:{port}/digest"\nmin_severity = "critical"\n',
        encoding="utf-8",
    )

    def digests(count: int) -> Any:
        return lambda notes: sum(note.startswith("Digest of") for note in notes) >= count

    # About 40 virtual minutes a loop: 14:00 on the 10th to past 15:00 on the 11th within a few seconds.
    report, notes = work(home, RacingClock(datetime(2025, 1, 10, 14, 0, tzinfo=UTC), speed=48_000), until=digests(2))
    assert report.digests[:2] == ["2025-01-10", "2025-01-11"]
    assert [body["title"].split(":")[0] for body in bodies][:2] == [
        "nbaprops digest 2025-01-10", "nbaprops digest 2025-01-11"]
    assert "Health:" in bodies[0]["message"] and "Dashboard: http://127.0.0.1:8350/today?date=2025-01-10" in (
        bodies[0]["message"])
    sent = len(bodies)

    # Restarted past the 11th's send time: it looks at once, finds the date sent, and sends nothing.
    report, notes = work(home, RacingClock(datetime(2025, 1, 11, 16, 0, tzinfo=UTC), speed=1.0), until=digests(1))
    assert report.digests == ["2025-01-11"]
    assert any("Digest of 2025-01-11: sent before, not again." in note for note in notes), notes
    assert len(bodies) == sent
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        rows = warehouse.query("SELECT game_date, channels, delivered FROM nba_orchestration.digests ORDER BY 1")
    assert [(row["game_date"].isoformat(), row["channels"], row["delivered"]) for row in rows][:2] == [
        ("2025-01-10", 1, 1), ("2025-01-11", 1, 1)]
