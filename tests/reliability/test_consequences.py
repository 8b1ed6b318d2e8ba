"""One page per root cause: a failure downstream of a failed input, or a gate failing only on what was
paged already, follows from that cause; anything else stands on its own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nbaprops.reliability.consequences import gate_consequence, upstream_failure

# Phase 2 feeds -> Phase 3 -> Phase 4, as the daily plan wires them.
READS = {
    "nbac_team_boxscores": [],
    "odds_player_props": [],
    "team_offense_game_summary": ["nbac_team_boxscores"],
    "upcoming_player_game_context": ["odds_player_props"],
    "player_daily_cache": ["team_offense_game_summary", "upcoming_player_game_context"],
}


def test_the_nearest_failed_input_is_the_cause() -> None:
    assert upstream_failure("team_offense_game_summary", reads=READS, failed={"nbac_team_boxscores"}) == (
        "nbac_team_boxscores"
    )
    # Two levels up, through a processor that did not fail itself.
    assert upstream_failure("player_daily_cache", reads=READS, failed={"odds_player_props"}) == "odds_player_props"
    # The nearer failure wins over the one further up.
    assert upstream_failure(
        "player_daily_cache", reads=READS, failed={"nbac_team_boxscores", "team_offense_game_summary"}
    ) == "team_offense_game_summary"


def test_a_failure_with_no_failed_input_is_its_own_cause() -> None:
    assert upstream_failure("team_offense_game_summary", reads=READS, failed={"odds_player_props"}) is None
    assert upstream_failure("nbac_team_boxscores", reads=READS, failed={"nbac_team_boxscores"}) is None
    assert upstream_failure("unknown_processor", reads=READS, failed=set(READS)) is None


@given(st.sets(st.sampled_from(sorted(READS))), st.sampled_from(sorted(READS)))
def test_the_cause_is_a_failed_ancestor(failed: set[str], component: str) -> None:
    ancestors: set[str] = set()
    frontier = [component]
    while frontier:
        frontier = [u for c in frontier for u in READS[c] if u not in ancestors]
        ancestors.update(frontier)
    cause = upstream_failure(component, reads=READS, failed=failed)
    assert (cause is None) == (not ancestors & failed)
    assert cause is None or cause in ancestors & failed


def test_a_gate_failing_only_on_paged_processors_is_not_paged_again() -> None:
    paged = {"odds_player_props": "odds_player_props", "upcoming_player_game_context": "odds_player_props"}
    repeat = gate_consequence(("upcoming_player_game_context",), paged=paged)
    assert repeat is not None and repeat.cause == "odds_player_props"
    assert str(repeat) == (
        "Not paged again: it fails on upcoming_player_game_context, already paged as odds_player_props."
    )


def test_a_gate_failing_on_its_own_still_pages() -> None:
    paged = {"upcoming_player_game_context": "upcoming_player_game_context"}
    assert gate_consequence(("upcoming_player_game_context", "player_game_summary"), paged=paged) is None
    assert gate_consequence(("player_game_summary",), paged={}) is None
    assert gate_consequence((), paged=paged) is None
