"""`nbaprops demo` through the real console-script entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

NBAPROPS = Path(sys.executable).parent / "nbaprops"


def _demo(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NBAPROPS), "--home", str(home), "demo", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )


def test_demo_json_generates_and_ingests_then_is_idempotent(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = _demo(home, "--days", "4", "--seed", "3", "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["seed"] == 3 and data["days"] == 4 and data["first_date"] == "2024-10-22"
    assert data["out_dir"] == str(home.resolve() / "raw" / "synthetic" / "seed-3")
    assert (data["teams"], data["players"]) == (30, 450)
    assert data["games"] >= 20 and data["team_box_rows"] == 2 * data["games"]
    assert data["player_box_rows"] > 10 * data["games"]
    assert set(data["prop_lines"]) == {"points", "rebounds", "assists", "threes", "pra"}
    assert data["rows_quarantined"] == 0
    assert [f["status"] for f in data["files"]] == ["loaded"] * 4
    assert data["elapsed_seconds"] > 0
    assert (home / "warehouse.duckdb").exists()

    again = json.loads(_demo(home, "--days", "4", "--seed", "3", "--json").stdout)
    assert [f["status"] for f in again["files"]] == ["unchanged"] * 4
    assert {k: again[k] for k in ("games", "player_box_rows", "prop_lines", "injuries")} == {
        k: data[k] for k in ("games", "player_box_rows", "prop_lines", "injuries")
    }


def test_demo_seed_defaults_to_config_and_prints_a_summary(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "nbaprops.toml").write_text("[synthetic]\nseed = 21\n", encoding="utf-8")
    done = _demo(home, "--days", "2")
    assert done.returncode == 0, done.stderr
    assert "Synthetic season 2024-25 (seed 21): 2 days" in done.stdout
    assert "Loaded into the warehouse" in done.stdout and "prop lines: points" in done.stdout
    assert (home / "raw" / "synthetic" / "seed-21" / "prop_lines.csv.gz").exists()


def test_demo_refuses_zero_days(tmp_path: Path) -> None:
    done = _demo(tmp_path / "home", "--days", "0")
    assert done.returncode != 0
    assert "greater than or equal to 1" in done.stderr
    assert not (tmp_path / "home" / "raw" / "synthetic").exists()
