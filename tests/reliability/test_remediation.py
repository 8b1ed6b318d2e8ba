"""Auto-remediation decisions: remedies by cause, safety limits, one page past a limit, switches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbaprops.reliability.config import RemediationConfig
from nbaprops.reliability.remediation import (
    Action,
    Outcome,
    PastRemediation,
    Verdict,
    decide,
    pause_until,
    quota_low,
    remedy_for,
)

NOW = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
DAY = date(2025, 1, 9)


def past(action: Action, outcome: Outcome, *, target: str = "odds_player_props", game_date: date = DAY,
         at: datetime = NOW - timedelta(hours=1)) -> PastRemediation:
    return PastRemediation(action, target, game_date, at, outcome)


@pytest.mark.parametrize(
    ("rule", "action"),
    [
        ("late_data", Action.RETRIGGER_PHASE),
        ("breaker_open", Action.SWITCH_SOURCE),
        ("forbidden_after_move", Action.SWITCH_SOURCE),
        ("empty_payload", Action.SWITCH_SOURCE),
        ("timed_out", Action.REQUEUE_STUCK),
        ("quota_exhausted", Action.PAUSE_POLLING),
        ("missing_module", None),
        ("schema_drift", None),
        ("no_games_yet", None),
        ("accuracy_drop", None),
        ("unknown", None),
        (None, None),
    ],
)
def test_each_known_cause_has_its_remedy_and_the_others_need_a_person(rule: str | None, action: Action | None) -> None:
    assert remedy_for(rule) is action


RETRIGGER = Action.RETRIGGER_PHASE
# max_per_date 2, max_per_day 10 (the retrigger_phase defaults)
CASES = [
    # history, verdict, reason fragment
    ([], Verdict.ACT, "within its limit (0/2 for the date, 0/10 today)"),
    ([past(RETRIGGER, Outcome.SUCCESS)], Verdict.ACT, "1/2 for the date"),
    ([past(RETRIGGER, Outcome.SUCCESS), past(RETRIGGER, Outcome.FAILED)], Verdict.PAGE,
     "already acted 2 times on it, the limit of max_per_date = 2 in [reliability.remediation.retrigger_phase]"),
    ([past(RETRIGGER, Outcome.SUCCESS), past(RETRIGGER, Outcome.RUNNING), past(RETRIGGER, Outcome.PAGED)],
     Verdict.HOLD, "past its limit and a person was paged"),
    # pages do not spend the limit; other targets, dates and actions do not count for the date
    ([past(RETRIGGER, Outcome.PAGED), past(RETRIGGER, Outcome.SUCCESS, target="other"),
      past(RETRIGGER, Outcome.SUCCESS, game_date=DAY - timedelta(days=1)),
      past(Action.REGRADE, Outcome.SUCCESS)], Verdict.ACT, "0/2 for the date, 2/10 today"),
    # the day's limit: ten on other dates today
    ([past(RETRIGGER, Outcome.SUCCESS, game_date=DAY - timedelta(days=n)) for n in range(1, 11)], Verdict.PAGE,
     "already acted 10 times today, the limit of max_per_day = 10"),
    # yesterday's do not count for today
    ([past(RETRIGGER, Outcome.SUCCESS, game_date=DAY - timedelta(days=n), at=NOW - timedelta(days=1))
      for n in range(1, 11)], Verdict.ACT, "0/10 today"),
    # one page a day for the day's limit, whichever date it was about
    ([*(past(RETRIGGER, Outcome.SUCCESS, game_date=DAY - timedelta(days=n)) for n in range(1, 11)),
      past(RETRIGGER, Outcome.PAGED, game_date=DAY - timedelta(days=20))], Verdict.HOLD, "a person was paged"),
]


@pytest.mark.parametrize(("history", "verdict", "reason"), CASES)
def test_the_limit_decides_act_page_or_hold(history: list[PastRemediation], verdict: Verdict, reason: str) -> None:
    decision = decide(RETRIGGER, target="odds_player_props", game_date=DAY, history=history,
                      config=RemediationConfig(), now=NOW)
    assert decision.verdict is verdict
    assert reason in decision.reason


def test_a_remediation_switched_off_holds_with_its_config_key() -> None:
    config = RemediationConfig(regrade={"enabled": False})
    decision = decide(Action.REGRADE, target="results", game_date=DAY, history=[], config=config, now=NOW)
    assert decision.verdict is Verdict.HOLD
    assert decision.reason == f"regrade of results for {DAY}: switched off ([reliability.remediation.regrade])."
    assert not decision.limit.enabled


def test_a_zero_limit_pages_at_once() -> None:
    config = RemediationConfig(switch_source={"max_per_date": 0})
    decision = decide(Action.SWITCH_SOURCE, target="x", game_date=DAY, history=[], config=config, now=NOW)
    assert decision.verdict is Verdict.PAGE
    assert decision.reason.startswith("Auto-remediation stopped: switch_source of x for 2025-01-09 is past its safety")


@pytest.mark.parametrize(
    ("left", "low"), [(None, False), (0, True), (50, True), (51, False), (10_000, False)]
)
def test_quota_low_at_or_below_the_threshold(left: int | None, low: bool) -> None:
    assert quota_low(left, RemediationConfig()) is low


def test_a_pause_lasts_until_the_reset_at_most_a_day_else_pause_minutes() -> None:
    config = RemediationConfig(pause_polling={"pause_minutes": 30})
    assert pause_until(NOW, resets_at=NOW + timedelta(hours=3), config=config) == NOW + timedelta(hours=3)
    assert pause_until(NOW, resets_at=NOW + timedelta(days=9), config=config) == NOW + timedelta(days=1)
    assert pause_until(NOW, resets_at=NOW - timedelta(hours=1), config=config) == NOW + timedelta(minutes=30)
    assert pause_until(NOW, resets_at=None, config=config) == NOW + timedelta(minutes=30)


requests = st.lists(
    st.tuples(
        st.sampled_from(list(Action)),
        st.sampled_from(["a", "b"]),
        st.sampled_from([DAY, DAY - timedelta(days=1)]),
        st.integers(min_value=0, max_value=3 * 24 * 60),  # minutes after the first request
        st.sampled_from([Outcome.SUCCESS, Outcome.FAILED, Outcome.RUNNING]),
    ),
    max_size=60,
)
limits = st.fixed_dictionaries(
    {"enabled": st.booleans(), "max_per_date": st.integers(0, 4), "max_per_day": st.integers(0, 6)}
)


@settings(max_examples=150, deadline=None)
@given(requests=requests, limit=limits)
def test_no_sequence_of_requests_exceeds_a_limit_or_pages_twice(
    requests: list[tuple[Action, str, date, int, Outcome]], limit: dict[str, object]
) -> None:
    config = RemediationConfig(**{action.value: limit for action in Action})
    history: list[PastRemediation] = []
    start = datetime(2025, 1, 10, tzinfo=UTC)
    for action, target, game_date, minutes, outcome in sorted(requests, key=lambda r: r[3]):
        now = start + timedelta(minutes=minutes)
        decision = decide(action, target=target, game_date=game_date, history=history, config=config, now=now)
        if decision.verdict is Verdict.ACT:
            history.append(PastRemediation(action, target, game_date, now, outcome))
        elif decision.verdict is Verdict.PAGE:
            history.append(PastRemediation(action, target, game_date, now, Outcome.PAGED))
    acted = [p for p in history if p.outcome is not Outcome.PAGED]
    paged = [p for p in history if p.outcome is Outcome.PAGED]
    if not limit["enabled"]:
        assert history == []  # switched off: never acts, never pages
        return
    for p in acted:
        same = [q for q in acted if (q.action, q.target, q.game_date) == (p.action, p.target, p.game_date)]
        day = [q for q in acted if q.action is p.action and q.started_at.date() == p.started_at.date()]
        assert len(same) <= limit["max_per_date"]
        assert len(day) <= limit["max_per_day"]
    for p in paged:  # one page a day at most for an action's target and date, then it holds
        same = [q for q in paged if (q.action, q.target, q.game_date, q.started_at.date())
                == (p.action, p.target, p.game_date, p.started_at.date())]
        assert len(same) == 1
        spent = [q for q in acted if (q.action, q.target, q.game_date) == (p.action, p.target, p.game_date)]
        if len(spent) >= limit["max_per_date"]:  # its date's limit spent: that page is the only one ever
            assert [q for q in paged if (q.action, q.target, q.game_date) == (p.action, p.target, p.game_date)
                    and q.started_at > p.started_at] == []
