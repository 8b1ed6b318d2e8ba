"""Incidents: one open incident a fingerprint whatever the failures and recoveries, resolved by
itself on recovery, kept in the warehouse exactly as the pure model says, replays changing nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbaprops.reliability.diagnosis import Diagnosis
from nbaprops.reliability.incidents import (
    Failure,
    IncidentStore,
    Intervention,
    Note,
    Observation,
    Recovery,
    replay,
)
from nbaprops.warehouse import Warehouse

DAY = date(2024, 11, 12)
T0 = datetime(2024, 11, 12, 18, 0, tzinfo=UTC)
COMPONENTS = ("player_game_summary", "ml_feature_store")
CLASSES = ("ProcessorError", "SourceBlockedError:blocked")


def failure(
    n: int, component: str = COMPONENTS[0], error_class: str = CLASSES[0], day: date = DAY, caused_by: str | None = None
) -> Failure:
    at = T0 + timedelta(minutes=5 * n)
    return Failure(component, error_class, day, key=f"wf|{component}|{n}", started_at=at, detected_at=at + timedelta(
        minutes=1), error=f"failure {n}", workflow_id="wf",
        diagnosis=Diagnosis("unknown", "cause", "fix", known=False), caused_by=caused_by)


def recovery(n: int, component: str = COMPONENTS[0], day: date = DAY) -> Recovery:
    return Recovery(component, day, T0 + timedelta(minutes=5 * n + 2), workflow_id="wf")


observations = st.lists(
    st.tuples(
        st.sampled_from(["fail", "caused", "recover", "note"]),
        st.sampled_from(COMPONENTS),
        st.sampled_from(CLASSES),
        st.sampled_from([DAY, DAY + timedelta(days=1)]),
    ),
    max_size=30,
).map(
    lambda steps: [
        failure(n, c, e, d) if kind == "fail" else recovery(n, c, d) if kind == "recover"
        # the second component reads the first: its failure follows from the first's
        else failure(n, COMPONENTS[1], e, d, caused_by=COMPONENTS[0]) if kind == "caused"
        else Note(c, d, T0 + timedelta(minutes=5 * n + 2), remediation=f"re-ran it (attempt {n})")
        for n, (kind, c, e, d) in enumerate(steps)
    ]
)


def open_per_fingerprint(incidents: list) -> dict[str, int]:
    counts: dict[str, int] = {}
    for incident in incidents:
        if incident.is_open:
            counts[incident.fingerprint] = counts.get(incident.fingerprint, 0) + 1
    return counts


@given(observations)
def test_at_most_one_open_incident_per_fingerprint(sequence: list[Observation]) -> None:
    incidents = replay(sequence)
    assert all(count == 1 for count in open_per_fingerprint(incidents).values())
    failures = [o for o in sequence if isinstance(o, Failure)]
    assert sum(incident.failures for incident in incidents) == len(failures)
    for incident in incidents:
        if incident.resolved_at is not None:
            assert incident.resolved_by == "auto" and incident.resolved_at >= incident.opened_at


@given(observations)
def test_replaying_a_prefix_again_changes_nothing(sequence: list[Observation]) -> None:
    # A restarted workflow replays what it had done: the incidents must come out the same.
    half = len(sequence) // 2
    assert replay(sequence[:half] + sequence[:half] + sequence[half:]) == replay(sequence)


def test_a_failure_then_a_recovery_resolves_by_itself_with_its_timing() -> None:
    first, second, fixed = failure(0), failure(1), recovery(3)
    retried = Note(first.component, DAY, T0 + timedelta(minutes=7), remediation="re-ran it (attempt 2)")
    (incident,) = replay([first, second, retried, fixed])
    assert incident.status == "resolved" and incident.resolved_by == "auto"
    assert incident.opened_at == first.started_at
    assert incident.detected_at == first.detected_at
    assert incident.resolved_at == fixed.at
    assert incident.failures == 2
    assert incident.remediation == ("re-ran it (attempt 2)",)
    assert incident.minutes_to_recover == 17


def test_another_workflows_success_recovers_whatever_its_clock_says() -> None:
    # A re-run replays the day from the same virtual instant: its success is still the recovery.
    rerun = Recovery(COMPONENTS[0], DAY, T0, by="manual", workflow_id="wf:rerun2")
    (incident,) = replay([failure(0), failure(3), rerun])
    assert incident.resolved_by == "manual" and incident.resolved_at == incident.last_failure_at
    # The failing workflow's own earlier success, replayed, is not.
    (still,) = replay([failure(0), failure(3), Recovery(COMPONENTS[0], DAY, T0, workflow_id="wf")])
    assert still.is_open


def test_a_failure_after_recovery_opens_a_new_incident() -> None:
    incidents = replay([failure(0), recovery(1), failure(2)])
    assert [i.status for i in incidents] == ["resolved", "open"]
    assert incidents[0].fingerprint == incidents[1].fingerprint


def test_a_failure_caused_upstream_joins_the_incident_of_its_cause() -> None:
    cause, downstream = COMPONENTS
    (incident,) = replay([failure(0), failure(1, downstream, "Incomplete", caused_by=cause)])
    assert incident.component == cause and incident.failures == 2
    assert incident.consequences == (downstream,)
    # Its cause's recovery ends the one incident: nothing of the consequence stays open.
    (resolved,) = replay([failure(0), failure(1, downstream, "Incomplete", caused_by=cause), recovery(2)])
    assert resolved.status == "resolved"


def test_a_consequence_of_a_cause_without_an_open_incident_stands_on_its_own() -> None:
    cause, downstream = COMPONENTS
    incidents = replay([failure(0), recovery(1), failure(2, downstream, "Incomplete", caused_by=cause)])
    assert [(i.component, i.status, i.consequences) for i in incidents] == [
        (cause, "resolved", ()), (downstream, "open", ())
    ]
    other_day = replay([failure(0), failure(1, downstream, "Incomplete", DAY + timedelta(days=1), caused_by=cause)])
    assert [i.component for i in other_day] == [cause, downstream]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=observations)
def test_the_store_keeps_what_the_model_says(warehouse: Warehouse, sequence: list[Observation]) -> None:
    warehouse.execute("DELETE FROM nba_orchestration.incidents")
    store = IncidentStore(warehouse)
    for observation in sequence:
        store.observe(observation)
    for observation in sequence:  # a replay of every step
        store.observe(observation)
    stored = sorted(store.incidents(), key=lambda i: i.incident_id)
    model = sorted(replay(sequence), key=lambda i: i.incident_id)
    assert [(i.incident_id, i.status, i.failures, i.remediation, i.consequences) for i in stored] == [
        (i.incident_id, i.status, i.failures, i.remediation, i.consequences) for i in model
    ]
    assert all(count == 1 for count in open_per_fingerprint(stored).values())


def test_interventions_are_recorded_once(warehouse: Warehouse) -> None:
    store = IncidentStore(warehouse)
    rerun = Intervention("rerun", "daily:2024-11-12:same_day:sim:rerun2", T0, DAY, "attempt 2")
    store.record_intervention(rerun)
    store.record_intervention(rerun)
    assert store.interventions() == [rerun]


def test_a_recovery_in_a_workflow_an_operator_resumed_is_manual(warehouse: Warehouse) -> None:
    store = IncidentStore(warehouse)
    store.record_intervention(Intervention("resume", "wf:resumed", T0, DAY))
    store.observe(failure(0))
    (resolved,) = store.observe(Recovery(COMPONENTS[0], DAY, T0 + timedelta(hours=1), workflow_id="wf:resumed"))
    assert resolved.resolved_by == "manual"
