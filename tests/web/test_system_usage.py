"""The System page's resources and cost are `nbaprops usage --json`'s, per day and per phase."""

from __future__ import annotations

import json

import httpx
from tests.cli.sim_cli import cli
from tests.web.served import served

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.web.app import create_app


def test_usage_per_day_and_phase_is_what_usage_json_prints(demo_home: Home) -> None:
    with served(create_app(demo_home, Settings())) as base:
        usage = httpx.get(base + "/api/system", timeout=60).json()["usage"]
        page = httpx.get(base + "/system", timeout=60).text
    by_phase = json.loads(cli(demo_home, "usage", "--by", "phase", "--json").stdout)
    by_day = json.loads(cli(demo_home, "usage", "--by", "day", "--json").stdout)
    assert usage["by_phase"] == by_phase["groups"] and usage["by_day"] == by_day["groups"]
    assert usage["total"] == by_phase["total"] == by_day["total"]
    assert usage["storage"] == by_day["storage"] and usage["storage"]["warehouse_bytes"] > 0
    phases = [group["key"] for group in usage["by_phase"]]
    assert {"phase2", "phase3", "phase4", "phase5"} <= set(phases)
    assert usage["total"]["runs"] > 0 and usage["total"]["requests"] == 0  # the demo's sim league sends none
    assert all(group["cpu_seconds"] >= 0 and group["wall_seconds"] > 0 for group in usage["by_phase"])
    assert 'id="usage"' in page and "Cost per phase" in page and "Cost per day" in page
    assert page.count('data-metric="usage.by_phase.') >= 8 * len(phases)
