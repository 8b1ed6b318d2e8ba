"""Work requests: workflow IDs are pure functions of the work, and requests survive JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from nbaprops.errors import ConfigError
from nbaprops.orchestration.faults import DeliveryFaultKind
from nbaprops.orchestration.requests import (
    Backfill,
    DailyRun,
    DataEvent,
    EventKind,
    Scope,
    SourceKind,
    split_faults,
)
from nbaprops.orchestration.service import processor_names
from nbaprops.orchestration.settings import RunMode

DAY = date(2025, 1, 10)
SEEN = datetime(2025, 1, 10, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("work", "workflow_id"),
    [
        (DailyRun(DAY, RunMode.SAME_DAY, SourceKind.REPLAY), "daily:2025-01-10:same_day:replay"),
        (DailyRun(DAY, RunMode.OVERNIGHT, SourceKind.SIM), "daily:2025-01-10:overnight:sim"),
        (
            DailyRun(DAY, RunMode.BACKFILL, SourceKind.SIM, scope=Scope.RESULTS),
            "results:2025-01-10:backfill:sim",
        ),
        (
            Backfill(date(2024, 10, 22), DAY, SourceKind.REPLAY),
            "backfill:2024-10-22:2025-01-10:backfill:replay",
        ),
    ],
)
def test_workflow_ids_name_the_work(work: DailyRun | Backfill, workflow_id: str) -> None:
    assert work.workflow_id == workflow_id
    assert type(work).from_json(work.to_json()) == work


def test_faults_and_since_do_not_change_the_id_of_a_day() -> None:
    plain = DailyRun(DAY, RunMode.SAME_DAY, SourceKind.SIM)
    faulty = DailyRun(
        DAY,
        RunMode.SAME_DAY,
        SourceKind.SIM,
        faults=("processor:player_game_summary=fail",),
        since=date(2024, 10, 22),
    )
    assert plain.workflow_id == faulty.workflow_id


def test_an_event_delivered_twice_has_one_id_and_new_content_another() -> None:
    run = DailyRun(DAY, RunMode.SAME_DAY, SourceKind.LIVE, virtual=False)
    event = DataEvent(EventKind.PROPS, run, SEEN, ("jaysontatum", "jalenbrunson"))
    again = DataEvent.from_json(event.to_json())
    same_instant = DataEvent(
        EventKind.PROPS,
        run,
        SEEN.astimezone(timezone(timedelta(hours=-5))),
        ("jalenbrunson", "jaysontatum"),
    )
    assert event.workflow_id == again.workflow_id == same_instant.workflow_id
    assert event.workflow_id.startswith("event:props:2025-01-10:same_day:live:")
    later = DataEvent(EventKind.PROPS, run, SEEN + timedelta(minutes=1), event.players)
    injuries = DataEvent(EventKind.INJURIES, run, SEEN, event.players)
    assert len({event.workflow_id, later.workflow_id, injuries.workflow_id}) == 3


def test_inject_specs_split_into_run_and_process_faults() -> None:
    run, process = split_faults(
        [
            "processor:player_game_summary=fail:2",
            "source:props=late:21h",
            "kill:after_step=7",
            "deliver:duplicate",
        ],
        processors=processor_names(),
    )
    assert run == ("processor:player_game_summary=fail:2", "source:props=late:21h")
    assert process.kill_after_step == 7 and process.delivers(DeliveryFaultKind.DUPLICATE)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: DailyRun(DAY, RunMode.SAME_DAY, SourceKind.SIM, faults=("kill:after_step=3",)),
            r"Faults kill:after_step=3 act on the process, not on the run of 2025-01-10; pass "
            r"them to the engine",
        ),
        (
            lambda: Backfill(DAY, date(2025, 1, 1), SourceKind.SIM),
            r"The backfill ends \(2025-01-01\) before it starts \(2025-01-10\); pass --start on",
        ),
        (
            lambda: split_faults(["processor:nope=fail"], processors=processor_names()),
            r"Unknown processor 'nope' in 'processor:nope=fail'; use one of nbac_schedule, ",
        ),
    ],
)
def test_invalid_requests_say_why(build, message: str) -> None:  # noqa: ANN001 - a table of lambdas
    with pytest.raises(ConfigError, match=message):
        build()
