"""The `[health]` section: its documented example, the daily schedule, and bad values."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

import nbaprops.ops.health_config
from nbaprops.config import load_settings
from nbaprops.errors import ConfigError
from nbaprops.ops import HealthConfig


def _documented_example() -> str:
    doc = nbaprops.ops.health_config.__doc__ or ""
    block = doc[doc.index("    [health]"):]
    return textwrap.dedent(block)


def test_the_documented_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "nbaprops.toml"
    path.write_text(_documented_example(), encoding="utf-8")
    health = load_settings(path).health
    assert health.daily_at_utc == time(14, 0)
    assert health.notify is True
    assert (health.stuck_after_minutes, health.errors_window_hours) == (30, 24)


def test_defaults_schedule_nothing() -> None:
    config = HealthConfig()
    assert config.daily_at_utc is None
    assert config.next_check_utc(after=datetime(2025, 1, 10, tzinfo=UTC)) is None


NEXT_CHECKS = [
    # (after, next check), daily at 14:00 UTC
    (datetime(2025, 1, 10, 13, 59, tzinfo=UTC), datetime(2025, 1, 10, 14, 0, tzinfo=UTC)),
    (datetime(2025, 1, 10, 14, 0, tzinfo=UTC), datetime(2025, 1, 11, 14, 0, tzinfo=UTC)),
    (datetime(2025, 1, 10, 23, 30, tzinfo=UTC), datetime(2025, 1, 11, 14, 0, tzinfo=UTC)),
    (datetime(2025, 12, 31, 15, 0, tzinfo=UTC), datetime(2026, 1, 1, 14, 0, tzinfo=UTC)),
    # 09:30 in New York (UTC-5) is 14:30 UTC: past today's check.
    (datetime(2025, 1, 10, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
     datetime(2025, 1, 11, 14, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("after", "expected"), NEXT_CHECKS)
def test_next_check(after: datetime, expected: datetime) -> None:
    config = HealthConfig(daily_at_utc=time(14, 0))
    assert config.next_check_utc(after=after) == expected


BAD_VALUES = {
    "an hour past 23": ('daily_at_utc = "25:00"', r"health\.daily_at_utc: Input should be"),
    "an offset": ('daily_at_utc = "14:00+02:00"', r"daily_at_utc is always UTC"),
    "no stuck limit": ("stuck_after_minutes = 0", r"health\.stuck_after_minutes"),
    "an unknown key": ("stuck_minutes = 30", r"health\.stuck_minutes: Extra inputs"),
}


@pytest.mark.parametrize(("line", "message"), BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_bad_values_name_the_key(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "nbaprops.toml"
    path.write_text(f"[health]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_environment_overrides_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nbaprops.toml"
    path.write_text("[health]\nstuck_after_minutes = 20\n", encoding="utf-8")
    monkeypatch.setenv("NBAPROPS_HEALTH__STUCK_AFTER_MINUTES", "45")
    assert load_settings(path).health.stuck_after_minutes == 45
