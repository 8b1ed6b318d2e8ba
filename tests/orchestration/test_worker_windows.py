"""`run_worker` polls the scraper windows through the source its runtime builds, and records the polls
that `events polls` lists."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

from tests.orchestration.test_polling import DaySource
from tests.orchestration.test_worker import FollowingClock
from typer.testing import CliRunner

from nbaprops.cli import main
from nbaprops.config import Settings, load_settings
from nbaprops.home import Home
from nbaprops.orchestration.poll_store import polls_between
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.windows import PollKind
from nbaprops.orchestration.worker import WorkerReport, run_worker
from nbaprops.sources.base import Source
from nbaprops.warehouse import Warehouse


def test_the_worker_polls_the_schedule_at_once_and_props_when_their_window_opens(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    home.config_path.write_text(
        "[orchestration.worker]\nschedules = []\npoll_interval_seconds = 0.05\nsource = 'replay'\n"
        "[sources.windows]\ncheck_interval_seconds = 0.05\n",
        encoding="utf-8",
    )
    settings = load_settings(home.config_path)
    source = DaySource()
    built: list[SourceKind] = []

    def factory(kind: SourceKind, warehouse: Warehouse, settings: Settings, home: Home) -> Source:
        built.append(kind)
        return source

    stop = threading.Event()
    reports: list[WorkerReport] = []
    clock = FollowingClock(datetime(2025, 1, 10, 11, 59, 59, 500000, tzinfo=UTC))  # props open at 12:00

    def work() -> None:
        reports.append(run_worker(home, settings, stop=stop, notify=lambda message: None, clock=clock,
                                  source_factory=factory))

    thread = threading.Thread(target=work)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not any(what == "prop_lines" for what, _, _ in source.calls) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    (report,) = reports
    assert set(built) == {SourceKind.REPLAY}
    first = [(p.kind, p.game_date) for p in report.polls[:3]]
    assert first == [(PollKind.SCHEDULE, date(2025, 1, d)) for d in (9, 10, 11)]  # never polled: at once
    props = [p for p in report.polls if p.kind is PollKind.PROPS]
    assert [(p.game_date, p.slot_at, p.rows_seen, p.event_workflow_id) for p in props] == [
        (date(2025, 1, 10), datetime(2025, 1, 10, 12, tzinfo=UTC), 0, None)]  # no lines yet: no event
    with Warehouse.open(home.warehouse_path) as warehouse:
        recorded = polls_between(warehouse, datetime(2025, 1, 10, tzinfo=UTC), datetime(2025, 1, 11, tzinfo=UTC),
                                 source="replay")
    assert recorded == report.polls
    listed = CliRunner().invoke(main.app, ["--home", str(home.root), "events", "polls", "--date", "2025-01-10",
                                           "--json"])
    assert listed.exit_code == 0, listed.output
    assert [(p["kind"], p["source"], p["slot_at"]) for p in json.loads(listed.stdout)["polls"]][1:] == [
        ("props", "replay", "2025-01-10T12:00:00+00:00")]


def test_with_the_windows_off_the_worker_polls_nothing(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    home.config_path.write_text(
        "[orchestration.worker]\nschedules = []\npoll_interval_seconds = 0.05\nsource = 'replay'\n"
        "[sources.windows]\nenabled = false\n",
        encoding="utf-8",
    )
    settings = load_settings(home.config_path)
    source = DaySource()
    stop = threading.Event()
    notes: list[str] = []
    reports: list[WorkerReport] = []

    def work() -> None:
        reports.append(run_worker(home, settings, stop=stop, notify=notes.append,
                                  clock=FollowingClock(datetime(2025, 1, 10, 18, tzinfo=UTC)),
                                  source_factory=lambda kind, warehouse, settings, home: source))

    thread = threading.Thread(target=work)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not any(note.startswith("Worker started") for note in notes) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # ten looks
    finally:
        stop.set()
        thread.join(timeout=60)
    (report,) = reports
    assert any(note.endswith("scraper windows off.") for note in notes), notes
    assert report.polls == [] and source.calls == []
