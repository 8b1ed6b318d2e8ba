"""The CLI through its real console script: home resolution, JSON, errors as one line and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

NBAPROPS = str(Path(sys.executable).with_name("nbaprops"))


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NBAPROPS, *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          cwd=cwd, timeout=120)


def test_home_comes_from_the_option_then_the_environment_then_the_default(tmp_path: Path) -> None:
    explicit = run("--home", str(tmp_path / "a"), "db", "migrate", "--json")
    assert json.loads(explicit.stdout)["warehouse"] == str(tmp_path / "a" / "warehouse.duckdb")
    from_env = run("db", "migrate", "--json", env={"NBAPROPS_HOME": str(tmp_path / "b")})
    assert json.loads(from_env.stdout)["warehouse"] == str(tmp_path / "b" / "warehouse.duckdb")
    env = {k: v for k, v in os.environ.items() if k != "NBAPROPS_HOME"}
    default = subprocess.run([NBAPROPS, "db", "migrate", "--json"], capture_output=True, text=True, env=env,
                             cwd=tmp_path, timeout=120)
    assert json.loads(default.stdout)["warehouse"] == str(tmp_path / ".nbaprops" / "warehouse.duckdb")


def test_config_show_json_is_one_document_with_secrets_redacted(tmp_path: Path) -> None:
    result = run("--home", str(tmp_path), "config", "show", "--json",
                 env={"NBAPROPS_SOURCES__ODDS_API__API_KEY": "sk-live-123"})
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["sources"]["odds_api"]["api_key"] == "**********"
    assert "sk-live-123" not in result.stdout + result.stderr


def test_a_bad_config_value_fails_with_one_line_and_exit_3(tmp_path: Path) -> None:
    result = run("--home", str(tmp_path), "config", "show", env={"NBAPROPS_PREDICTIONS__EDGE_THRESHOLD": "lots"})
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("error: Invalid configuration value: predictions.edge_threshold")
    assert "Traceback" not in result.stderr


def test_a_usage_error_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = run("--home", str(tmp_path), "demo", "--days", "0")
    assert result.returncode == 2
    assert "Invalid value for '--days'" in result.stderr
    assert "Traceback" not in result.stderr
