"""A scenario is judged on what its fault raised: alerts and open incidents the fault-free run raised by
itself (a real season's own accuracy drop) are the season's, and are left out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from nbaprops.home import Home
from nbaprops.orchestration.chaos_run import read_background, read_outcome, snapshot
from nbaprops.reliability.diagnosis import Diagnosis
from nbaprops.reliability.incidents import Failure, IncidentStore
from nbaprops.warehouse import Warehouse

DAY = date(2024, 11, 13)
AT = datetime(2024, 11, 14, 12, 0, tzinfo=UTC)


def _home(root: Path, *alerts: tuple[str, str]) -> Home:
    """A home whose runs raised `alerts` (kind, component), each with an open incident of its component."""
    home = Home(root).ensure()
    with Warehouse.open(home.warehouse_path) as warehouse:
        for n, (kind, component) in enumerate(alerts):
            warehouse.execute(
                "INSERT INTO nba_orchestration.orchestration_events VALUES (?, 'wf', ?, 'backfill', ?, NULL, NULL, "
                "'x', 'paged', TRUE, '{}', ?, ?)",
                [f"e{n}", DAY, kind, AT.replace(tzinfo=None), AT.replace(tzinfo=None)],
            )
            IncidentStore(warehouse).observe(Failure(
                component, "Error", DAY, key=f"wf|{component}", started_at=AT, detected_at=AT,
                diagnosis=Diagnosis(f"{component}_rule", "cause", "fix"),
            ))
    return home


def test_what_the_fault_free_run_raised_by_itself_is_left_out(tmp_path: Path) -> None:
    baseline = _home(tmp_path / "baseline", ("accuracy", "accuracy"))
    faulted = _home(tmp_path / "faulted", ("accuracy", "accuracy"), ("give_up", "odds_player_props"))
    outcome = read_outcome(
        faulted, snapshot(baseline.warehouse_path), completed=True, background=read_background(baseline)
    )
    assert outcome.alerts == {"give_up": 1} and outcome.alerts_per_day == {"give_up": 1}
    assert outcome.open_incidents == 1 and outcome.diagnoses == ("odds_player_props_rule",)
    # Without the background, the season's own page counts against the scenario.
    plain = read_outcome(faulted, snapshot(baseline.warehouse_path), completed=True)
    assert plain.alerts == {"accuracy": 1, "give_up": 1} and plain.open_incidents == 2
