"""The daily review of a market's prediction systems, before its predictions: promotion and rollback
of canaries and shadows against the champion, and the champion's decay against the market.

Decisions use graded days before the date only, and each is stored once by (date, market, system,
action): a re-run of the day reviews to the same roles. A day run again after later days were
reviewed (a rerun of a backfill, a remediation) decides nothing: it gets the roles of its date, the
stored roles with the later decisions undone. Operators' promotions and rollbacks go
through `promote` and `rollback` here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from nbaprops.errors import ProcessorError
from nbaprops.metrics.paired_brier import paired_brier
from nbaprops.predictions.system_review import Action, decay_verdict, review_verdict
from nbaprops.predictions.systems_config import SystemsConfig
from nbaprops.processors.system_roles import (
    SYSTEM_DECISIONS,
    SystemDecision,
    SystemRole,
    champion_of,
    decisions_after,
    disable_picks,
    market_roles,
    pick_hits,
    record_decision,
    roles_as_of,
    set_role,
    versus_champion,
    versus_market,
)
from nbaprops.warehouse import DatedReads, Warehouse


@dataclass(frozen=True)
class MarketReview:
    """The roles a market's predictions of the day use, and the decisions the review took."""

    roles: dict[str, SystemRole]
    decisions: tuple[SystemDecision, ...]

    @property
    def champion(self) -> str | None:
        return champion_of(self.roles)

    @property
    def canary(self) -> str | None:
        return next((s for s, state in self.roles.items() if state.role == "canary"), None)


def review_market(
    warehouse: Warehouse, config: SystemsConfig, *, market: str, system_ids: Sequence[str], game_date: date,
    now: datetime, reads: DatedReads | None = None,
) -> MarketReview:
    """Review `market` for `game_date`: at most one promotion (the best-evidenced), every rollback
    due, then the champion's decay; returns the roles after them. `reads` keeps the graded days read
    for the next day's review."""
    roles = market_roles(warehouse, market, system_ids, config, now=now)
    later = decisions_after(warehouse, market, game_date)
    if later:
        return MarketReview(roles_as_of(roles, later), ())
    decisions: list[SystemDecision] = []
    if config.auto_review and not _reviewed(warehouse, market, game_date):
        decisions.extend(_promote_or_roll_back(warehouse, config, roles, market=market, game_date=game_date, now=now,
                                               reads=reads))
        roles = market_roles(warehouse, market, system_ids, config, now=now)
    decay = _decay(warehouse, config, roles, market=market, game_date=game_date, now=now, reads=reads)
    if decay is not None:
        decisions.append(decay)
        roles = market_roles(warehouse, market, system_ids, config, now=now)
    return MarketReview(roles, tuple(decisions))


def _reviewed(warehouse: Warehouse, market: str, game_date: date) -> bool:
    return bool(warehouse.scalar(
        f"SELECT count(*) FROM {SYSTEM_DECISIONS} WHERE market = ? AND game_date = ? AND actor = 'auto' "
        "AND action IN ('promote', 'rollback')", [market, game_date]))


def _promote_or_roll_back(
    warehouse: Warehouse, config: SystemsConfig, roles: dict[str, SystemRole], *, market: str, game_date: date,
    now: datetime, reads: DatedReads | None,
) -> list[SystemDecision]:
    champion = champion_of(roles)
    if champion is None:
        return []
    records = versus_champion(warehouse, market=market, champion=champion, game_date=game_date,
                              window_days=config.review_window_days, reads=reads)
    promotions = []
    decisions = []
    for system_id, state in sorted(roles.items()):
        record = paired_brier(records.get(system_id, []), confidence=config.confidence)
        verdict = review_verdict(state.role, record, min_rows=config.min_graded_rows,
                                 min_days=config.min_graded_days)
        if verdict.action is Action.PROMOTE:
            promotions.append((record.mean_difference or 0.0, system_id, verdict.reason, record.to_json()))
        elif verdict.action is Action.ROLLBACK:
            decision = SystemDecision(game_date, market, system_id, champion, "rollback", state.role, "shadow",
                                      "auto", verdict.reason, now, record.to_json())
            set_role(warehouse, market, system_id, "shadow", now=now, game_date=game_date)
            record_decision(warehouse, decision)
            decisions.append(decision)
    if promotions:
        _, system_id, reason, evidence = min(promotions)
        decision = SystemDecision(game_date, market, system_id, champion, "promote", roles[system_id].role,
                                  "champion", "auto", reason, now, evidence)
        _make_champion(warehouse, market, system_id, champion, now=now, game_date=game_date)
        record_decision(warehouse, decision)
        decisions.append(decision)
    return decisions


def _make_champion(warehouse: Warehouse, market: str, system_id: str, champion: str | None, *, now: datetime,
                   game_date: date | None) -> None:
    if champion is not None and champion != system_id:
        set_role(warehouse, market, champion, "shadow", now=now, game_date=game_date)
    set_role(warehouse, market, system_id, "champion", now=now, game_date=game_date)


def _decay(
    warehouse: Warehouse, config: SystemsConfig, roles: dict[str, SystemRole], *, market: str, game_date: date,
    now: datetime, reads: DatedReads | None,
) -> SystemDecision | None:
    """A decay decision, once in a champion's tenure (and its picks stopped with `auto_disable`)."""
    champion = champion_of(roles)
    if champion is None or roles[champion].picks_disabled is not None:
        return None
    tenure = roles[champion].since_game_date
    # A new tenure (a promotion, an operator bringing the champion back) starts a fresh record.
    window_days = config.decay_window_days if tenure is None else min(config.decay_window_days,
                                                                      (game_date - tenure).days)
    record = paired_brier(versus_market(warehouse, market=market, champion=champion, game_date=game_date,
                                        window_days=window_days, reads=reads), confidence=config.confidence)
    hits = pick_hits(warehouse, market=market, champion=champion, game_date=game_date, window_days=window_days,
                     reads=reads)
    verdict = decay_verdict(record, hits, confidence=config.confidence, min_rows=config.decay_min_rows,
                            min_days=config.min_graded_days)
    if not verdict.decayed:
        return None
    flagged = warehouse.scalar(
        f"SELECT count(*) FROM {SYSTEM_DECISIONS} WHERE market = ? AND system_id = ? AND action = 'decay' "
        "AND (? IS NULL OR game_date >= ?) AND game_date <= ?", [market, champion, tenure, tenure, game_date])
    if flagged:  # once a tenure: an operator who brings the champion back is not overruled the next day
        return None
    reason = f"decay over {config.decay_window_days} days: {verdict.describe()}"
    decision = SystemDecision(game_date, market, champion, None, "decay", "champion", "champion", "auto", reason,
                              now, {"versus_market": record.to_json(), "hits": hits.to_json(),
                                    "auto_disable": config.auto_disable})
    if not record_decision(warehouse, decision):
        return None
    if config.auto_disable:
        disable_picks(warehouse, market, champion, reason)
    return decision


def promote(
    warehouse: Warehouse, config: SystemsConfig, *, market: str, system_id: str, system_ids: Sequence[str],
    game_date: date, now: datetime, reason: str,
) -> SystemDecision:
    """An operator makes `system_id` the champion of `market` (the champion it replaces turns shadow);
    promoting the champion itself lets it pick again after a decay stopped it."""
    roles = market_roles(warehouse, market, system_ids, config, now=now)
    if system_id not in roles:
        raise ProcessorError(f"Unknown system {system_id!r} in {market}; use one of {', '.join(sorted(roles))}.")
    champion = champion_of(roles)
    _make_champion(warehouse, market, system_id, champion, now=now, game_date=game_date)
    decision = SystemDecision(game_date, market, system_id, champion, "promote", roles[system_id].role, "champion",
                              "manual", reason, now)
    record_decision(warehouse, decision)
    return decision


def rollback(
    warehouse: Warehouse, config: SystemsConfig, *, market: str, system_id: str, system_ids: Sequence[str],
    game_date: date, now: datetime, reason: str,
) -> SystemDecision:
    """An operator sends a canary (or shadow) of `market` back to shadow; a champion is replaced by
    promoting another system instead."""
    roles = market_roles(warehouse, market, system_ids, config, now=now)
    if system_id not in roles:
        raise ProcessorError(f"Unknown system {system_id!r} in {market}; use one of {', '.join(sorted(roles))}.")
    if roles[system_id].role == "champion":
        raise ProcessorError(f"{system_id} is the champion of {market}: promote another system to replace it "
                             f"(nbaprops systems promote SYSTEM --market {market}).")
    set_role(warehouse, market, system_id, "shadow", now=now, game_date=game_date)
    decision = SystemDecision(game_date, market, system_id, champion_of(roles), "rollback",
                              roles[system_id].role, "shadow", "manual", reason, now)
    record_decision(warehouse, decision)
    return decision
