"""Who makes each row's pick: the champion, the canary on its hashed share, never a shadow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from nbaprops.predictions.system_review import canary_owns
from nbaprops.processors.phase5_roles import assign_picks
from nbaprops.processors.system_roles import SystemRole
from nbaprops.processors.systems_review import MarketReview

SINCE = datetime(2025, 1, 1)
PLAYERS = [f"player{j}" for j in range(200)]


def review(roles: dict[str, str], disabled: str | None = None) -> MarketReview:
    return MarketReview({s: SystemRole("points", s, r, SINCE, None, disabled if r == "champion" else None)  # type: ignore[arg-type]
                         for s, r in roles.items()}, ())


def rows(*systems: str, pick: str = "OVER") -> list[dict[str, Any]]:
    return [{"system_id": s, "player_lookup": p, "market": "points", "game_id": "G1", "pick": pick, "stake": 0.01,
             "pass_reason": None} for s in systems for p in PLAYERS]


def assign(rows_: list[dict[str, Any]], review_: MarketReview, share: float = 0.10,
           cap: float = 10.0) -> list[dict[str, Any]]:
    return assign_picks(rows_, review_, versions={"ensemble": "v1", "gbm": "v2", "market": "v3"},
                        canary_share=share, max_market_day_stake=cap)


def test_the_canary_picks_its_hashed_share_and_the_champion_the_rest_each_row_once() -> None:
    result = assign(rows("ensemble", "gbm", "market"), review({"ensemble": "champion", "gbm": "canary",
                                                                "market": "shadow"}))
    owners = {}
    for row in result:
        if row["makes_pick"]:
            assert row["player_lookup"] not in owners
            owners[row["player_lookup"]] = row["system_id"]
    assert set(owners) == set(PLAYERS)
    assert {p for p, s in owners.items() if s == "gbm"} == {p for p in PLAYERS if canary_owns("G1", p, "points",
                                                                                                share=0.10)}
    assert 5 <= sum(s == "gbm" for s in owners.values()) <= 35
    for row in result:
        assert row["system_version"] == {"ensemble": "v1", "gbm": "v2", "market": "v3"}[row["system_id"]]
        assert (row["pick"] == "OVER") == row["makes_pick"]
        if row["system_id"] == "market":
            assert row["system_role"] == "shadow" and row["pass_reason"].startswith("shadow: market is a shadow")
        elif not row["makes_pick"]:
            assert row["pass_reason"] in ("canary: gbm makes this row's pick",
                                          "champion: ensemble makes this row's pick")


def test_a_re_run_routes_every_row_the_same_way() -> None:
    roles = review({"ensemble": "champion", "gbm": "canary"})
    first = assign(rows("ensemble", "gbm"), roles)
    assert first == assign(rows("ensemble", "gbm"), roles)


def test_a_row_the_canary_did_not_predict_is_the_champions() -> None:
    result = assign(rows("ensemble"), review({"ensemble": "champion", "gbm": "canary"}), share=1.0)
    assert all(row["makes_pick"] for row in result)


def test_a_disabled_champion_passes_with_the_reason_and_no_pick_is_left_without_no_line() -> None:
    result = assign(rows("ensemble") + rows("ensemble", pick="NO_LINE")[:3],
                    review({"ensemble": "champion"}, disabled="decay over 30 days: behind the market"))
    assert {row["pick"] for row in result} == {"PASS", "NO_LINE"}
    assert all(row["pass_reason"] == "disabled: decay over 30 days: behind the market"
               for row in result if row["pick"] == "PASS")
    assert all(row["stake"] == 0.0 for row in result if row["pick"] == "PASS")


def test_the_days_picks_of_champion_and_canary_share_one_stake_cap() -> None:
    result = assign(rows("ensemble", "gbm"), review({"ensemble": "champion", "gbm": "canary"}), cap=0.5)
    placed = [row["stake"] for row in result if row["makes_pick"]]
    assert sum(placed) == pytest.approx(0.5)
