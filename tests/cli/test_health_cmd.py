"""`nbaprops health` on a home of simulated days: judged on the runs' virtual clock, or --as-of."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tests.cli.sim_cli import cli

from nbaprops.home import Home


def test_health_on_simulated_days_uses_their_virtual_clock(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    day = league_file[1][2]
    done = cli(cli_home, "run", "--date", day, "--source", "sim", "--mode", "overnight")
    assert done.returncode == 0, done.stderr

    checked = cli(cli_home, "health", "--json")
    document = json.loads(checked.stdout)
    clock = document["clock"]
    assert clock["kind"] == "virtual", clock
    assert clock["reason"].startswith("sim runs; as of ")
    now = datetime.fromisoformat(clock["now_utc"])
    assert document["now_utc"] == clock["now_utc"]
    assert now.date().isoformat() in (day, league_file[1][3])  # the run's own night, not today
    assert document["game_date"] == day
    assert document["sections"]["stuck"]["status"] == "ok"

    human = cli(cli_home, "health", "--date", day)
    header = human.stdout.splitlines()[:2]
    assert header[0].startswith(f"Health of {day} (given) as of {now:%Y-%m-%d}")
    assert header[1].startswith("clock: virtual (sim runs; as of ")
    assert header[1].endswith(f"when they last worked on {day})")

    given = cli(cli_home, "health", "--as-of", f"{day}T12:00", "--json")
    clock = json.loads(given.stdout)["clock"]
    assert clock["kind"] == "given"
    assert clock["reason"].startswith(f"--as-of {day}T12:00Z, instead of the virtual clock (sim")
