"""Prediction systems' roles in the warehouse: read (seeded from `[systems]`), changed by promotion,
rollback and operators, each change stored in `nba_predictions.system_decisions` with its evidence.

The graded records read here come from days before the date reviewed, so a review of a date sees
the same evidence however often it runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from nbaprops.errors import ProcessorError
from nbaprops.metrics.paired_brier import PairedDay
from nbaprops.predictions.system_review import HitRecord
from nbaprops.predictions.systems_config import ROLES, Role, SystemsConfig
from nbaprops.processors.graded_days import graded_days
from nbaprops.warehouse import DatedReads, Warehouse

SYSTEM_ROLES = "nba_predictions.system_roles"
SYSTEM_DECISIONS = "nba_predictions.system_decisions"

# Active predictions graded with an outcome on a line, of days in [start, end). Every read below is per
# graded day, so a review keeps earlier days' results (`graded_days`) and reads only the new day.
_GRADED_CTE = """
    WITH graded AS (
        SELECT a.game_date, a.player_lookup, p.system_id, p.p_over, p.p_fair_over, p.pick, p.pick_line,
               p.pick_price, a.actual_value, CAST(a.actual_value > a.line_value AS DOUBLE) AS y
        FROM nba_predictions.prediction_accuracy a
        JOIN nba_predictions.player_prop_predictions p USING (prediction_id)
        WHERE a.market = $market AND a.game_date >= $start AND a.game_date < $end
          -- A graded prediction's own market and date: the filters again, so the predictions' index or
          -- zone maps prune too.
          AND p.market = $market AND p.game_date >= $start AND p.game_date < $end
          AND p.is_active AND NOT a.is_void AND NOT a.is_push AND a.line_value IS NOT NULL
          AND a.actual_value IS NOT NULL AND p.p_over IS NOT NULL
    )
"""
# Per system and day: its squared errors and the champion's on the rows both predicted.
_VERSUS_CHAMPION_SQL = _GRADED_CTE + """
    SELECT s.system_id, s.game_date, count(*) AS n, sum((s.p_over - s.y) ** 2) AS first_sum,
           sum((c.p_over - c.y) ** 2) AS second_sum
    FROM graded s JOIN graded c
      ON c.game_date = s.game_date AND c.player_lookup = s.player_lookup AND c.system_id = $champion
    WHERE s.system_id <> $champion
    GROUP BY s.system_id, s.game_date ORDER BY s.system_id, s.game_date
"""
_VERSUS_MARKET_SQL = _GRADED_CTE + """
    SELECT game_date, count(*) AS n, sum((p_over - y) ** 2) AS first_sum, sum((p_fair_over - y) ** 2) AS second_sum
    FROM graded WHERE system_id = $champion AND p_fair_over IS NOT NULL
    GROUP BY game_date ORDER BY game_date
"""
# Per day, the champion's placed picks: won, lost (pushes at the pick's line are left out), and the sum of
# the implied probabilities of their prices (their mean is the hit rate that breaks even).
_HITS_SQL = _GRADED_CTE + """
    SELECT game_date,
           count(*) FILTER (WHERE (pick = 'OVER' AND actual_value > pick_line)
                               OR (pick = 'UNDER' AND actual_value < pick_line)) AS wins,
           count(*) AS picks,
           sum(CASE WHEN pick_price < 0 THEN -pick_price / (100.0 - pick_price) ELSE 100.0 / (pick_price + 100.0) END)
               AS break_even_sum
    FROM graded WHERE system_id = $champion AND pick IN ('OVER', 'UNDER') AND pick_line IS NOT NULL
      AND pick_price IS NOT NULL AND actual_value <> pick_line
    GROUP BY game_date ORDER BY game_date
"""
_INSERT_DECISION = f"""
    INSERT OR IGNORE INTO {SYSTEM_DECISIONS} (decision_id, game_date, market, system_id, champion_id, action,
        from_role, to_role, actor, reason, evidence, decided_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


@dataclass(frozen=True)
class SystemRole:
    """One system's current role in one market."""

    market: str
    system_id: str
    role: Role
    since: datetime
    since_game_date: date | None
    picks_disabled: str | None = None


@dataclass(frozen=True)
class SystemDecision:
    """A change of role (or a decay alert) with its evidence; `actor` is auto or manual."""

    game_date: date
    market: str
    system_id: str
    champion_id: str | None
    action: str
    from_role: str | None
    to_role: str | None
    actor: str
    reason: str
    decided_at: datetime
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def decision_id(self) -> str:
        key = f"{self.game_date.isoformat()}|{self.market}|{self.system_id}|{self.action}|{self.actor}"
        if self.actor == "manual":
            key += f"|{self.decided_at.isoformat()}"
        return hashlib.sha1(key.encode()).hexdigest()[:24]

    def to_json(self) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "game_date": self.game_date.isoformat(), "market": self.market,
                "system_id": self.system_id, "champion_id": self.champion_id, "action": self.action,
                "from_role": self.from_role, "to_role": self.to_role, "actor": self.actor, "reason": self.reason,
                "decided_at": self.decided_at.isoformat(), "evidence": dict(self.evidence)}


def market_roles(
    warehouse: Warehouse, market: str, system_ids: Iterable[str], config: SystemsConfig, *, now: datetime
) -> dict[str, SystemRole]:
    """The roles of the market's systems: those stored, and `system_ids`, of which one the warehouse
    does not know yet starts in its `[systems]` role (a champion only when the market has none yet)."""
    known = _read(warehouse, market)
    initial = config.initial_roles(market, list(system_ids))
    has_champion = any(state.role == "champion" for state in known.values())
    for system_id, role in initial.items():
        if system_id in known:
            continue
        if role == "champion" and has_champion or role == "canary" and any(
                state.role == "canary" for state in known.values()):
            role = "shadow"
        warehouse.execute(
            f"INSERT OR IGNORE INTO {SYSTEM_ROLES} (market, system_id, role, since) VALUES (?, ?, ?, ?)",
            [market, system_id, role, _naive(now)])
        known[system_id] = SystemRole(market, system_id, role, _naive(now), None)
        has_champion = has_champion or role == "champion"
    return dict(sorted(known.items()))


def all_roles(warehouse: Warehouse) -> list[SystemRole]:
    """Every stored role, by market and system."""
    rows = warehouse.query(f"SELECT * FROM {SYSTEM_ROLES} ORDER BY market, system_id")
    return [_role(row) for row in rows]


def _read(warehouse: Warehouse, market: str) -> dict[str, SystemRole]:
    rows = warehouse.query(f"SELECT * FROM {SYSTEM_ROLES} WHERE market = ?", [market])
    return {row["system_id"]: _role(row) for row in rows}


def _role(row: Mapping[str, Any]) -> SystemRole:
    return SystemRole(row["market"], row["system_id"], row["role"], row["since"], row["since_game_date"],
                      row["picks_disabled"])


def roles_as_of(roles: Mapping[str, SystemRole], later: Iterable[Mapping[str, Any]]) -> dict[str, SystemRole]:
    """The roles before the `later` decisions (stored rows, oldest first): each undone, newest first. A
    promotion gives the champion it replaced its role back; a decay's stopped picks resume."""
    before = dict(roles)
    for row in reversed(list(later)):
        system_id, action = row["system_id"], row["action"]
        if system_id not in before:
            continue
        if action == "decay":
            before[system_id] = replace(before[system_id], picks_disabled=None)
            continue
        if action == "promote" and row["champion_id"] not in (None, system_id) and row["champion_id"] in before:
            before[row["champion_id"]] = replace(before[row["champion_id"]], role="champion")
        if row["from_role"] in ROLES:
            before[system_id] = replace(before[system_id], role=row["from_role"])
    return before


def decisions_after(warehouse: Warehouse, market: str, game_date: date) -> list[dict[str, Any]]:
    """The market's decisions dated after `game_date`, oldest first."""
    return warehouse.query(f"SELECT * FROM {SYSTEM_DECISIONS} WHERE market = ? AND game_date > ? "
                           "ORDER BY decided_at, decision_id", [market, game_date])


def champion_of(roles: Mapping[str, SystemRole]) -> str | None:
    return next((s for s, state in roles.items() if state.role == "champion"), None)


def set_role(warehouse: Warehouse, market: str, system_id: str, role: Role, *, now: datetime,
             game_date: date | None) -> None:
    """Give `system_id` `role` in `market` from now on (a new role picks again: nothing disabled)."""
    if role not in ROLES:
        raise ProcessorError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    warehouse.execute(f"DELETE FROM {SYSTEM_ROLES} WHERE market = ? AND system_id = ?", [market, system_id])
    warehouse.execute(
        f"INSERT INTO {SYSTEM_ROLES} (market, system_id, role, since, since_game_date, picks_disabled) "
        "VALUES (?, ?, ?, ?, ?, NULL)", [market, system_id, role, _naive(now), game_date])


def disable_picks(warehouse: Warehouse, market: str, system_id: str, reason: str | None) -> None:
    """Stop (a reason) or resume (None) the picks of `system_id` in `market`."""
    warehouse.execute(f"UPDATE {SYSTEM_ROLES} SET picks_disabled = ? WHERE market = ? AND system_id = ?",
                      [reason, market, system_id])


def record_decision(warehouse: Warehouse, decision: SystemDecision) -> bool:
    """Store the decision once (by its id); True when it is new."""
    before = int(warehouse.scalar(f"SELECT count(*) FROM {SYSTEM_DECISIONS} WHERE decision_id = ?",
                                  [decision.decision_id]) or 0)
    warehouse.execute(_INSERT_DECISION, [
        decision.decision_id, decision.game_date, decision.market, decision.system_id, decision.champion_id,
        decision.action, decision.from_role, decision.to_role, decision.actor, decision.reason,
        json.dumps(dict(decision.evidence), sort_keys=True, default=str), _naive(decision.decided_at)])
    return before == 0


def read_decisions(warehouse: Warehouse, *, market: str | None = None, unalerted: bool = False) -> list[dict[str, Any]]:
    """Stored decisions in order (of `market`; only those not yet alerted)."""
    return warehouse.query(
        f"SELECT * FROM {SYSTEM_DECISIONS} WHERE (? IS NULL OR market = ?) AND (NOT ? OR alerted_at IS NULL) "
        "ORDER BY decided_at, decision_id", [market, market, unalerted])


def mark_alerted(warehouse: Warehouse, decision_id: str, *, at: datetime) -> None:
    warehouse.execute(f"UPDATE {SYSTEM_DECISIONS} SET alerted_at = ? WHERE decision_id = ?", [_naive(at), decision_id])


def versus_champion(
    warehouse: Warehouse, *, market: str, champion: str, game_date: date, window_days: int,
    reads: DatedReads | None = None,
) -> dict[str, list[PairedDay]]:
    """Per other system: its graded days on the champion's rows (first: the system, second: the champion)."""
    rows = graded_days(warehouse, reads, _VERSUS_CHAMPION_SQL, {"market": market, "champion": champion},
                       game_date=game_date, window_days=window_days)
    days: dict[str, list[PairedDay]] = {}
    for row in rows:
        days.setdefault(row["system_id"], []).append(
            PairedDay(row["game_date"], int(row["n"]), float(row["first_sum"]), float(row["second_sum"])))
    return days


def versus_market(
    warehouse: Warehouse, *, market: str, champion: str, game_date: date, window_days: int,
    reads: DatedReads | None = None,
) -> list[PairedDay]:
    """The champion's graded days against the vig-free market's on the same rows."""
    rows = graded_days(warehouse, reads, _VERSUS_MARKET_SQL, {"market": market, "champion": champion},
                       game_date=game_date, window_days=window_days)
    return [PairedDay(r["game_date"], int(r["n"]), float(r["first_sum"]), float(r["second_sum"])) for r in rows]


def pick_hits(
    warehouse: Warehouse, *, market: str, champion: str, game_date: date, window_days: int,
    reads: DatedReads | None = None,
) -> HitRecord:
    """The champion's graded placed picks in the window."""
    days = graded_days(warehouse, reads, _HITS_SQL, {"market": market, "champion": champion},
                       game_date=game_date, window_days=window_days)
    picks = sum(int(day["picks"]) for day in days)
    break_even = sum(float(day["break_even_sum"]) for day in days) / picks if picks else None
    return HitRecord(sum(int(day["wins"]) for day in days), picks, break_even)


def _naive(instant: datetime) -> datetime:
    return instant.replace(tzinfo=None)
