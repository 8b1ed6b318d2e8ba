"""The dashboard's readings never hold the warehouse: a writer gets in right after one, and
while a writer holds it a page shows its last reading, marked stale, within `wait_seconds`."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from nbaprops.errors import WarehouseBusyError, WarehouseError
from nbaprops.warehouse import Warehouse
from nbaprops.web.reader import WarehouseReader, files_signature

# Plain DuckDB, as the pipeline's writer opens it (importing all of nbaprops would take seconds).
_HOLD = """
import sys
import duckdb
with duckdb.connect(sys.argv[1]) as connection:
    connection.execute("INSERT INTO nba_raw.quarantine_marks VALUES (1)")
    print("held", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        warehouse.execute("CREATE TABLE nba_raw.quarantine_marks (n INTEGER)")
    return path


@contextmanager
def writer(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the warehouse for writing until the block ends (it fails at once
    when the warehouse is held: DuckDB does not wait)."""
    with subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdin is not None and process.stdout is not None
        held = process.stdout.readline().strip()
        try:
            assert held == "held", process.stderr.read() if process.stderr else ""
            yield process
        finally:
            process.stdin.close()
            process.wait(timeout=30)


def count(warehouse: Warehouse) -> int:
    return int(warehouse.scalar("SELECT count(*) FROM nba_raw.quarantine_marks"))


def test_a_writer_opens_the_warehouse_at_once_after_a_reading(warehouse_path: Path) -> None:
    reader = WarehouseReader(warehouse_path, wait_seconds=0.0)
    assert reader.read("marks", count).value == 0
    with writer(warehouse_path) as process:
        assert process.poll() is None


def test_a_kept_reading_is_reused_until_the_warehouse_changes(warehouse_path: Path) -> None:
    reader = WarehouseReader(warehouse_path, wait_seconds=0.0, cache_seconds=60)
    calls: list[int] = []

    def counted(warehouse: Warehouse) -> int:
        calls.append(1)
        return count(warehouse)

    first = reader.read("marks", counted)
    assert reader.read("marks", counted) is first and len(calls) == 1
    with writer(warehouse_path):
        pass
    changed = reader.read("marks", counted)
    assert (changed.value, changed.stale, len(calls)) == (1, False, 2)


def test_while_a_writer_holds_the_warehouse_the_last_reading_is_shown_stale(warehouse_path: Path) -> None:
    reader = WarehouseReader(warehouse_path, wait_seconds=0.3, cache_seconds=0)
    first = reader.read("marks", count)
    with writer(warehouse_path):
        started = time.monotonic()
        shown = reader.read("marks", count)
        waited = time.monotonic() - started
    assert (shown.value, shown.stale, shown.read_utc) == (first.value, True, first.read_utc)
    assert waited < 5


def test_without_an_earlier_reading_a_held_warehouse_is_reported_busy(warehouse_path: Path) -> None:
    reader = WarehouseReader(warehouse_path, wait_seconds=0.0)
    with writer(warehouse_path), pytest.raises(WarehouseBusyError, match="in use by another nbaprops process"):
        reader.read("marks", count)


def test_a_missing_warehouse_says_what_to_do(tmp_path: Path) -> None:
    reader = WarehouseReader(tmp_path / "warehouse.duckdb")
    with pytest.raises(WarehouseError, match="no warehouse at .* ingest data or run the demo"):
        reader.read("marks", count)
    assert not (tmp_path / "warehouse.duckdb").exists()


@pytest.mark.parametrize(("wait_seconds", "cache_seconds", "message"), [
    (-1.0, 0.0, "wait_seconds -1.0 must not be negative"),
    (0.0, -2.0, "cache_seconds -2.0 must not be negative"),
])
def test_negative_durations_are_refused(tmp_path: Path, wait_seconds: float, cache_seconds: float,
                                        message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WarehouseReader(tmp_path / "w.duckdb", wait_seconds=wait_seconds, cache_seconds=cache_seconds)


def test_the_signature_changes_with_a_write_and_marks_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "file"
    assert files_signature([path]) == (None,)
    path.write_text("a")
    before = files_signature([path])
    path.write_text("ab")
    assert files_signature([path]) != before
