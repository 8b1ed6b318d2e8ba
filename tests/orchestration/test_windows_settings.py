"""`[sources.windows]`: documented defaults, TOML and environment overrides, errors naming the key,
and what `config show` and `worker --help` say about them."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from nbaprops.cli import main
from nbaprops.config import load_settings
from nbaprops.errors import ConfigError


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main.app, list(args), env={"COLUMNS": "200", **(env or {})})


def test_the_defaults_are_the_documented_windows(tmp_path: Path) -> None:
    windows = load_settings(tmp_path / "nbaprops.toml").sources.windows
    assert windows.enabled and windows.days_ahead == 1 and windows.check_interval_seconds == 60
    assert (windows.schedule.daily_at_utc, windows.schedule.live_interval_minutes) == (time(14, 0), 15)
    assert (windows.props.interval_minutes, windows.props.start_hours_before_first_tip) == (30, 12)
    assert windows.props.end_minutes_after_last_tip == 0
    assert (windows.injuries.interval_minutes, windows.injuries.start_hours_before_first_tip) == (60, 8)
    assert (windows.box_scores.interval_minutes, windows.box_scores.cutoff_hours_after_last_tip) == (15, 12)


def test_toml_sets_a_window_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "nbaprops.toml"
    path.write_text("[sources.windows.props]\ninterval_minutes = 20\nstart_hours_before_first_tip = 6\n"
                    "[sources.windows.schedule]\ndaily_at_utc = '13:30'\n", encoding="utf-8")
    monkeypatch.setenv("NBAPROPS_SOURCES__WINDOWS__PROPS__INTERVAL_MINUTES", "10")
    monkeypatch.setenv("NBAPROPS_SOURCES__WINDOWS__BOX_SCORES__ENABLED", "false")
    windows = load_settings(path).sources.windows
    assert (windows.props.interval_minutes, windows.props.start_hours_before_first_tip) == (10, 6)
    assert windows.props.enabled  # untouched keys keep their defaults
    assert windows.schedule.daily_at_utc == time(13, 30)
    assert not windows.box_scores.enabled and windows.box_scores.interval_minutes == 15


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[sources.windows.props]\ninterval_minutes = 0\n",
         r"sources\.windows\.props\.interval_minutes: Input should be greater than 0 "
         r"\(set in nbaprops\.toml or NBAPROPS_SOURCES__WINDOWS__PROPS__INTERVAL_MINUTES\)"),
        ("[sources.windows.schedule]\ndaily_at_utc = '14:00+02:00'\n",
         r'sources\.windows\.schedule\.daily_at_utc: Value error, daily_at_utc is a UTC time of day, "HH:MM", '
         r"without a zone"),
        ("[sources.windows.box_scores]\nevery = 5\n", r"sources\.windows\.box_scores\.every: Extra inputs"),
    ],
)
def test_a_bad_window_names_its_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "nbaprops.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_config_show_lists_the_windows_and_worker_help_mentions_them(tmp_path: Path) -> None:
    shown = run("--home", str(tmp_path), "config", "show", "--json",
                env={"NBAPROPS_SOURCES__WINDOWS__INJURIES__INTERVAL_MINUTES": "30"})
    assert shown.exit_code == 0, shown.output
    windows = json.loads(shown.stdout)["sources"]["windows"]
    assert set(windows) >= {"schedule", "props", "injuries", "box_scores"}
    assert windows["injuries"]["interval_minutes"] == 30 and windows["props"]["interval_minutes"] == 30
    helped = run("worker", "--help")
    assert helped.exit_code == 0
    assert "[sources.windows]" in helped.stdout and "box scores every 15 min" in helped.stdout
