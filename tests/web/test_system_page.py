"""The System page's incidents, breakers and window polls, on a home that has them: its SLO numbers
are `nbaprops slo --json`'s, its breakers `status --json`'s (`breaker_report`), its polls the latest
of each source and kind."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from tests.cli.sim_cli import cli
from tests.web.conftest import INCIDENTS
from tests.web.served import served

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_report
from nbaprops.web.app import create_app


@pytest.fixture(scope="module")
def system_api(reliable_home: Home) -> dict[str, object]:
    with served(create_app(reliable_home, Settings())) as base:
        found: dict[str, object] = httpx.get(base + "/api/system", timeout=30).json()
        return found


def test_incidents_and_their_slos_are_what_slo_json_prints(reliable_home: Home, system_api: dict) -> None:
    done = cli(reliable_home, "slo", "--json")
    assert done.returncode in (0, 1), done.stderr
    slo = json.loads(done.stdout)
    incidents = system_api["incidents"]
    assert incidents["slo"] == slo
    metrics = {metric["name"]: metric["value"] for metric in slo["metrics"]}
    assert incidents["recovery_rate"] == metrics["recovery_rate"] == 0.6
    assert incidents["time_to_recovery_p50_minutes"] == metrics["time_to_recovery_p50"] == 28.5
    assert incidents["time_to_recovery_p95_minutes"] == metrics["time_to_recovery_p95"]
    assert (incidents["count"], incidents["open"]) == (slo["incidents"]["total"], slo["incidents"]["open"]) == (5, 1)
    assert [row["component"] for row in incidents["rows"]] == [c for c, *_ in reversed(INCIDENTS)]  # newest first
    assert [row["minutes_to_recover"] for row in incidents["rows"]] == [m for _, _, m, _ in reversed(INCIDENTS)]


def test_a_since_widens_the_window_as_slo_since_does(reliable_home: Home) -> None:
    with served(create_app(reliable_home, Settings())) as base:
        shown = httpx.get(base + "/api/system", params={"since": "2025-01-12"}, timeout=30).json()["incidents"]
    slo = json.loads(cli(reliable_home, "slo", "--since", "2025-01-12", "--json").stdout)
    assert shown["slo"] == slo and shown["count"] == 3


def test_breakers_say_what_status_says(reliable_home: Home, system_api: dict) -> None:
    assert system_api["breakers"] == breaker_report(reliable_home, Settings())
    (odds,) = [b for b in system_api["breakers"] if b["source"] == "odds_api"]
    assert (odds["state"], odds["failure_count"]) == ("open", 5)
    assert odds["opened_at"].startswith("2025-01-10T19:30")


def test_freshness_shows_each_sources_last_window_poll(system_api: dict) -> None:
    polls = {(p["source"], p["kind"]): p for p in system_api["polls"]}
    assert set(polls) == {("odds_api", "props"), ("nbacom", "schedule")}
    assert polls[("odds_api", "props")]["rows_seen"] == 12 and not polls[("odds_api", "props")]["failed"]
    assert polls[("nbacom", "schedule")]["failed"]


def test_the_page_draws_them(reliable_home: Home, tmp_path: Path) -> None:
    with served(create_app(reliable_home, Settings())) as base:
        page = httpx.get(base + "/system", timeout=30).text
    assert "failures in a row" in page and ">odds_api<" in page and "RuntimeError" in page
    assert "recovered by the system itself" in page and "new lines" in page
