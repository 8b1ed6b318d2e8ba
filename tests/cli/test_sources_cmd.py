"""`nbaprops sources check [--json]` through the real entry point against a loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.sources.loopback import LoopbackServer, Reply, serve

from nbaprops.clock import VirtualClock
from nbaprops.config import BreakerConfig, Settings
from nbaprops.errors import FailureKind, SourceServerError
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_database
from nbaprops.reliability.breakers import SourceBreaker

NBAPROPS = str(Path(sys.executable).with_name("nbaprops"))
SOURCES = ("NBACOM", "ESPN", "ODDS_API", "BETTINGPROS", "BALLDONTLIE")


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as loopback:
        loopback.route("/static/json/staticData/scheduleLeagueV2.json", Reply.json({"leagueSchedule": {}}))
        loopback.route("/apis/site/v2/sports/basketball/nba/scoreboard", Reply.json({"events": []}))
        loopback.route("/v4/sports", Reply.json([], headers={"x-requests-remaining": "412"}))
        loopback.route("/v3/events", Reply.json({"events": []}))
        loopback.route("/v1/teams", Reply.json({"data": []}))
        yield loopback


def check(home: Path, base_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {f"NBAPROPS_SOURCES__{name}__BASE_URL": base_url for name in SOURCES}
    env["NBAPROPS_SOURCES__NBACOM__CDN_BASE_URL"] = base_url
    env["NBAPROPS_SOURCES__ODDS_API__API_KEY"] = "sk-odds-0123456789"
    return subprocess.run([NBAPROPS, "--home", str(home), "sources", "check", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)


def test_all_up_exits_0_with_the_documented_json(tmp_path: Path, server: LoopbackServer) -> None:
    result = check(tmp_path, server.base_url, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [s["name"] for s in document["sources"]] == ["nbacom", "espn", "odds_api", "bettingpros", "balldontlie"]
    assert set(document["sources"][0]) >= {"name", "status", "latency_ms", "breaker", "quota_left"}
    assert {s["status"] for s in document["sources"]} == {"up"}
    assert document["sources"][2]["quota_left"] == 412
    assert "sk-odds-0123456789" not in result.stdout
    assert any((tmp_path / "raw" / "odds_api").rglob("*.meta.json"))


def test_a_primary_down_exits_1_and_the_table_names_it(tmp_path: Path, server: LoopbackServer) -> None:
    server.route("/v4/sports", Reply.status_only(401))
    result = check(tmp_path, server.base_url)
    assert result.returncode == 1
    assert "odds_api (primary)" in result.stdout and "auth" in result.stdout


def test_each_source_shows_its_breaker_as_stored_in_the_orchestration_database(
    tmp_path: Path, server: LoopbackServer
) -> None:
    def failing() -> None:
        raise SourceServerError("down", kind=FailureKind.SERVER_ERROR, source="espn", endpoint="scoreboard")

    database = breaker_database(Home(tmp_path).ensure(), Settings())
    breaker = SourceBreaker("espn", BreakerConfig(fail_max=1), database=database,
                            clock=VirtualClock(datetime.now(UTC)))
    with pytest.raises(SourceServerError):
        breaker.call(failing)
    database.engine.dispose()
    result = check(tmp_path, server.base_url, "--json")
    assert result.returncode == 0, result.stderr
    breakers = {s["name"]: s["breaker"] for s in json.loads(result.stdout)["sources"]}
    assert breakers == {"nbacom": "closed", "espn": "open", "odds_api": "closed", "bettingpros": "closed",
                        "balldontlie": "closed"}
    table = check(tmp_path, server.base_url)
    assert "open" in table.stdout and "closed" in table.stdout
