"""Phase 5's roles: who makes each row's pick. The champion makes it, or the canary on its hashed
share of the rows; every other prediction (a shadow's, a retired system's, the champion's on the
canary's rows) is graded like any other but its pick is a PASS that says why.

Each row gets the system's version, its role and `makes_pick`; the stakes of a market's picks of the
day, champion's and canary's together, stay within `max_market_day_stake`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nbaprops.predictions.staking import limit_exposure
from nbaprops.predictions.system_review import canary_owns
from nbaprops.processors.systems_review import MarketReview

_BETS = ("OVER", "UNDER")


def pick_owner(row: Mapping[str, Any], review: MarketReview, *, predicted_by: Mapping[str, set[str]],
               canary_share: float) -> str | None:
    """The system that makes the pick of the row's (game, player, market): the canary on its share
    of the rows it predicted, else the champion."""
    canary, champion = review.canary, review.champion
    player = row["player_lookup"]
    if canary is not None and player in predicted_by.get(canary, set()) and canary_owns(
            row["game_id"], player, row["market"], share=canary_share):
        return canary
    return champion


def _pass_reason(system_id: str, role: str, owner: str | None, market: str) -> str:
    if role == "shadow":
        return f"shadow: {system_id} is a shadow in {market}; it is graded but never picks"
    if role == "retired":
        return f"retired: {system_id} is retired in {market}"
    if owner is None:
        return f"no_champion: {market} has no champion"
    return f"{'canary' if role == 'champion' else 'champion'}: {owner} makes this row's pick"


def assign_picks(
    rows: list[dict[str, Any]], review: MarketReview, *, versions: Mapping[str, str], canary_share: float,
    max_market_day_stake: float,
) -> list[dict[str, Any]]:
    """The rows of one market and day with version, role and `makes_pick` filled, and only the
    owners' picks left standing (see the module docstring)."""
    predicted_by: dict[str, set[str]] = {}
    for row in rows:
        predicted_by.setdefault(row["system_id"], set()).add(row["player_lookup"])
    result = []
    for row in rows:
        system_id = row["system_id"]
        state = review.roles.get(system_id)
        role = "shadow" if state is None else state.role
        owner = pick_owner(row, review, predicted_by=predicted_by, canary_share=canary_share)
        makes_pick = owner == system_id
        row = {**row, "system_version": versions.get(system_id), "system_role": role, "makes_pick": makes_pick}
        if row["pick"] != "NO_LINE":
            if not makes_pick:
                row.update(pick="PASS", stake=0.0, pass_reason=_pass_reason(system_id, role, owner, row["market"]))
            elif state is not None and state.picks_disabled is not None and row["pick"] in _BETS:
                row.update(pick="PASS", stake=0.0, pass_reason=f"disabled: {state.picks_disabled}")
        result.append(row)
    placed = [j for j, row in enumerate(result) if row["makes_pick"] and row["pick"] in _BETS]
    stakes = limit_exposure([result[j]["stake"] for j in placed], cap=max_market_day_stake)
    for j, stake in zip(placed, stakes, strict=True):
        result[j]["stake"] = stake
    return result
