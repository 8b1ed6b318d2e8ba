"""`waves`: which backfills the home's workers may run side by side, as a table of cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given as given_
from hypothesis import strategies as st

from nbaprops.errors import OrchestrationError
from nbaprops.orchestration.distribute import by_season, waves
from nbaprops.orchestration.requests import Backfill, SourceKind
from nbaprops.seasons import season_end, season_start


def run(start: str, end: str) -> Backfill:
    return Backfill(date.fromisoformat(start), date.fromisoformat(end), SourceKind.REPLAY)


S22 = run("2022-10-18", "2023-04-09")
S23 = run("2023-10-24", "2024-04-14")
S24A = run("2024-10-22", "2025-01-31")
S24B = run("2025-02-01", "2025-04-13")
S26 = run("2026-10-20", "2027-04-11")

CASES = [
    # (backfills as given, waves)
    ([], []),
    ([S24A], [[S24A]]),
    ([S23, S24A], [[S23], [S24A]]),  # 2024-25 reads all of 2023-24: one after the other
    ([S24A, S23], [[S23], [S24A]]),  # whatever order they come in
    ([S22, S24A], [[S22, S24A]]),  # a season between them: nothing shared
    ([S24B, S24A], [[S24A], [S24B]]),  # a season's ranges in order
    ([S22, S24A, S24B, S26], [[S22, S24A, S26], [S24B]]),
    ([S22, S23, S26], [[S22, S26], [S23]]),
]


@pytest.mark.parametrize(("given", "expected"), CASES)
def test_waves(given: list[Backfill], expected: list[list[Backfill]]) -> None:
    assert waves(given) == expected


def test_every_backfill_runs_once_and_after_the_days_it_reads() -> None:
    given = [S26, S24B, S22, S23, S24A]
    planned = waves(given)
    flat = [backfill for wave in planned for backfill in wave]
    assert sorted(flat, key=lambda b: b.start) == sorted(given, key=lambda b: b.start)
    wave_of = {b.start: i for i, wave in enumerate(planned) for b in wave}
    for earlier, later in [(S22, S23), (S23, S24A), (S24A, S24B)]:
        assert wave_of[earlier.start] < wave_of[later.start]


def test_overlapping_backfills_are_refused() -> None:
    with pytest.raises(OrchestrationError, match=r"overlap; give each game day to one backfill"):
        waves([S24A, run("2025-01-15", "2025-02-10")])


def test_a_backfill_across_seasons_is_refused() -> None:
    with pytest.raises(OrchestrationError, match=r"spans seasons; give each season its own range"):
        waves([run("2024-03-01", "2024-11-01")])


@given_(st.dates(date(2019, 1, 1), date(2027, 12, 31)), st.integers(0, 1200))
def test_a_range_split_by_season_covers_it_once_a_season_a_part(first: date, days: int) -> None:
    run = Backfill(first, first + timedelta(days=days), SourceKind.REPLAY, faults=("processor:x=fail",))
    parts = by_season(run)
    assert parts[0].start == run.start and parts[-1].end == run.end
    for earlier, later in zip(parts, parts[1:], strict=False):
        assert later.start == earlier.end + timedelta(days=1)  # contiguous: every day once
    assert all(season_start(part.start) == season_start(part.end) for part in parts)
    assert all(part.end == season_end(part.start) for part in parts[:-1])  # cut where a season ends
    assert season_start(season_end(first) + timedelta(days=1)) > season_start(first)
    assert len({season_start(part.start) for part in parts}) == len(parts)
    assert all(part.faults == run.faults and part.source is run.source for part in parts)
    assert [part for wave in waves(parts) for part in wave] == parts  # consecutive seasons: one after another
