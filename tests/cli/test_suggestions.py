"""Every command nbaprops can suggest works: each builder of `nbaprops.suggestions` is run
through the real entry point on a small home, and no message builds a command by hand."""

from __future__ import annotations

import ast
import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.cli.sim_cli import cli

import nbaprops
from nbaprops.home import Home
from nbaprops.suggestions import (
    SUGGESTIONS,
    Suggestion,
    backfill_range,
    check_sources,
    config_history,
    day_status,
    ingest_help,
    investigate_grading,
    list_alerts,
    list_quarantine,
    list_workflows,
    migrate_warehouse,
    regrade_day,
    rerun_day,
    rerun_range,
    run_day,
)

Check = Callable[[subprocess.CompletedProcess[str]], None]
# Commands named in messages that are not actions to take as written: the sender of a test
# notification, where the sim source's league comes from, what resumes a workflow, and the first
# steps on a home whose dates the user picks.
NOT_SUGGESTIONS = {
    ("alerting/engine.py", "Test notification from `nbaprops alerts test`"),
    ("orchestration/runtime.py", "(the synthetic league of `nbaprops demo`)"),
    ("cli/workflows_cmd.py", "or the next `nbaprops"),
    ("cli/orchestration_cmd.py", "start with `nbaprops run --date YYYY-MM-DD`"),
    ("cli/demo_cmd.py", "Next: `nbaprops status`, `nbaprops health`"),
    ("cli/demo_cmd.py", "`nbaprops investigate grading --date D`"),
    # Starting the long-running worker: it runs until stopped, so no test can run it as a suggestion.
    ("ops/workers.py", "(start one with `nbaprops worker`)"),
    ("cli/workers_cmd.py", "start one with `nbaprops worker`"),
}


def _json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout)


def _ran(workflow_id: str, *, regraded_by: str | None = None) -> Check:
    def check(done: subprocess.CompletedProcess[str]) -> None:
        report = _json(done)
        assert (report["workflow_id"], report["regraded_by"]) == (workflow_id, regraded_by), report
        assert report["status"] in ("complete", "degraded") and not report["already_done"], report

    return check


def _backfilled(workflow_id: str) -> Check:
    def check(done: subprocess.CompletedProcess[str]) -> None:
        report = _json(done)
        assert (report["workflow_id"], report["failed"]) == (workflow_id, 0), report
        assert report["season"]["predictions"] > 0

    return check


def _reported(key: str) -> Check:
    def check(done: subprocess.CompletedProcess[str]) -> None:
        assert key in _json(done), done.stdout

    return check


def _printed(text: str) -> Check:
    def check(done: subprocess.CompletedProcess[str]) -> None:
        assert text in done.stdout + done.stderr, done.stdout

    return check


def plan(dates: list[str]) -> list[tuple[Callable[..., Suggestion], dict[str, Any], Check]]:
    """Every builder, with arguments that make its command meaningful at that point on the home
    (a backfill first, so every later day has its history)."""
    first, day = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
    backfill = {"mode": "backfill", "source": "replay"}
    return [
        (migrate_warehouse, {}, _printed("")),
        (rerun_range, {"start": first, "end": day}, _backfilled(f"backfill:{first}:{day}:backfill:replay")),
        (run_day, {"game_date": day}, _ran(f"daily:{day}:same_day:replay")),
        (
            rerun_day,
            {"game_date": day},
            _ran(f"daily:{day}:same_day:replay:rerun2", regraded_by=f"results:{day}:same_day:replay:rerun2"),
        ),
        (
            rerun_day,
            {"game_date": day, **backfill},
            _ran(f"daily:{day}:backfill:replay:rerun2", regraded_by=f"results:{day}:backfill:replay:rerun2"),
        ),
        (regrade_day, {"game_date": day}, _ran(f"results:{day}:same_day:replay:rerun3")),
        (regrade_day, {"game_date": day, **backfill}, _ran(f"results:{day}:backfill:replay:rerun3")),
        (investigate_grading, {"game_date": day}, _reported("verdict")),
        (day_status, {"game_date": day}, _reported("processors")),
        (list_workflows, {}, _printed(f"daily:{day}:backfill:replay:rerun2")),
        (list_alerts, {}, _printed("")),
        (list_quarantine, {}, _printed("")),
        (list_quarantine, {"file": "nothing.csv"}, _printed("nothing.csv")),
        (check_sources, {}, _printed("nbacom")),  # no network here: exit 1, every source down
        (ingest_help, {}, _printed("Usage")),
        (config_history, {}, _printed("runs")),
        # A plain backfill of a range that has run reports its latest attempt.
        (backfill_range, {"start": first, "end": day, "source": "replay"},
         _backfilled(f"backfill:{first}:{day}:backfill:replay")),
    ]


def test_every_suggestion_runs(cli_home: Home, league_file: tuple[Path, list[str]]) -> None:
    steps = plan(league_file[1])
    assert {builder for builder, _, _ in steps} == set(SUGGESTIONS)
    for builder, arguments, check in steps:
        suggestion = builder(**arguments)
        takes_json = suggestion.args[0] in ("run", "backfill", "status", "investigate")
        done = cli(cli_home, *suggestion.args, *(("--json",) if takes_json else ()))
        # 0 done, 1 the report found something; 2 only as a report's verdict (investigate:
        # a regression), never a usage error; never 3 (the command failed).
        codes = (0, 1, 2) if builder is investigate_grading else (0, 1)
        assert done.returncode in codes, f"{suggestion}: exit {done.returncode}\n{done.stderr}"
        check(done)


def test_messages_build_commands_only_through_suggestions() -> None:
    """A backquoted `nbaprops ...` in a message must come from a builder."""
    package = Path(nbaprops.__file__).parent
    found = set()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative == "suggestions.py":
            continue
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and "`nbaprops " in node.value
            ):
                found.add((relative, node.value.strip()))
    assert {
        (path, text)
        for path, text in found
        if not any(path == allowed and known in text for allowed, known in NOT_SUGGESTIONS)
    } == set()


@pytest.mark.parametrize(
    ("suggestion", "text"),
    [
        (rerun_day(date(2025, 1, 10)), "`nbaprops run --date 2025-01-10 --rerun`"),
        (
            regrade_day(date(2025, 1, 10), mode="backfill", source="sim"),
            "`nbaprops run --date 2025-01-10 --mode backfill --source sim --results --rerun`",
        ),
        (
            rerun_range(date(2025, 1, 1), date(2025, 1, 10)),
            "`nbaprops backfill --start 2025-01-01 --end 2025-01-10 --rerun`",
        ),
    ],
)
def test_a_suggestion_reads_as_the_command(suggestion: Suggestion, text: str) -> None:
    assert str(suggestion) == text
