"""`health --json`, `status --json` and `audit-deps --json` give the output recorded in the golden
files under `tests/golden/`: a split or a new read model must not change what a user sees.

The golden files were written by the code before the split. A deliberate change to a report
rewrites them: `NBAPROPS_WRITE_GOLDEN=1 pytest tests/cli/test_golden_reports.py` (then review the diff).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.cli.sim_cli import CONFIG, cli
from tests.ops.audit_tree import audit_cli

from nbaprops.home import Home

GOLDEN = Path(__file__).parent / "golden"
# Durations measured on the wall clock differ run to run, and the audit's `resolved_by` says whether
# the running venv has a distribution installed (so it changes with the project's own dependencies);
# nothing else in these reports does.
_VOLATILE_KEYS = frozenset({"elapsed_seconds", "duration_seconds", "resolved_by"})
_HOME = re.compile(r"/[^\"\s]*/home\b")


def _stable(value: Any) -> Any:
    """`value` with wall-clock durations and venv-dependent evidence dropped, and the test's home
    folder named `<home>`."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in _VOLATILE_KEYS}
    if isinstance(value, list):
        return [_stable(item) for item in value]
    if isinstance(value, str):
        return _HOME.sub("<home>", value)
    return value


def _compare(name: str, document: Any) -> None:
    path = GOLDEN / name
    text = json.dumps(_stable(document), indent=2, sort_keys=True) + "\n"
    if os.environ.get("NBAPROPS_WRITE_GOLDEN") == "1":
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs from its golden file"


@pytest.fixture(scope="module")
def ran_home(tmp_path_factory: pytest.TempPathFactory, league_file: tuple[Path, list[str]]) -> Home:
    """A home of the synthetic league with two days run overnight on the sim source."""
    home = Home(tmp_path_factory.mktemp("golden") / "home").ensure()
    shutil.copyfile(league_file[0], home.warehouse_path)
    home.config_path.write_text(CONFIG)
    for day in league_file[1][2:4]:
        done = cli(home, "run", "--date", day, "--source", "sim", "--mode", "overnight")
        assert done.returncode == 0, done.stderr
    return home


@pytest.mark.parametrize(
    ("day", "as_of"),
    [(1, "1T12:00"), (2, "2T12:00"), (2, None), (2, "3T12:00"), (3, None), (3, "3T23:30")],
    ids=[
        "a-day-before-the-runs", "before-tip-off", "on-the-runs-clock", "the-day-after",
        "the-last-day-on-its-clock", "the-last-day-before-its-run",
    ],
)
def test_health_json_matches_its_golden_file(
    ran_home: Home, league_file: tuple[Path, list[str]], day: int, as_of: str | None
) -> None:
    """`as_of` is `<index of a league day>T<time>`; None: the clock the home's runs kept."""
    dates = league_file[1]
    args = ["health", "--date", dates[day], "--json"]
    if as_of is not None:
        index, time = as_of.split("T")
        args += ["--as-of", f"{dates[int(index)]}T{time}"]
    done = cli(ran_home, *args)
    assert done.returncode in (0, 1, 2), done.stderr
    document = json.loads(done.stdout)
    document["exit"] = done.returncode
    when = "runs-clock" if as_of is None else as_of.replace(":", "")
    _compare(f"health-day{day}-{when}.json", document)


@pytest.mark.parametrize("day", [2, 3])
def test_status_json_matches_its_golden_file(
    ran_home: Home, league_file: tuple[Path, list[str]], day: int
) -> None:
    done = cli(ran_home, "status", "--date", league_file[1][day], "--json")
    assert done.returncode == 0, done.stderr
    _compare(f"status-day{day}.json", json.loads(done.stdout))


@pytest.mark.parametrize("fixture", ["monorepo", "shared-monorepo"])
def test_audit_deps_json_matches_its_golden_file(fixture: str) -> None:
    done = audit_cli(f"tests/fixtures/{fixture}", "--json")
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(done.stdout)
    document["exit"] = done.returncode
    _compare(f"audit-deps-{fixture}.json", document)
