"""`nbaprops health` through the real entry point: exit codes, JSON, the report, --notify."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from tests.ops.test_health_builder import SUMMARIES, D, P, PipelineDays, at
from typer.testing import CliRunner, Result

from nbaprops.alerting.collect import eastern_date
from nbaprops.cli import main
from nbaprops.errors import UsageError
from nbaprops.home import Home
from nbaprops.warehouse import Warehouse

AS_OF = "2025-01-10T17:30"
Build = Callable[[PipelineDays], object]


@pytest.fixture
def health(home: Home) -> Callable[..., Result]:
    """Build the warehouse (closed again before the CLI opens it), then run
    `nbaprops --home HOME health ARGS`."""

    def run(build: Build | None, *args: str) -> Result:
        if build is not None:
            with Warehouse.open(home.warehouse_path) as warehouse:
                build(PipelineDays(warehouse))
        command = ["--home", str(home.root), "health", *args]
        return CliRunner().invoke(main.app, command, env={"COLUMNS": "200"})

    return run


def _phase3_at_two_of_five(days: PipelineDays) -> None:
    days.healthy().forget(*SUMMARIES)
    for processor in SUMMARIES:
        days.run(processor, P, started=at(16, 3), status="failed")


CASES = {
    # name: (build, exit code, status)
    "healthy": (lambda days: days.healthy(), 0, "ok"),
    "stale prop lines": (
        lambda days: days.healthy().lines(D, snapshot=at(15, 30, day=P)), 1, "warning"
    ),
    "phase 3 at 2 of 5": (_phase3_at_two_of_five, 2, "critical"),
}


@pytest.mark.parametrize(("build", "code", "status"), CASES.values(), ids=CASES.keys())
def test_exit_codes_and_json(
    health: Callable[..., Result], build: Build, code: int, status: str
) -> None:
    result = health(build, "--as-of", AS_OF, "--json")
    assert result.exit_code == code, result.output
    document = json.loads(result.stdout)
    assert document["status"] == status
    assert document["exit_code"] == code
    assert document["game_date"] == "2025-01-10"
    assert document["now_utc"] == "2025-01-10T17:30:00+00:00"
    assert document["clock"]["kind"] == "given"


def test_the_report_for_a_degraded_day(health: Callable[..., Result]) -> None:
    result = health(_phase3_at_two_of_five, "--as-of", AS_OF, "--date", "2025-01-10")
    assert result.exit_code == 2
    out = result.stdout
    assert "Health of 2025-01-10 (given) as of 2025-01-10 17:30 UTC" in out
    assert "clock: given (--as-of 2025-01-10T17:30Z, instead of the wall clock (" in out
    for title in ("Predictions OK", "Phase 3 CRITICAL", "Recent errors WARNING",
                  "Data freshness OK", "Stuck work OK", "Grading OK"):
        assert title in out
    assert "phase3_completion_low" in out
    last_line = out.strip().splitlines()[-1]
    assert last_line.startswith("CRITICAL: Phase 3: Phase 3 completed 2 of 5 processors")


def test_an_empty_home(health: Callable[..., Result]) -> None:
    result = health(None, "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(document["sections"]) == ["data"]
    assert "holds no schedule, processor runs or predictions yet" in document["headline"]
    human = health(None)
    assert "WARNING: Data: The warehouse" in human.stdout


def test_default_date_on_a_backfill_home(health: Callable[..., Result]) -> None:
    result = health(lambda days: days.healthy(), "--json")
    document = json.loads(result.stdout)
    assert document["game_date"] == D.isoformat()
    assert document["date_reason"].startswith("the latest game_date with predictions or runs")
    # Its runs did not record their clock (no orchestration records, no backtest run IDs), so
    # the wall clock it is: months later, nothing is fresh.
    assert document["clock"]["kind"] == "wall"
    assert document["clock"]["reason"] == "no run recorded a virtual clock"
    assert result.exit_code == document["exit_code"] > 0


def _stuck_today(days: PipelineDays) -> None:
    now = datetime.now(UTC)
    days.run("player_daily_cache", eastern_date(now), started=now - timedelta(hours=2),
             status="running", run_id="stuck-run")


def test_notify_delivers_to_a_jsonl_channel_once(
    home: Home, health: Callable[..., Result]
) -> None:
    home.config_path.write_text(
        '[[alerting.channels]]\nname = "log"\nurl = "jsonl://alerts.jsonl"\n'
        'min_severity = "info"\n',
        encoding="utf-8",
    )
    first = health(_stuck_today, "--notify", "--json")
    assert first.exit_code == 1, first.output
    assert json.loads(first.stdout)["clock"] == {
        "kind": "wall", "now_utc": json.loads(first.stdout)["now_utc"],
        "reason": "--notify sends what is wrong now",
    }
    sent = json.loads(first.stdout)["notify"]["sent"]
    assert [(s["channel"], s["ok"], s["firing"]) for s in sent] == [
        ("log", True, ["stuck_work"]),
    ]
    lines = (home.root / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    notification = json.loads(lines[0])
    assert [alert["name"] for alert in notification["firing"]] == ["stuck_work"]
    assert notification["firing"][0]["labels"]["processor"] == "player_daily_cache"

    again = health(None, "--notify")
    assert again.exit_code == 1
    assert "--notify: nothing new to send" in again.stdout
    assert len((home.root / "alerts.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_notify_without_channels_says_so(health: Callable[..., Result]) -> None:
    result = health(_stuck_today, "--notify")
    assert "--notify: no alert channels are configured" in result.stdout


MISUSE = {
    "--notify with --as-of": (("--notify", "--as-of", AS_OF), "cannot be combined with --as-of"),
    "a bad date": (("--date", "10/01/2025"), r"--date '10/01/2025' is not a date; use YYYY-MM-DD"),
    "a bad instant": (("--as-of", "yesterday"), r"--as-of 'yesterday' is not a date and time"),
}


@pytest.mark.parametrize(("args", "message"), MISUSE.values(), ids=MISUSE.keys())
def test_misuse_is_refused(home: Home, args: tuple[str, ...], message: str) -> None:
    command = ["--home", str(home.root), "health", *args]
    with pytest.raises(UsageError, match=message):
        CliRunner().invoke(main.app, command, catch_exceptions=False)
