"""`DatedReads` keeps earlier dates' reads and re-reads a date only when a partition write moved it,
returning what a full read of the window returns, on both backends."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbaprops.warehouse import DatedReads, Warehouse, by_date

TABLE = "nba_raw.injury_report"
FIRST = date(2025, 1, 1)
SQL = (f"SELECT game_date, player_lookup, status FROM {TABLE} WHERE game_date >= $start AND game_date < $end "
       "ORDER BY game_date, player_lookup")


def rows(day: date, statuses: list[str]) -> list[dict[str, Any]]:
    return [{"game_date": day, "team": "BOS", "player_lookup": f"p{i}", "player_name": f"P {i}", "status": status,
             "reason": None, "reported_utc": datetime(2025, 1, 1)} for i, status in enumerate(statuses)]


class Counted:
    """A fetch of SQL that records the ranges it read."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse, self.ranges = warehouse, list[tuple[date, date]]()

    def __call__(self, start: date, end: date) -> dict[date, list[dict[str, Any]]]:
        self.ranges.append((start, end))
        return by_date(self.warehouse.query(SQL, {"start": start, "end": end}))


def kept(reads: DatedReads, fetch: Counted, start: date, end: date) -> dict[date, list[dict[str, Any]]]:
    return reads.read(fetch.warehouse, key="injuries", tables=[TABLE], start=start, end=end, fetch=fetch)


def test_a_moving_window_reads_only_its_new_dates(any_warehouse: Warehouse) -> None:
    for offset in range(5):
        any_warehouse.replace_partition(TABLE, {"game_date": FIRST + timedelta(offset)},
                                        rows(FIRST + timedelta(offset), ["out"] * (offset + 1)))
    reads, fetch = DatedReads(), Counted(any_warehouse)
    assert list(kept(reads, fetch, FIRST, FIRST + timedelta(4))) == [FIRST + timedelta(d) for d in range(4)]
    found = kept(reads, fetch, FIRST + timedelta(1), FIRST + timedelta(5))
    assert fetch.ranges == [(FIRST, FIRST + timedelta(4)), (FIRST + timedelta(4), FIRST + timedelta(5))]
    assert found == by_date(any_warehouse.query(SQL, {"start": FIRST + timedelta(1), "end": FIRST + timedelta(5)}))
    kept(reads, fetch, FIRST + timedelta(1), FIRST + timedelta(5))
    assert len(fetch.ranges) == 2  # nothing moved: nothing read


def test_a_rewritten_earlier_date_is_read_again(any_warehouse: Warehouse) -> None:
    for offset in range(4):
        any_warehouse.replace_partition(TABLE, {"game_date": FIRST + timedelta(offset)},
                                        rows(FIRST + timedelta(offset), ["out"]))
    reads, fetch = DatedReads(), Counted(any_warehouse)
    kept(reads, fetch, FIRST, FIRST + timedelta(4))
    any_warehouse.replace_partition(TABLE, {"game_date": FIRST + timedelta(1)},
                                    rows(FIRST + timedelta(1), ["probable", "out"]))
    found = kept(reads, fetch, FIRST, FIRST + timedelta(4))
    assert fetch.ranges[1] == (FIRST + timedelta(1), FIRST + timedelta(2))
    assert [r["status"] for r in found[FIRST + timedelta(1)]] == ["probable", "out"]


def test_rows_written_before_versions_were_kept_count_until_rewritten(any_warehouse: Warehouse) -> None:
    """Rows of a warehouse migrated from before the versions table have no token: read in the first
    read, kept, and read again once a write gives them one."""
    any_warehouse.execute(f"INSERT INTO {TABLE} (game_date, team, player_lookup, player_name, status, reported_utc) "
                          "VALUES (?, 'BOS', 'p0', 'P 0', 'out', ?)", [FIRST, datetime(2025, 1, 1)])
    reads, fetch = DatedReads(), Counted(any_warehouse)
    assert [r["status"] for r in kept(reads, fetch, FIRST, FIRST + timedelta(2))[FIRST]] == ["out"]
    any_warehouse.replace_partition(TABLE, {"game_date": FIRST}, rows(FIRST, ["questionable"]))
    assert [r["status"] for r in kept(reads, fetch, FIRST, FIRST + timedelta(2))[FIRST]] == ["questionable"]


operations = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 9), st.lists(st.sampled_from(["out", "probable"]), max_size=3)),
        st.tuples(st.just("read"), st.integers(0, 9), st.integers(0, 10)),
    ),
    min_size=1, max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_kept_reads_equal_full_reads_whatever_the_writes_and_windows(
    any_warehouse: Warehouse, steps: list[tuple[str, int, Any]]
) -> None:
    any_warehouse.execute(f"DELETE FROM {TABLE}")
    any_warehouse.execute("DELETE FROM nba_orchestration.partition_versions")
    reads, fetch = DatedReads(), Counted(any_warehouse)
    for kind, first, other in steps:
        day = FIRST + timedelta(first)
        if kind == "write":
            any_warehouse.replace_partition(TABLE, {"game_date": day}, rows(day, other))
            continue
        start, end = sorted((day, FIRST + timedelta(other)))
        assert kept(reads, fetch, start, end) == by_date(any_warehouse.query(SQL, {"start": start, "end": end}))
