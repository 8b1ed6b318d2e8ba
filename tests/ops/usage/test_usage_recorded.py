"""What is recorded to account for: a processor run's resources in the warehouse, a request's bytes and
credits in the raw store (a real loopback server), read back into the usage report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from tests.sources.loopback import Reply, serve

from nbaprops.clock import VirtualClock
from nbaprops.config import EspnSourceConfig, OddsApiSourceConfig, Settings
from nbaprops.errors import ProcessorError
from nbaprops.ops.usage import Grouping, read_requests, read_runs, read_usage, warehouse_bytes
from nbaprops.ops.usage_config import UsageConfig
from nbaprops.processors.base import Processor, ProcessorContext, Rows
from nbaprops.processors.resources import peak_rss_bytes
from nbaprops.processors.runner import run_processor
from nbaprops.sources.http import SourceClient
from nbaprops.sources.raw_store import RawStore
from nbaprops.warehouse import Warehouse

GAME_DATE = date(2025, 1, 10)
NOW = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)


class _Named:
    name = "replay"


class CopyThree(Processor):
    """Reads the 7 seeded rows, writes 3."""

    name: ClassVar[str] = "copy_three"
    phase: ClassVar[str] = "phase3"
    output_table: ClassVar[str] = "nba_analytics.usage_out"
    inputs: ClassVar[tuple[str, ...]] = ("nba_analytics.usage_in",)

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        return None

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        rows = ctx.warehouse.query("SELECT x FROM nba_analytics.usage_in ORDER BY x")
        return [{"game_date": game_date, "x": row["x"]} for row in rows[:3]]


class Broken(CopyThree):
    name: ClassVar[str] = "broken"

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        ctx.warehouse.query("SELECT x FROM nba_analytics.usage_in")
        raise ValueError("no good")


def _context(warehouse: Warehouse) -> ProcessorContext:
    warehouse.execute("CREATE SCHEMA IF NOT EXISTS nba_analytics")
    warehouse.execute("CREATE TABLE nba_analytics.usage_in AS SELECT range AS x FROM range(7)")
    warehouse.execute("CREATE TABLE nba_analytics.usage_out (game_date DATE, x BIGINT)")
    return ProcessorContext(warehouse=warehouse, source=_Named(), clock=VirtualClock(NOW),  # type: ignore[arg-type]
                            settings=Settings(), run_id="run-1")


def test_a_run_records_its_rows_read_and_written_time_cpu_and_the_process_peak(warehouse: Warehouse) -> None:
    ctx = _context(warehouse)
    run_processor(CopyThree(), ctx, GAME_DATE)
    with pytest.raises(ProcessorError, match="no good"):
        run_processor(Broken(), ctx, GAME_DATE, attempt=2)
    [row] = warehouse.query("SELECT * FROM nba_orchestration.processor_run_usage WHERE processor = 'copy_three'")
    assert (row["phase"], row["game_date"], row["run_id"], row["attempt"], row["source"], row["status"]) == (
        "phase3", GAME_DATE, "run-1", 1, "replay", "success")
    assert (row["rows_read"], row["rows_written"]) == (7, 3)
    assert row["started_at"] == NOW.replace(tzinfo=None)  # the run's clock
    assert row["wall_seconds"] >= row["cpu_seconds"] * 0 and row["wall_seconds"] > 0
    assert 0 < row["peak_rss_bytes"] <= peak_rss_bytes()

    runs = {run.processor: run for run in read_runs(warehouse)}
    assert set(runs) == {"copy_three", "broken"}
    failed = runs["broken"]
    assert (failed.status, failed.rows_read, failed.rows_written, failed.day) == ("failed", 7, 0, GAME_DATE)
    assert read_runs(warehouse, since=date(2025, 1, 11)) == []


def _sidecar_client(name: str, config: Any, raw_store: RawStore) -> SourceClient:
    return SourceClient(name, config, clock=VirtualClock(NOW), raw_store=raw_store)


def test_requests_count_their_bytes_and_a_metered_source_its_credits_header(tmp_path: Path) -> None:
    raw_store = RawStore(tmp_path / "raw")
    odds_body, espn_body = b'[{"id": "e1"}]', b'{"events": []}' * 10
    with serve() as server:
        server.route("/v4/sports/basketball_nba/events", Reply.json(
            [{"id": "e1"}], headers={"x-requests-remaining": "497", "x-requests-used": "3", "x-requests-last": "2"}))
        server.route("/scoreboard", Reply(200, espn_body, {"content-type": "application/json", "x-requests-last": "9"}))
        with _sidecar_client("odds_api", OddsApiSourceConfig(base_url=server.base_url, api_key="k"), raw_store) as c:
            c.get("events", "/v4/sports/basketball_nba/events", game_date=GAME_DATE)
            c.get("events", "/v4/sports/basketball_nba/events", game_date=GAME_DATE)
        with _sidecar_client("espn", EspnSourceConfig(base_url=server.base_url), raw_store) as c:
            c.get("scoreboard", "/scoreboard", game_date=GAME_DATE)
    requests = read_requests(tmp_path / "raw", metered=UsageConfig().metered)
    by_source = {(r.source, r.credits, r.bytes) for r in requests}
    assert len(requests) == 3 and all(r.day == GAME_DATE and r.status_code == 200 for r in requests)
    # espn's header is ignored: only [usage.metered] sources bill credits
    assert by_source == {("odds_api", 2.0, len(odds_body)), ("espn", 0.0, len(espn_body))}
    assert read_requests(tmp_path / "raw", since=date(2025, 1, 11)) == []
    assert read_requests(tmp_path / "missing") == []


def test_the_report_of_a_home_adds_runs_requests_and_the_warehouse_size(warehouse: Warehouse, tmp_path: Path) -> None:
    run_processor(CopyThree(), _context(warehouse), GAME_DATE)
    RawStore(tmp_path / "raw").save(source="odds_api", endpoint="event_odds", game_date=GAME_DATE, url="http://x/o",
                                    status_code=200, fetched_utc=NOW, content=b"x" * 100,
                                    headers={"x-requests-last": "5"})
    prices = UsageConfig(cpu_hour_price=0.0)
    report = read_usage(warehouse, tmp_path / "raw", by=Grouping.SOURCE, since=None, config=prices)
    groups = {group.key: group for group in report.groups}
    assert set(groups) == {"odds_api", "replay"}
    assert (groups["odds_api"].requests, groups["odds_api"].bytes, groups["odds_api"].credits) == (1, 100, 5.0)
    assert groups["odds_api"].cost == pytest.approx(5 * 0.0015) == report.total.cost
    assert (groups["replay"].runs, groups["replay"].rows_written, groups["replay"].bytes) == (1, 3, 0)
    assert report.warehouse_bytes == warehouse_bytes(warehouse) > 0


def test_a_ledger_line_cut_off_mid_write_is_skipped(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    store.save(source="espn", endpoint="scoreboard", game_date=GAME_DATE, url="http://x/s", status_code=503,
               fetched_utc=NOW, content=b"down", headers={"set-cookie": "a", "x-ratelimit-remaining": "9"})
    with store.ledger_path.open("a", encoding="utf-8") as ledger:
        ledger.write('{"source": "espn", "endp')
    [request] = read_requests(tmp_path / "raw")
    assert (request.source, request.status_code, request.bytes, request.credits) == ("espn", 503, 4, 0.0)


def test_the_storage_measured_is_the_warehouses_own_on_either_backend(any_warehouse: Warehouse) -> None:
    before = warehouse_bytes(any_warehouse)
    any_warehouse.execute("CREATE TABLE nba_raw.ballast (n INTEGER, pad VARCHAR)")
    values = ", ".join(f"({n}, '{'x' * 200}{n}')" for n in range(20000))
    any_warehouse.execute(f"INSERT INTO nba_raw.ballast VALUES {values}")
    any_warehouse.execute("CHECKPOINT")
    assert before > 0 and warehouse_bytes(any_warehouse) > before
