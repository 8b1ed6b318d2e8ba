from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from nbaprops.errors import WarehouseBusyError, WarehouseError
from nbaprops.warehouse import Warehouse

TABLE = "nba_raw.injury_report"
DAY = date(2025, 1, 10)
STAMP = datetime(2025, 1, 10, 12)


def injury_rows(count: int, status: str, game_date: date = DAY) -> list[dict[str, object]]:
    return [
        {"game_date": game_date, "team": "BOS", "player_lookup": f"p{i}", "player_name": f"P {i}",
         "status": status, "reason": None, "reported_utc": STAMP}
        for i in range(count)
    ]


def partition(warehouse: Warehouse, game_date: date = DAY) -> list[tuple[str, int]]:
    return [(r["status"], r["n"]) for r in warehouse.query(
        f"SELECT status, count(*) AS n FROM {TABLE} WHERE game_date = ? GROUP BY status", [game_date])]


def test_replace_swaps_the_whole_partition_and_leaves_others(warehouse: Warehouse) -> None:
    other = date(2025, 1, 11)
    warehouse.replace_partition(TABLE, {"game_date": other}, injury_rows(2, "out", other))
    warehouse.replace_partition(TABLE, {"game_date": DAY}, injury_rows(5, "out"))
    assert warehouse.replace_partition(TABLE, {"game_date": DAY}, injury_rows(3, "probable")) == 3
    assert partition(warehouse) == [("probable", 3)]
    assert partition(warehouse, other) == [("out", 2)]


def test_replacing_with_no_rows_empties_the_partition(warehouse: Warehouse) -> None:
    warehouse.replace_partition(TABLE, {"game_date": DAY}, injury_rows(5, "out"))
    assert warehouse.replace_partition(TABLE, {"game_date": DAY}, []) == 0
    assert partition(warehouse) == []


@pytest.mark.parametrize(
    ("partition_key", "rows", "message"),
    [
        ({"game_date": DAY}, injury_rows(1, "out", date(2025, 1, 12)), "partition game_date=.* carry other values"),
        ({"nope": 1}, injury_rows(1, "out"), "Partition column 'nope' is not a column"),
        ({}, injury_rows(1, "out"), "needs at least one partition column"),
        ({"game_date": DAY}, [{**injury_rows(1, "out")[0], "bogus": 1}], "unknown columns: bogus"),
    ],
)
def test_bad_writes_are_refused_with_a_clear_message(
    warehouse: Warehouse, partition_key: dict[str, object], rows: list[dict[str, object]], message: str
) -> None:
    warehouse.replace_partition(TABLE, {"game_date": DAY}, injury_rows(2, "out"))
    with pytest.raises(WarehouseError, match=message):
        warehouse.replace_partition(TABLE, partition_key, rows)
    assert partition(warehouse) == [("out", 2)]


def test_a_failed_write_inside_the_transaction_rolls_back(warehouse: Warehouse) -> None:
    warehouse.replace_partition(TABLE, {"game_date": DAY}, injury_rows(2, "out"))
    bad = injury_rows(3, "questionable")
    bad[2]["team"] = None  # NOT NULL column: the insert fails after the delete ran
    with pytest.raises(WarehouseError, match="Writing partition"):
        warehouse.replace_partition(TABLE, {"game_date": DAY}, bad)
    assert partition(warehouse) == [("out", 2)]


def test_a_concurrent_reader_never_sees_half_a_partition(warehouse: Warehouse) -> None:
    sizes = {"out": 3000, "probable": 7000}
    warehouse.replace_partition(TABLE, {"game_date": DAY}, injury_rows(sizes["out"], "out"))
    reader = warehouse.cursor()
    seen: list[list[tuple[str, int]]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(partition(reader))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for i in range(12):
            status = "probable" if i % 2 == 0 else "out"
            warehouse.replace_partition(TABLE, {"game_date": DAY}, injury_rows(sizes[status], status))
    finally:
        stop.set()
        thread.join()
        reader.close()
    assert len(seen) > 5
    for snapshot in seen:
        assert len(snapshot) == 1 and snapshot[0][1] == sizes[snapshot[0][0]], snapshot


WRITER = textwrap.dedent("""
    import sys
    from datetime import date, datetime
    from pathlib import Path
    from nbaprops.warehouse import Warehouse
    day = date(2025, 1, 10)
    sizes = {"out": 150_000, "probable": 250_000}
    target = sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1])
    with Warehouse.open(target) as warehouse:
        i = 0
        while True:
            status = "probable" if i % 2 == 0 else "out"
            rows = [{"game_date": day, "team": "BOS", "player_lookup": f"p{n}", "player_name": "x",
                     "status": status, "reason": None, "reported_utc": datetime(2025, 1, 10, 12)}
                    for n in range(sizes[status])]
            warehouse.replace_partition("nba_raw.injury_report", {"game_date": day}, rows)
            print("committed", status, flush=True)
            i += 1
""")


@pytest.fixture(params=["duckdb", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where the warehouse is, on each backend: a DuckDB file, a PostgreSQL database's URL."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return tmp_path / "warehouse.duckdb"


@pytest.mark.parametrize("delay_seconds", [0.05, 0.4, 0.9])
def test_killing_the_writer_mid_write_keeps_a_whole_partition(target: Path | str, delay_seconds: float) -> None:
    path = target
    with Warehouse.open(path) as warehouse:
        warehouse.replace_partition(TABLE, {"game_date": DAY}, injury_rows(1000, "questionable"))
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    child.stdout.readline()  # at least one write committed; the next one is under way
    time.sleep(delay_seconds)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    with Warehouse.open(path) as warehouse:
        snapshot = partition(warehouse)
    assert len(snapshot) == 1
    status, count = snapshot[0]
    assert count == {"out": 150_000, "probable": 250_000}[status]


def test_a_second_writer_process_gets_a_clear_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    holder = textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from nbaprops.warehouse import Warehouse
        w = Warehouse.open(Path(sys.argv[1]))
        print("open", flush=True)
        time.sleep(30)
    """)
    child = subprocess.Popen([sys.executable, "-c", holder, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        started = time.monotonic()
        with pytest.raises(WarehouseBusyError, match="in use by another nbaprops process"):
            Warehouse.open(path, wait_seconds=0.5)
        assert time.monotonic() - started >= 0.5
    finally:
        child.kill()
        child.wait()
        assert child.stdout is not None
        child.stdout.close()
