"""A small demo home (a 4-team synthetic league, three days predicted and graded through the
orchestrator), built once per session by the real `nbaprops demo`; and a home holding incidents,
an intervention, window polls and breakers, written directly."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tests.cli.sim_cli import cli

from nbaprops.config import Settings, load_settings
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_database
from nbaprops.orchestration.poll_store import PollRecord, record_poll
from nbaprops.orchestration.windows import PollKind
from nbaprops.warehouse import Warehouse

DEMO_CONFIG = (
    '[predictions]\nmarkets = ["points", "threes"]\nmin_history_games = 2\n'
    "[synthetic]\nteams = 4\nplayers_per_team = 8\n"
)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("web-demo") / "home").ensure()
    home.config_path.write_text(DEMO_CONFIG)
    done = cli(home, "demo", "--days", "3", "--history-days", "3", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pipeline"]["season"]["graded"] > 0
    return home


@pytest.fixture(scope="session")
def demo_settings(demo_home: Home) -> Settings:
    return load_settings(demo_home.config_path)


@pytest.fixture(scope="session")
def picked_home(demo_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A copy of the demo home whose latest day has picks. On the synthetic league no system beats the
    market's Brier over the demo's few graded days, so every prediction passes the evidence gate's
    way (`no_evidence`); here those with a positive expected value at their best price become the
    bets the picks phase would have stored had the record been there: the side of that price, a
    quarter-Kelly-like stake capped at 2%, no pass reason."""
    home = Home(tmp_path_factory.mktemp("web-picked") / "home")
    shutil.copytree(demo_home.root, home.root, ignore=shutil.ignore_patterns("*.lock", "logs"))
    with Warehouse.open(home.warehouse_path) as warehouse:
        warehouse.execute(
            "UPDATE nba_predictions.player_prop_predictions SET "
            "pick = CASE WHEN predicted_value > pick_line THEN 'OVER' ELSE 'UNDER' END, "
            "stake = round(least(0.02, 0.25 * pick_ev / 2), 4), pass_reason = NULL "
            "WHERE is_active AND pick_ev > 0 AND pass_reason LIKE 'no_evidence%' AND game_date = "
            "(SELECT max(game_date) FROM nba_predictions.player_prop_predictions)"
        )
    return home


@pytest.fixture
def empty_home(tmp_path: Path) -> Home:
    return Home(tmp_path / "empty").ensure()


DAY = date(2025, 1, 10)
OPENED = datetime(2025, 1, 10, 18, 0)
# (component, game_date offset, minutes to recover or None when open, resolved_by)
INCIDENTS = [("player_game_summary", 0, 12.0, "auto"), ("odds_api", 1, 45.0, "auto"),
             ("ml_feature_store", 2, 180.0, "manual"), ("team_offense", 3, None, None),
             ("phase3_gate", 4, 3.0, "auto")]


def _incident(index: int, component: str, offset: int, minutes: float | None, by: str | None) -> list[object]:
    opened = OPENED + timedelta(days=offset)
    resolved = None if minutes is None else opened + timedelta(minutes=minutes)
    return [f"i{index}", f"f{index}", component, "RuntimeError", DAY + timedelta(days=offset),
            "open" if resolved is None else "resolved", opened, opened, opened, 1, [f"k{index}"], "boom",
            resolved, by, "late data" if index == 0 else None, None, None, "[]", "[]", None, opened, "[]"]


@pytest.fixture(scope="session")
def reliable_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A home whose warehouse holds incidents, an intervention, phase runs and window polls, and
    whose orchestration database holds an open breaker."""
    home = Home(tmp_path_factory.mktemp("system") / "home").ensure()
    with Warehouse.open(home.warehouse_path) as warehouse:
        for index, row in enumerate(INCIDENTS):
            warehouse.execute(f"INSERT INTO nba_orchestration.incidents VALUES ({', '.join('?' * 22)})",
                              _incident(index, *row))
        warehouse.execute("INSERT INTO nba_orchestration.interventions VALUES ('v1', 'rerun', ?, ?, ?, '{}', ?)",
                          [str(DAY), DAY, OPENED, OPENED])
        for slot, rows_seen in ((18, 10), (19, 12)):
            at = datetime(2025, 1, 10, slot, tzinfo=UTC)
            record_poll(warehouse, PollRecord(PollKind.PROPS, DAY, "odds_api", at, at + timedelta(minutes=1),
                                              rows_seen, f"fp{slot}", "new lines"))
        at = datetime(2025, 1, 10, 17, tzinfo=UTC)
        record_poll(warehouse, PollRecord(PollKind.SCHEDULE, DAY, "nbacom", at, at, 0, "", "fetch failed"))
    database = breaker_database(home, Settings())
    with database.engine.begin() as connection:
        connection.execute(database.state_table.insert(), [
            {"source": "odds_api", "state": "open", "failure_count": 5, "success_count": 0,
             "opened_at": datetime(2025, 1, 10, 19, 30, tzinfo=UTC), "updated_at": datetime(2025, 1, 10, tzinfo=UTC)},
            {"source": "espn", "state": "closed", "failure_count": 0, "success_count": 3, "opened_at": None,
             "updated_at": datetime(2025, 1, 10, tzinfo=UTC)}])
    database.engine.dispose()
    return home
