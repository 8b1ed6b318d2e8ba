"""The README's rollback table, row by row: each key, written in `nbaprops.toml` as the table shows it,
switches its component off (or back) with the behaviour the table describes, judged at the decision level."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from nbaprops.config import Settings, load_settings
from nbaprops.errors import ChainExhaustedError, FailureKind, SourceFailure
from nbaprops.metrics.evidence import Evidence
from nbaprops.orchestration.completeness import RetryAction, plan_retry, retry_delay_seconds
from nbaprops.orchestration.gates import GateAction, ProcessorState, ProcessorStatus, decide_gate
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.windows import Game, PollKind, Slate, due_polls
from nbaprops.orchestration.worker import sweep
from nbaprops.predictions.picking import PickRules, decide_pick
from nbaprops.predictions.recommendation import RecommendationKind
from nbaprops.predictions.shopping import SideOffer
from nbaprops.predictions.system_review import canary_owns
from nbaprops.reliability.budgets import AttemptCounts, judge_attempt
from nbaprops.reliability.remediation import Action, Verdict, decide
from nbaprops.sources.chain import run_chain

README = Path(__file__).resolve().parents[1] / "README.md"
GAME_DATE = date(2025, 1, 10)


def settings_of(tmp_path: Path, toml: str) -> Settings:
    path = tmp_path / "nbaprops.toml"
    path.write_text(toml, encoding="utf-8")
    return load_settings(path)


# -- each row: what the component does by default, and with its key ----------------------------


def phase3_gate(settings: Settings) -> Any:
    """A failed optional summary after its retries: proceed degraded (critical_only) or hold Phase 4."""
    gate = settings.orchestration.gates.phase3_to_phase4
    statuses = {name: ProcessorStatus(name, ProcessorState.SUCCESS, 10, 10, attempts=1) for name in gate.processors}
    statuses["player_game_summary"] = ProcessorStatus("player_game_summary", ProcessorState.FAILED, attempts=3)
    return decide_gate(gate, mode=settings.orchestration.modes.get(RunMode.SAME_DAY), statuses=statuses,
                       waited_minutes=5.0).action


def completeness_retries(settings: Settings) -> Any:
    return plan_retry(records=1, expected=10, attempt=1, policy=settings.orchestration.completeness_retry).action


def gate_retries(settings: Settings) -> Any:
    return retry_delay_seconds(settings.orchestration.gates.phase3_to_phase4.retry, attempt=1) is not None


def retry_budgets(settings: Settings) -> Any:
    counts = AttemptCounts(processor_day=10_000, window=10_000)
    return judge_attempt(counts, settings.reliability.budgets, processor="player_game_summary",
                         game_date=GAME_DATE).allowed


def fallback_sources(settings: Settings) -> Any:
    def down() -> list[str]:
        raise SourceFailure("odds_api is down", kind=FailureKind.SERVER_ERROR, source="odds_api", endpoint="/props")

    calls: dict[str, Callable[[], list[str]]] = {"odds_api": down, "bettingpros": lambda: ["line"]}
    try:
        return run_chain("props", [(name, calls[name]) for name in settings.sources.chains.props]).source
    except ChainExhaustedError:
        return "exhausted"


def _polled_kinds(settings: Settings) -> set[PollKind]:
    now = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)
    slate = Slate(GAME_DATE, (Game(datetime(2025, 1, 11, 0, 0, tzinfo=UTC), "scheduled"),))
    return {poll.kind for poll in due_polls([slate], settings.sources.windows, {}, now=now)}


def scraper_windows(settings: Settings) -> Any:
    return bool(_polled_kinds(settings))


def event_triggers(settings: Settings) -> Any:
    return PollKind.PROPS in _polled_kinds(settings)


def picks(settings: Settings) -> Any:
    offer = SideOffer(RecommendationKind.OVER, "draftkings", 20.5, -110, p_win=0.60, p_lose=0.40, fair_p=0.5)
    evidence = Evidence(days=30, rows=900, mean_difference=-0.01, upper_bound=-0.002, confidence=0.95, min_days=14)
    config = settings.picks
    rules = PickRules(config.min_expected_value, config.kelly_fraction, config.max_stake)
    pick = decide_pick(offer, has_line=True, evidence=evidence, rules=rules)
    return pick.pick.value if pick.pass_reason is None else pick.pass_reason.split(":")[0]


def stuck_sweep(settings: Settings) -> Any:
    # Off, the sweep returns before it touches the warehouse: a stand-in engine without one shows it.
    try:
        return sweep(SimpleNamespace(settings=settings), now=datetime(2025, 1, 10, tzinfo=UTC),  # type: ignore[arg-type]
                     notify=lambda message: None)
    except AttributeError:
        return "sweeps"


def daily_digest(settings: Settings) -> Any:
    return settings.digest.first_due(datetime(2025, 1, 10, 9, 0, tzinfo=UTC)) is not None


def remediation(action: Action) -> Callable[[Settings], Any]:
    """Whether `action` may act on a first occurrence (no remediation yet)."""
    def probe(settings: Settings) -> Any:
        return decide(action, target="player_daily_cache", game_date=GAME_DATE, history=[],
                      config=settings.reliability.remediation, now=datetime(2025, 1, 10, 18, tzinfo=UTC)).verdict
    probe.__name__ = action.value
    return probe


def canary_share(settings: Settings) -> Any:
    """How many of 1,000 rows the canary picks."""
    share = settings.systems.canary_share
    return sum(canary_owns(f"g{n // 10}", f"p{n}", "points", share=share) for n in range(1000)) > 0


def system_review(settings: Settings) -> Any:
    return settings.systems.auto_review


# (README key, the TOML that sets it, the probe, its value by default, its value with the key)
ROWS = [
    ('[orchestration.gates.phase3_to_phase4] trigger_mode = "all_complete"',
     '[orchestration.gates.phase3_to_phase4]\ntrigger_mode = "all_complete"\n',
     phase3_gate, GateAction.PROCEED_DEGRADED, GateAction.FAIL),
    ("[orchestration.completeness_retry] max_attempts = 1", "[orchestration.completeness_retry]\nmax_attempts = 1\n",
     completeness_retries, RetryAction.RETRY, RetryAction.GIVE_UP),
    ("[orchestration.gates.phase3_to_phase4.retry] max_attempts = 1",
     "[orchestration.gates.phase3_to_phase4.retry]\nmax_attempts = 1\n", gate_retries, True, False),
    ("[reliability.budgets] enabled = false", "[reliability.budgets]\nenabled = false\n", retry_budgets, False, True),
    ('[sources.chains] props = ["odds_api"]', '[sources.chains]\nprops = ["odds_api"]\n',
     fallback_sources, "bettingpros", "exhausted"),
    ("[sources.windows] enabled = false", "[sources.windows]\nenabled = false\n", scraper_windows, True, False),
    ("[sources.windows.props] enabled = false", "[sources.windows.props]\nenabled = false\n",
     event_triggers, True, False),
    ("[picks] min_expected_value = 0.99", "[picks]\nmin_expected_value = 0.99\n", picks, "OVER", "low_ev"),
    ("[orchestration.stuck] enabled = false", "[orchestration.stuck]\nenabled = false\n", stuck_sweep, "sweeps", 0),
    ("[digest] enabled = false", "[digest]\nenabled = false\n", daily_digest, None, False),
    *((f"[reliability.remediation.{action.value}] enabled = false",
       f"[reliability.remediation.{action.value}]\nenabled = false\n", remediation(action), Verdict.ACT, Verdict.HOLD)
      for action in Action),
    ("[systems] canary_share = 0.0", "[systems]\ncanary_share = 0.0\n", canary_share, True, False),
    ("[systems] auto_review = false", "[systems]\nauto_review = false\n", system_review, True, False),
]


@pytest.mark.parametrize(("key", "toml", "probe", "default", "switched"), ROWS, ids=[row[0] for row in ROWS])
def test_each_rollback_key_switches_its_component(
    tmp_path: Path, key: str, toml: str, probe: Callable[[Settings], Any], default: Any, switched: Any
) -> None:
    if default is not None:
        assert probe(settings_of(tmp_path, "")) == default
    assert probe(settings_of(tmp_path, toml)) == switched


def test_the_digest_row_switches_back_on(tmp_path: Path) -> None:
    assert daily_digest(settings_of(tmp_path, "")) is False  # off by default
    assert daily_digest(settings_of(tmp_path, "[digest]\nenabled = true\n")) is True


def test_the_readme_table_lists_exactly_the_tested_keys() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("Rollback table:", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| component")]
    keys = [re.search(r"`([^`]+)`", line.split("|")[2]).group(1) for line in rows]  # type: ignore[union-attr]
    assert keys == [row[0] for row in ROWS]
