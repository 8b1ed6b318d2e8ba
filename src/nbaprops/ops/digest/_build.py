"""The daily digest of one game_date, read from the warehouse: yesterday's graded picks per system with
the rolling record, today's top picks by expected value, the health verdict, the open incidents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from nbaprops.metrics.pick_returns import PickReturns, PlacedPick, summarise_pick_returns
from nbaprops.ops.health import check_health
from nbaprops.predictions.recommendation import RecommendationKind
from nbaprops.state import DayPick, open_incidents, read_day_picks, table_exists
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings

_GRADED_DATE = """
    SELECT max(game_date) FROM nba_predictions.prediction_accuracy WHERE game_date < $game_date
"""
# Systems that picked in the window (a shadow's rows never pick: it stays out of the record).
_SYSTEMS = """
    SELECT DISTINCT a.system_id FROM nba_predictions.prediction_accuracy a
    JOIN nba_predictions.player_prop_predictions p USING (prediction_id)
    WHERE a.game_date BETWEEN $start AND $end AND coalesce(p.system_role, 'champion') IN ('champion', 'canary')
    ORDER BY a.system_id
"""
# The active predictions' picks (OVER/UNDER at a shopped price) graded in [start, end].
_GRADED_PICKS = """
    SELECT p.system_id, p.game_date, p.pick, p.pick_line, p.pick_price, p.pick_bookmaker, p.stake, p.line_value,
           p.over_price, p.under_price, a.actual_value, a.is_void
    FROM nba_predictions.player_prop_predictions p
    JOIN (SELECT prediction_id, any_value(actual_value) AS actual_value, bool_or(is_void) AS is_void
          FROM nba_predictions.prediction_accuracy WHERE game_date BETWEEN $start AND $end
          GROUP BY prediction_id) a USING (prediction_id)
    WHERE p.game_date BETWEEN $start AND $end AND p.is_active AND p.pick IN ('OVER', 'UNDER')
      AND p.pick_line IS NOT NULL AND p.pick_price IS NOT NULL
    ORDER BY p.system_id, p.game_date
"""


@dataclass(frozen=True)
class SystemRecord:
    """One system: its picks graded on `graded_date` (yesterday) and over the rolling window."""

    system_id: str
    yesterday: PickReturns
    record: PickReturns

    def to_json(self) -> dict[str, Any]:
        return {"system_id": self.system_id, "yesterday": _returns_json(self.yesterday),
                "record": _returns_json(self.record)}


@dataclass(frozen=True)
class Digest:
    """Everything the morning message says about `game_date`."""

    game_date: date
    graded_date: date | None
    record_start: date | None
    systems: tuple[SystemRecord, ...]
    picks_system_id: str
    bets_today: int
    top_picks: tuple[DayPick, ...]
    health_status: str
    health_headline: str
    incidents: tuple[dict[str, Any], ...]
    dashboard_url: str

    def to_json(self) -> dict[str, Any]:
        return {
            "game_date": self.game_date.isoformat(),
            "graded_date": None if self.graded_date is None else self.graded_date.isoformat(),
            "record_start": None if self.record_start is None else self.record_start.isoformat(),
            "systems": [system.to_json() for system in self.systems],
            "today": {"system_id": self.picks_system_id, "bets": self.bets_today,
                      "top_picks": [_pick_json(pick) for pick in self.top_picks]},
            "health": {"status": self.health_status, "headline": self.health_headline},
            "incidents": [_incident_json(row) for row in self.incidents],
            "dashboard_url": self.dashboard_url,
        }


def build_digest(warehouse: Warehouse, *, settings: Settings, game_date: date, now_utc: datetime) -> Digest:
    """The digest of `game_date` as things stand at `now_utc` (the health check's clock)."""
    config = settings.digest
    graded_date = _graded_date(warehouse, game_date)
    systems: tuple[SystemRecord, ...] = ()
    start: date | None = None
    if graded_date is not None:
        start = graded_date - timedelta(days=config.record_days - 1)
        systems = _system_records(warehouse, start=start, graded_date=graded_date)
    system_id = settings.picks.system_id
    today = read_day_picks(warehouse, game_date, system_id=system_id, include_pass=False)
    bets = sorted(today.bets, key=lambda pick: (-(pick.ev or 0.0), pick.market, pick.player))
    health = check_health(warehouse, game_date=game_date, now_utc=now_utc, settings=settings)
    return Digest(
        game_date=game_date,
        graded_date=graded_date,
        record_start=start,
        systems=systems,
        picks_system_id=system_id,
        bets_today=len(bets),
        top_picks=tuple(bets[: config.top_n]),
        health_status=health.status.value,
        health_headline=health.headline,
        incidents=tuple(open_incidents(warehouse)),
        dashboard_url=settings.dashboard.page_url("today", game_date),
    )


def _graded_date(warehouse: Warehouse, game_date: date) -> date | None:
    if not table_exists(warehouse, "nba_predictions.prediction_accuracy"):
        return None
    value = warehouse.scalar(_GRADED_DATE, {"game_date": game_date})
    return value if isinstance(value, date) else None


def _system_records(warehouse: Warehouse, *, start: date, graded_date: date) -> tuple[SystemRecord, ...]:
    params = {"start": start, "end": graded_date}
    placed: dict[str, list[PlacedPick]] = defaultdict(list)
    for row in warehouse.query(_GRADED_PICKS, params):
        side = RecommendationKind(row["pick"])
        placed[row["system_id"]].append(PlacedPick(
            game_date=row["game_date"], side=side, stake=row["stake"] or 0.0, line=row["pick_line"],
            price=row["pick_price"], bookmaker=row["pick_bookmaker"], reference_line=row["line_value"],
            reference_price=row["over_price"] if side is RecommendationKind.OVER else row["under_price"],
            actual=None if row["is_void"] else row["actual_value"]))
    systems = [row["system_id"] for row in warehouse.query(_SYSTEMS, params)]
    return tuple(
        SystemRecord(
            system_id,
            summarise_pick_returns([pick for pick in placed[system_id] if pick.game_date == graded_date]),
            summarise_pick_returns(placed[system_id]),
        )
        for system_id in systems
    )


def _returns_json(returns: PickReturns) -> dict[str, Any]:
    low, high = returns.hit_rate_interval
    return {"picks": returns.picks, "wins": returns.wins, "losses": returns.losses, "pushes": returns.pushes,
            "voids": returns.voids, "hit_rate": _round(returns.hit_rate), "hit_rate_low": round(low, 4),
            "hit_rate_high": round(high, 4), "units": round(returns.units_best_price, 4),
            "roi": _round(returns.roi_best_price)}


def _pick_json(pick: DayPick) -> dict[str, Any]:
    return {"player": pick.player, "team": pick.team, "market": pick.market, "side": pick.side, "line": pick.line,
            "bookmaker": pick.bookmaker, "price": pick.price, "p": _round(pick.p), "ev": _round(pick.ev),
            "stake": _round(pick.stake), "game_id": pick.game_id}


def _incident_json(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date | datetime) else value for key, value in row.items()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
