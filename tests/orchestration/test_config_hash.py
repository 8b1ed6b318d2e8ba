"""Every run records the hash of the config it ran under, each config is stored once in the history, and
`config history`, `config diff` and `config rollback` work on what the runs recorded."""

from __future__ import annotations

import json
import tomllib

from tests.cli.sim_cli import cli
from tests.orchestration.conftest import League, make_settings

from nbaprops.config import load_settings
from nbaprops.home import Home
from nbaprops.ops.config_history import snapshot, to_toml
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.service import run_day
from nbaprops.warehouse import Warehouse


def test_runs_record_their_config_and_a_rollback_brings_it_back(league_home: Home, league: League) -> None:
    first = make_settings()
    second = make_settings(predictions={"edge_threshold": 0.06})
    assert run_day(league_home, first, game_date=league.game_dates[0], source=SourceKind.SIM,
                   results_only=True).outcome.ok
    assert run_day(league_home, second, game_date=league.game_dates[1], source=SourceKind.SIM,
                   results_only=True).outcome.ok
    one, two = snapshot(first), snapshot(second)
    with Warehouse.open(league_home.warehouse_path, read_only=True) as warehouse:
        recorded = warehouse.query("SELECT DISTINCT workflow_id, config_hash FROM nba_orchestration.phase_completions "
                                   "ORDER BY workflow_id")
    assert {row["config_hash"] for row in recorded} == {one.hash, two.hash}
    assert len(recorded) == 2  # one hash a run

    league_home.config_path.write_text(to_toml(tomllib.loads(two.toml_text)), encoding="utf-8")
    history = json.loads(cli(league_home, "config", "history", "--json").stdout)
    assert [(c["hash"], c["runs"], c["current"]) for c in history["configs"]] == [
        (one.hash, 1, False), (two.hash, 1, True)]

    diff = json.loads(cli(league_home, "config", "diff", one.hash[:10], two.hash[:10], "--json").stdout)
    assert diff["changes"] == [{"key": "predictions.edge_threshold", "old": 0.04, "new": 0.06}]

    done = cli(league_home, "config", "rollback", one.hash[:12], "--json")
    assert done.returncode == 0, done.stderr
    rolled = json.loads(done.stdout)
    assert (rolled["hash"], rolled["hash_after"], rolled["matches"]) == (one.hash, one.hash, True)
    assert snapshot(load_settings(league_home.config_path)).hash == one.hash
    backups = list(league_home.root.glob("nbaprops.toml.bak-*"))
    assert len(backups) == 1 and "edge_threshold = 0.06" in backups[0].read_text()
