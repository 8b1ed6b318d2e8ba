"""The engine's manners on a virtual clock: dedupe, group wait and interval, repeat, resolved,
inhibition, silences and their expiry, pending retries, severity routing, failing channels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

import pytest
from tests.alerting.helpers import START, RecordingChannel, make_alert

from nbaprops.alerting import (
    Alert,
    AlertEngine,
    AlertingConfig,
    AlertSignals,
    AlertStatus,
    AlertStore,
    Severity,
    evaluate,
)
from nbaprops.alerting.config import RulesConfig
from nbaprops.alerting.redaction import REDACTED, SecretScrubber
from nbaprops.clock import VirtualClock
from nbaprops.errors import AlertingError

STALE = make_alert("phase3_data_stale")
COMPLETION = make_alert("phase3_completion_low", severity=Severity.CRITICAL)
PHASE4 = make_alert("phase4_not_triggered", component="phase4", severity=Severity.CRITICAL)
WORKERS = make_alert("worker_errors_high", component="workers")
SOURCE_DOWN = make_alert(
    "source_down", component="sources", severity=Severity.CRITICAL, source="odds_api"
)


def engine_with(
    store: AlertStore, clock: VirtualClock, *channels: RecordingChannel, **config: object
) -> AlertEngine:
    return AlertEngine(
        store, list(channels), config=AlertingConfig.model_validate(config), clock=clock
    )


def at(clock: VirtualClock, seconds: float) -> None:
    clock.advance_to(START + timedelta(seconds=seconds))


def names(channel: RecordingChannel) -> list[tuple[list[str], list[str]]]:
    return [([a.name for a in n.firing], [a.name for a in n.resolved]) for n in channel.received]


def run(
    engine: AlertEngine, clock: VirtualClock, timeline: Sequence[tuple[float, Sequence[Alert]]]
) -> None:
    for seconds, alerts in timeline:
        at(clock, seconds)
        engine.process(alerts)


def test_a_new_group_waits_then_notifies_once(store: AlertStore, clock: VirtualClock) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel)
    first = engine.process([STALE])
    assert first.statuses == {STALE.fingerprint: AlertStatus.FIRING}
    assert first.held_groups == ("component=phase3",) and first.sent == ()
    run(engine, clock, [(10, [STALE]), (29, [STALE])])
    assert channel.received == []
    run(engine, clock, [(30, [STALE]), (60, [STALE]), (400, [STALE]), (4000, [STALE])])
    assert names(channel) == [(["phase3_data_stale"], [])]
    [state] = store.list_states()
    assert (state.seen_count, state.notified_count) == (7, 1)
    assert state.first_seen_utc == START and state.last_seen_utc == clock.now()


def test_the_same_alert_twice_in_one_cycle_is_one_alert(
    store: AlertStore, clock: VirtualClock
) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel, group_wait_seconds=0)
    result = engine.process(
        [STALE, STALE, make_alert("phase3_data_stale", severity=Severity.CRITICAL)]
    )
    assert list(result.statuses) == [STALE.fingerprint]
    [notification] = channel.received
    assert [a.severity for a in notification.firing] == [Severity.CRITICAL]


def test_alerts_joining_a_group_wait_for_the_group_interval(
    store: AlertStore, clock: VirtualClock
) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel)
    run(
        engine,
        clock,
        [
            (0, [STALE]),
            (30, [STALE]),  # group_wait over: first notification
            (60, [STALE, COMPLETION, WORKERS]),  # joins phase3 group; opens a workers group
            (100, [STALE, COMPLETION, WORKERS]),  # workers group waited 30 s
            (200, [STALE, COMPLETION, WORKERS]),
            (329, [STALE, COMPLETION, WORKERS]),  # phase3 group interval not over yet
            (330, [STALE, COMPLETION, WORKERS]),
        ],
    )
    assert names(channel) == [
        (["phase3_data_stale"], []),
        (["worker_errors_high"], []),
        (["phase3_completion_low", "phase3_data_stale"], []),  # the whole group, most severe first
    ]


def test_a_still_firing_group_repeats_after_the_repeat_interval(
    store: AlertStore, clock: VirtualClock
) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel, repeat_interval_seconds=3600)
    # Sent at 30 s; the group is then looked at every 300 s at most.
    run(engine, clock, [(0, [STALE]), (30, [STALE]), (3000, [STALE]), (3600, [STALE])])
    assert len(channel.received) == 1
    run(engine, clock, [(3900, [STALE])])  # first look after 3600 s since the notification
    assert len(channel.received) == 2
    assert channel.received[1].firing == channel.received[0].firing
    run(engine, clock, [(4200, [STALE]), (7000, [STALE])])
    assert len(channel.received) == 2


def test_a_resolved_alert_is_notified_once(store: AlertStore, clock: VirtualClock) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel)
    run(engine, clock, [(0, [STALE, COMPLETION]), (30, [STALE, COMPLETION])])
    at(clock, 100)
    result = engine.process([COMPLETION])
    assert result.statuses[STALE.fingerprint] is AlertStatus.RESOLVED
    assert result.held_groups == ("component=phase3",)  # the group interval holds the news
    run(engine, clock, [(330, [COMPLETION]), (700, []), (1100, []), (5000, [])])
    assert names(channel) == [
        (["phase3_completion_low", "phase3_data_stale"], []),
        (["phase3_completion_low"], ["phase3_data_stale"]),
        ([], ["phase3_completion_low"]),
    ]
    assert store.groups() == {} and store.channel_logs() == {}
    assert store.list_states() == []
    assert {s.status for s in store.list_states(include_resolved=True)} == {AlertStatus.RESOLVED}


def test_an_alert_resolved_before_anyone_heard_of_it_stays_quiet(
    store: AlertStore, clock: VirtualClock
) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel)
    run(engine, clock, [(0, [STALE]), (10, []), (40, []), (400, [])])
    assert channel.received == []
    assert store.groups() == {}


def test_a_root_cause_inhibits_its_symptoms_for_the_same_game_date(
    store: AlertStore, clock: VirtualClock
) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel, group_wait_seconds=0)
    other_day = make_alert("phase3_data_stale", game_date="2025-01-11")
    result = engine.process([SOURCE_DOWN, STALE, PHASE4, other_day])
    assert result.statuses == {
        SOURCE_DOWN.fingerprint: AlertStatus.FIRING,
        STALE.fingerprint: AlertStatus.INHIBITED,
        PHASE4.fingerprint: AlertStatus.INHIBITED,
        other_day.fingerprint: AlertStatus.FIRING,
    }
    inhibited = {
        s.alert.name: s.inhibited_by
        for s in store.list_states()
        if s.status is AlertStatus.INHIBITED
    }
    assert inhibited == {
        "phase3_data_stale": f"source_down:{SOURCE_DOWN.fingerprint}",
        "phase4_not_triggered": f"source_down:{SOURCE_DOWN.fingerprint}",
    }
    assert sorted(n.firing[0].name for n in channel.received) == [
        "phase3_data_stale",
        "source_down",
    ]
    assert [
        n.firing[0].labels["game_date"]
        for n in channel.received
        if n.firing[0].name != "source_down"
    ] == ["2025-01-11"]

    # The outage ends: the symptom that remains is now news.
    at(clock, 60)
    result = engine.process([STALE])
    assert result.statuses[STALE.fingerprint] is AlertStatus.FIRING
    at(clock, 400)
    engine.process([STALE])
    assert any(
        "phase3_data_stale" in [a.name for a in n.firing]
        and n.firing[0].labels["game_date"] == "2025-01-10"
        for n in channel.received
    )


def test_an_open_breaker_inhibits_only_its_own_source(
    store: AlertStore, clock: VirtualClock
) -> None:
    engine = engine_with(store, clock, RecordingChannel("ops"))
    breaker = make_alert("breaker_open", component="sources", source="odds_api")
    other = make_alert("source_down", component="sources", source="nba_stats")
    result = engine.process([breaker, SOURCE_DOWN, other])
    assert result.statuses[SOURCE_DOWN.fingerprint] is AlertStatus.INHIBITED
    assert result.statuses[other.fingerprint] is AlertStatus.FIRING
    assert result.statuses[breaker.fingerprint] is AlertStatus.FIRING


def test_an_alert_never_inhibits_itself(store: AlertStore, clock: VirtualClock) -> None:
    engine = engine_with(
        store,
        clock,
        inhibit_rules=[{"source": ["component=phase3"], "target": ["component=phase3"]}],
    )
    result = engine.process([STALE])
    assert result.statuses[STALE.fingerprint] is AlertStatus.FIRING


def test_a_silence_mutes_until_it_expires(store: AlertStore, clock: VirtualClock) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel)
    silence = store.add_silence(
        ["name=phase3_data_stale"],
        starts_utc=clock.now(),
        ends_utc=clock.now() + timedelta(hours=1),
        created_by="tester",
        comment="known outage",
        now=clock.now(),
    )
    result = engine.process([STALE, COMPLETION])
    assert result.statuses[STALE.fingerprint] is AlertStatus.SILENCED
    run(engine, clock, [(30, [STALE, COMPLETION]), (1800, [STALE, COMPLETION])])
    assert names(channel) == [(["phase3_completion_low"], [])]
    assert store.list_states()[1].silence_id == silence.silence_id

    run(engine, clock, [(3600, [STALE, COMPLETION])])  # the silence has ended
    assert store.open_states()[STALE.fingerprint].status is AlertStatus.FIRING
    assert names(channel)[-1] == (["phase3_completion_low", "phase3_data_stale"], [])
    assert store.silences(now=clock.now()) == []
    assert len(store.silences(now=clock.now(), include_expired=True)) == 1


def test_unsilence_ends_a_silence_early(store: AlertStore, clock: VirtualClock) -> None:
    engine = engine_with(store, clock, RecordingChannel("ops"), group_wait_seconds=0)
    silence = store.add_silence(
        ["component=~phase.*"],
        starts_utc=clock.now(),
        ends_utc=clock.now() + timedelta(days=1),
        created_by="tester",
        comment="",
        now=clock.now(),
    )
    assert engine.process([STALE]).statuses[STALE.fingerprint] is AlertStatus.SILENCED
    at(clock, 60)
    ended = store.expire_silence(silence.silence_id, now=clock.now())
    assert ended.ends_utc == clock.now()
    assert engine.process([STALE]).statuses[STALE.fingerprint] is AlertStatus.FIRING
    with pytest.raises(AlertingError, match=r"No silence with id 'nope'"):
        store.expire_silence("nope", now=clock.now())


def test_a_failure_a_pending_retry_will_handle_is_recorded_not_notified(
    store: AlertStore, clock: VirtualClock
) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel, group_wait_seconds=0)
    pending = make_alert("phase3_completion_low", retry_pending=True)
    run(engine, clock, [(0, [pending]), (400, [pending])])
    assert channel.received == []
    assert store.open_states()[pending.fingerprint].status is AlertStatus.SUPPRESSED_RETRY
    run(engine, clock, [(800, [make_alert("phase3_completion_low")])])  # the retry failed too
    assert names(channel) == [(["phase3_completion_low"], [])]
    statuses = [row["status"] for row in store.events(fingerprint=pending.fingerprint)]
    assert statuses == ["suppressed_retry", "firing", "firing"]  # changed, changed, notified


def test_channels_take_only_their_severities(store: AlertStore, clock: VirtualClock) -> None:
    pager = RecordingChannel("pager", min_severity=Severity.CRITICAL)
    chat = RecordingChannel("chat", min_severity=Severity.WARNING)
    engine = engine_with(store, clock, pager, chat, group_wait_seconds=0)
    run(engine, clock, [(0, [STALE, make_alert("info_note", severity=Severity.INFO)])])
    assert names(chat) == [(["phase3_data_stale"], [])] and pager.received == []
    escalated = make_alert("phase3_data_stale", severity=Severity.CRITICAL)
    run(engine, clock, [(300, [escalated])])
    assert names(pager) == [(["phase3_data_stale"], [])]
    assert len(chat.received) == 1  # chat already knows this alert fires


def test_a_failing_channel_is_retried_recorded_and_tried_again_next_flush(
    store: AlertStore, clock: VirtualClock
) -> None:
    broken, healthy = RecordingChannel("broken"), RecordingChannel("healthy")
    broken.down = True
    engine = engine_with(store, clock, broken, healthy, group_wait_seconds=0)
    result = engine.process([STALE])
    assert broken.tries == 3 and len(healthy.received) == 1
    assert clock.now() == START + timedelta(seconds=1 + 2)  # backoff through the clock
    assert [(s.channel, s.ok) for s in result.sent] == [("broken", False), ("healthy", True)]
    rows = [(r["channel"], r["attempt"], r["ok"]) for r in store.deliveries()]
    assert rows == [
        ("broken", 1, False),
        ("broken", 2, False),
        ("broken", 3, False),
        ("healthy", 1, True),
    ]
    assert store.deliveries()[0]["error"] == "ConnectionError: broken refused the connection"

    broken.down = False
    run(engine, clock, [(300, [STALE])])
    assert len(broken.received) == 1 and len(healthy.received) == 1
    run(engine, clock, [(700, [STALE])])
    assert len(broken.received) == 1


def test_every_state_change_and_notification_is_an_event(
    store: AlertStore, clock: VirtualClock
) -> None:
    engine = engine_with(store, clock, RecordingChannel("ops"), group_wait_seconds=0)
    run(engine, clock, [(0, [STALE]), (60, [STALE]), (400, [])])
    rows = store.events(fingerprint=STALE.fingerprint)
    assert [(r["event"], r["status"], r["previous_status"], r["channel"]) for r in rows] == [
        ("status_changed", "firing", None, None),
        ("notified", "firing", None, "ops"),
        ("status_changed", "resolved", "firing", None),
        ("notified", "resolved", None, "ops"),
    ]


def test_secrets_are_scrubbed_before_anything_is_stored_or_sent(
    store: AlertStore, clock: VirtualClock
) -> None:
    channel = RecordingChannel("ops")
    engine = AlertEngine(
        store,
        [channel],
        config=AlertingConfig(group_wait_seconds=0),
        clock=clock,
        scrubber=SecretScrubber(["sk-live-0123456789"]),
    )
    leaky = replace(
        make_alert("source_down", component="sources", source="odds_api"),
        message="GET ?apiKey=sk-live-0123456789 returned 401.",
        details={"url": "https://u:pw@x.example.com/?apiKey=sk-live-0123456789"},
    )
    engine.process([leaky])
    [state] = store.list_states()
    assert state.alert.message == f"GET ?apiKey={REDACTED} returned 401."
    assert "sk-live" not in str(state.alert.details) and "u:pw" not in str(state.alert.details)
    assert "sk-live" not in channel.received[0].body
    assert not any("sk-live" in str(row) for row in store.events())


def test_rules_feed_the_engine(store: AlertStore, clock: VirtualClock) -> None:
    channel = RecordingChannel("ops")
    engine = engine_with(store, clock, channel, group_wait_seconds=0)
    signals = AlertSignals(
        now_utc=clock.now(),
        game_date=START.date(),
        phase3_last_success_utc=clock.now() - timedelta(hours=3),
        sources_down=(("odds_api", "HTTP 503"),),
    )
    result = engine.process(evaluate(signals, RulesConfig()))
    assert sorted(s.value for s in result.statuses.values()) == ["firing", "inhibited"]
    assert [n.firing[0].name for n in channel.received] == ["source_down"]


def test_channel_names_must_be_unique(store: AlertStore, clock: VirtualClock) -> None:
    with pytest.raises(AlertingError, match=r"Channel names must be unique; got ops, ops"):
        engine_with(store, clock, RecordingChannel("ops"), RecordingChannel("ops"))
