"""Grouping and pricing usage: every grouping sums to the same totals, costs follow the prices."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.ops.usage import (
    SOURCE_REQUESTS,
    Grouping,
    RequestUsage,
    RunUsage,
    UsageGroup,
    total,
    usage_groups,
    usage_report,
)
from nbaprops.ops.usage_config import MeteredSource, UsageConfig

PRICES = UsageConfig(
    cpu_hour_price=3.6, warehouse_gb_month_price=2.0,
    metered={"odds_api": MeteredSource(credits_header="x-requests-last", credit_price=0.5)},
)

runs = st.builds(
    RunUsage,
    processor=st.sampled_from(["schedule", "player_game_summary", "predictions", "grading"]),
    phase=st.sampled_from(["phase2", "phase3", "phase5", "grading"]),
    source=st.sampled_from(["replay", "sim", "live"]),
    day=st.dates(date(2024, 10, 22), date(2024, 11, 5)),
    status=st.sampled_from(["success", "partial", "failed"]),
    wall_seconds=st.integers(0, 10_000).map(lambda n: n / 8),
    cpu_seconds=st.integers(0, 10_000).map(lambda n: n / 8),
    peak_rss_bytes=st.integers(0, 2**34),
    rss_grew=st.booleans(),
    rows_read=st.integers(0, 10**6),
    rows_written=st.integers(0, 10**6),
)
requests = st.builds(
    RequestUsage,
    source=st.sampled_from(["nbacom", "espn", "odds_api"]),
    endpoint=st.sampled_from(["scoreboard", "event_odds"]),
    day=st.dates(date(2024, 10, 22), date(2024, 11, 5)),
    status_code=st.sampled_from([200, 429, 500]),
    bytes=st.integers(0, 10**7),
    credits=st.integers(0, 50).map(float),
)


def _sums(group: UsageGroup) -> tuple[object, ...]:
    return (group.runs, group.failed_runs, group.wall_seconds, group.cpu_seconds, group.peak_rss_bytes,
            group.rows_read, group.rows_written, group.requests, group.bytes, group.credits)


@given(st.lists(runs, max_size=30), st.lists(requests, max_size=30))
def test_every_grouping_has_the_same_totals(run_list: list[RunUsage], request_list: list[RequestUsage]) -> None:
    totals = {by: total(usage_groups(run_list, request_list, by=by, prices=PRICES)) for by in Grouping}
    by_day = totals[Grouping.DAY]
    for by, found in totals.items():
        assert _sums(found) == pytest.approx(_sums(by_day)), by
        assert found.cost == pytest.approx(by_day.cost), by
    assert by_day.runs == len(run_list) and by_day.requests == len(request_list)


@given(st.lists(runs, max_size=30), st.lists(requests, max_size=30))
def test_cost_is_cpu_hours_and_metered_credits_at_their_prices(
    run_list: list[RunUsage], request_list: list[RequestUsage]
) -> None:
    found = total(usage_groups(run_list, request_list, by=Grouping.SOURCE, prices=PRICES))
    cpu_hours = sum(run.cpu_seconds for run in run_list) / 3600
    odds_credits = sum(r.credits for r in request_list if r.source == "odds_api")  # the only metered one
    assert found.cost == pytest.approx(cpu_hours * 3.6 + odds_credits * 0.5)
    assert found.peak_rss_bytes == max((run.peak_rss_bytes for run in run_list), default=0)


@given(st.lists(runs, min_size=1, max_size=20), st.lists(requests, max_size=20))
def test_requests_group_apart_from_processors_by_phase_and_with_their_source_by_source(
    run_list: list[RunUsage], request_list: list[RequestUsage]
) -> None:
    by_phase = {g.key: g for g in usage_groups(run_list, request_list, by=Grouping.PHASE, prices=PRICES)}
    assert set(by_phase) == {run.phase for run in run_list} | ({SOURCE_REQUESTS} if request_list else set())
    if request_list:
        assert by_phase[SOURCE_REQUESTS].runs == 0 and by_phase[SOURCE_REQUESTS].requests == len(request_list)
    by_source = {g.key: g for g in usage_groups(run_list, request_list, by=Grouping.SOURCE, prices=PRICES)}
    for source, group in by_source.items():
        assert group.requests == sum(r.source == source for r in request_list)
        assert group.runs == sum(run.source == source for run in run_list)


def _run(day: date, phase: str, cpu_seconds: float, *, grew: bool = False) -> RunUsage:
    return RunUsage(processor=f"{phase}_unit", phase=phase, source="replay", day=day, status="success",
                    wall_seconds=cpu_seconds * 2, cpu_seconds=cpu_seconds, peak_rss_bytes=100, rss_grew=grew,
                    rows_read=10, rows_written=5)


def test_the_report_keeps_days_from_since_and_prices_storage_by_the_gb_month() -> None:
    report = usage_report(
        [_run(date(2025, 1, 1), "phase3", 3600.0, grew=True), _run(date(2025, 1, 2), "phase4", 1800.0)],
        [RequestUsage("odds_api", "event_odds", date(2024, 12, 31), 200, 2048, 3.0)],
        by=Grouping.DAY, since=date(2025, 1, 2), prices=PRICES, warehouse_bytes=500_000_000,
    )
    assert [g.key for g in report.groups] == ["2025-01-02"]
    assert report.total.cost == pytest.approx(1.8) and report.runs_rss_grew == 0
    assert report.storage_cost_per_month == pytest.approx(1.0)
    document = report.to_json()
    assert document["by"] == "day" and document["storage"] == {"warehouse_bytes": 500_000_000, "cost_per_month": 1.0}
    assert document["prices"] == {"cpu_hour": 3.6, "warehouse_gb_month": 2.0, "credits": {"odds_api": 0.5}}
    assert document["groups"][0] | {"key": None} == document["total"] | {"key": None}


def test_an_unmetered_source_bills_no_credits() -> None:
    free = RequestUsage("espn", "scoreboard", date(2025, 1, 1), 200, 10, 7.0)
    [group] = usage_groups([], [free], by=Grouping.SOURCE, prices=PRICES)
    assert (group.credits, group.cost) == (7.0, 0.0)
