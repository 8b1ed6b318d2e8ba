"""`nbaprops chaos --data`: the scenarios on a few days of the real 2024-25 season, replayed from the
season ingested into the home's warehouse, judged as on the synthetic league."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nbaprops.home import Home

NBAPROPS = str(Path(sys.executable).parent / "nbaprops")

pytestmark = pytest.mark.slow


def _nbaprops(home: Home, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NBAPROPS, "--home", str(home.root), *args], capture_output=True, text=True, timeout=900, check=False
    )


def test_a_real_season_raises_the_quota_alert_once_with_its_diagnosis(shared_data: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    ingested = _nbaprops(home, "ingest", str(shared_data / "2024-25"), "--json")
    assert ingested.returncode == 0, ingested.stderr
    done = _nbaprops(home, "chaos", "--data", "--scenario", "quota_midday", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    (row,) = json.loads(done.stdout)["scenarios"]
    assert row["name"] == "quota_midday" and row["ok"], row
    assert row["alerts_per_day"] == {"give_up": 1} and row["diagnosis"] == "quota_exhausted"
    # The odds failed: the day's predictions differ from the fault-free replay, nothing else is duplicated.
    assert row["differing_rows"] > 0 and row["duplicates"] == 0
