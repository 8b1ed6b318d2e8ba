"""Phase 5: predictions from every system, with a recommendation against the offered line."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from nbaprops import __version__
from nbaprops.predictions.calibration import BlendFit, blend
from nbaprops.predictions.features import ACTUAL_COLUMN, FEATURE_COLUMNS, FeatureFrame
from nbaprops.predictions.odds import STANDARD_PRICE, remove_vig
from nbaprops.predictions.recommendation import (
    ChosenLine,
    OfferedLine,
    PropPrediction,
    choose_line,
    recommend,
)
from nbaprops.predictions.shopping import Board
from nbaprops.predictions.systems import MarketConfig, PredictionSystem, build_systems, predict_all
from nbaprops.predictions.systems.version import system_version
from nbaprops.processors.base import Processor, ProcessorContext, Rows
from nbaprops.processors.graded_days import graded_days
from nbaprops.processors.history import find_history_gap
from nbaprops.processors.phase5_history import HISTORY_DAYS, read_history
from nbaprops.processors.phase5_markets import predict_markets
from nbaprops.processors.phase5_picks import PicksStep, read_evidence
from nbaprops.processors.phase5_roles import assign_picks
from nbaprops.processors.systems_review import review_market
from nbaprops.seasons import season_start
from nbaprops.warehouse import DatedReads

PREDICTIONS = "nba_predictions.player_prop_predictions"
RECENT_ERROR_DAYS = 14

_FEATURES_SQL = "SELECT * FROM nba_precompute.ml_feature_store WHERE game_date = $game_date AND market = $market " \
                "ORDER BY player_lookup"
_LINES_SQL = """
    SELECT player_lookup, bookmaker, line, over_price, under_price, snapshot_utc
    FROM nba_raw.player_prop_lines WHERE game_date = $game_date AND market = $market
"""
_RECENT_MAE_SQL = """
    SELECT system_id, avg(absolute_error) AS mae FROM nba_predictions.prediction_accuracy
    WHERE market = $market AND game_date < $game_date AND game_date >= $game_date - INTERVAL 14 DAY
      AND NOT is_void AND absolute_error IS NOT NULL
    GROUP BY system_id
"""
# Sufficient statistics of the market blend per system and graded day (summed over the days before the date).
_BLEND_FIT_SQL = """
    SELECT a.game_date, p.system_id,
           sum((CAST(a.actual_value > a.line_value AS DOUBLE) - p.p_fair_over) * (p.p_over_model - p.p_fair_over))
               AS cross_sum,
           sum((p.p_over_model - p.p_fair_over) ** 2) AS spread_sum,
           count(*) AS n
    FROM nba_predictions.prediction_accuracy a
    JOIN nba_predictions.player_prop_predictions p USING (prediction_id)
    WHERE a.market = $market AND a.game_date >= $start AND a.game_date < $end
      AND p.market = $market AND p.game_date >= $start AND p.game_date < $end
      AND NOT a.is_void AND NOT a.is_push AND a.line_value IS NOT NULL
      AND p.p_fair_over IS NOT NULL AND p.p_over_model IS NOT NULL
    GROUP BY a.game_date, p.system_id ORDER BY a.game_date, p.system_id
"""
# A line counts once its game is known: by its game_id, or its teams on the date's schedule.
_LINED_SQL = """
    SELECT DISTINCT l.player_lookup, l.market FROM nba_raw.player_prop_lines l
    WHERE l.game_date = $game_date AND list_contains($markets, l.market)
      AND (l.game_id IS NOT NULL OR EXISTS (
          SELECT 1 FROM nba_raw.schedule s WHERE s.game_date = l.game_date
             AND s.home_team = l.home_team AND s.away_team = l.away_team))
    ORDER BY ALL
"""
_PLAYED_SQL = """
    SELECT player_lookup, count(DISTINCT game_date) AS games FROM nba_analytics.player_game_summary
    WHERE game_date BETWEEN $start AND $end AND played GROUP BY player_lookup
"""
# The newest prediction (by created_at, then run_id) of each (player, market, system) is the active one.
# A later run of the same work extends the run_id of the first (`...:rerun2`, `...:rerun10`), so run_ids
# compare by length first: the later attempt wins.
_SUPERSEDE_SQL = f"""
    UPDATE {PREDICTIONS} SET is_active = coalesce(prediction_id IN (
        SELECT arg_max(prediction_id, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%f')
                                      || lpad(CAST(length(run_id) AS VARCHAR), 6, '0') || run_id)
        FROM {PREDICTIONS} WHERE game_date = $game_date GROUP BY player_lookup, market, system_id
    ), false)
    WHERE game_date = $game_date
"""


_COUNT_COLUMNS = ("games_played", "prior_games")


def frame_from_arrow(table: pa.Table, *, with_actual: bool) -> FeatureFrame:
    """A FeatureFrame from an Arrow table of ml_feature_store rows (NaN for missing floats)."""
    frame: FeatureFrame = {}
    names = (*FEATURE_COLUMNS, ACTUAL_COLUMN) if with_actual else FEATURE_COLUMNS
    for name in names:
        column = table.column(name)
        if pa.types.is_floating(column.type) or pa.types.is_integer(column.type) and name not in _COUNT_COLUMNS:
            frame[name] = column.to_numpy(zero_copy_only=False).astype(float)
        elif name in _COUNT_COLUMNS:
            frame[name] = column.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        elif pa.types.is_boolean(column.type):
            frame[name] = column.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
        elif pa.types.is_date(column.type):
            frame[name] = column.to_numpy(zero_copy_only=False).astype("datetime64[D]")
        else:
            frame[name] = np.asarray(column.to_pylist(), dtype=object)
    return frame


def blend_fits(days: Sequence[Mapping[str, Any]]) -> dict[str, BlendFit]:
    """Each system's blend statistics summed over its graded days, in date order."""
    fits: dict[str, BlendFit] = {}
    for day in days:
        fit = fits.get(day["system_id"], BlendFit(cross=0.0, spread=0.0, rows=0))
        fits[day["system_id"]] = BlendFit(cross=fit.cross + (day["cross_sum"] or 0.0),
                                          spread=fit.spread + (day["spread_sum"] or 0.0), rows=fit.rows + int(day["n"]))
    return fits


def prediction_id(run_id: str, game_date: date, player_lookup: str, market: str, system_id: str) -> str:
    key = f"{run_id}|{game_date.isoformat()}|{player_lookup}|{market}|{system_id}"
    return hashlib.sha1(key.encode()).hexdigest()[:20]


class PlayerPropPredictionsProcessor(Processor):
    """Runs every system on today's feature rows of every market and recommends a side.

    Records: distinct (player, market) pairs with at least one system's prediction. Expected: lined
    (player, market) pairs whose player has played enough games this season for a prediction.
    Rows are written per (game_date, run_id); a newer run supersedes older predictions, which stay
    for audit with is_active false. Each market's systems are reviewed first (promotion, rollback,
    decay: `systems_review`), and only the champion's and the canary's rows make picks (`phase5_roles`).
    """

    name: ClassVar[str] = "player_prop_predictions"
    phase: ClassVar[str] = "phase5"
    output_table: ClassVar[str] = PREDICTIONS
    inputs: ClassVar[tuple[str, ...]] = (
        "nba_precompute.ml_feature_store", "nba_raw.player_prop_lines", "nba_analytics.player_game_summary",
        "nba_predictions.prediction_accuracy",
    )

    def __init__(self, systems: list[PredictionSystem] | None = None) -> None:
        self._systems = systems
        # Players of the day being built who have the systems' minimum of games this season
        # (None: the day's history is missing, so every player counts as one).
        self._veterans: set[str] | None = set()
        # Earlier dates' reads, kept between the days this processor predicts (re-read when they move).
        self._reads = DatedReads()

    def systems(self, ctx: ProcessorContext) -> list[PredictionSystem]:
        if self._systems is None:
            config = ctx.settings.predictions
            self._systems = build_systems(
                retrain_days=config.gbm_retrain_days, min_history_games=config.min_history_games,
                market=MarketConfig(l2=config.market_adjustment_l2,
                                    min_adjustment_rows=config.market_adjustment_min_rows),
                variants=ctx.settings.systems.variants,
            )
        return self._systems

    def min_games(self, ctx: ProcessorContext) -> int:
        """Games this season a lined player needs to be expected: none when a system predicts players
        without games of their own (the market-anchored one), else the systems' minimum."""
        if any(not system.needs_history for system in self.systems(ctx)):
            return 0
        return ctx.settings.predictions.min_history_games

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        """Lined player-markets whose player has played enough games this season to be predicted:
        the record of past games (the source's, else the game summaries) decides, not the features,
        so missing history shows as missing predictions instead of as nothing expected."""
        min_games = self.min_games(ctx)
        lined = _lined(ctx, game_date)
        if min_games == 0:
            return len(lined)
        games = _games_played(ctx, game_date)
        return sum(1 for player, _ in lined if games.get(player, 0) >= min_games)

    def shortfall(
        self, ctx: ProcessorContext, game_date: date, *, records: int, expected: int | None
    ) -> str | None:
        if expected is None or records >= max(expected, 1):
            return None
        lined = len(_lined(ctx, game_date))
        min_games = self.min_games(ctx)
        if expected == 0:
            if lined == 0:
                return None
            return (f"0 of {lined} lined player-markets predicted: no lined player has played "
                    f"{min_games} games this season before {game_date}, the systems' minimum.")
        predicted = f"{records} of {expected} lined player-markets predicted"
        if lined > expected:
            predicted += f" ({lined - expected} more lined ones lack {min_games} games this season)"
        gap = find_history_gap(ctx.warehouse, ctx.source, game_date)
        if gap.missing:
            return f"{predicted}: {gap.describe()}."
        featured = int(ctx.warehouse.scalar(
            "SELECT count(*) FROM nba_precompute.ml_feature_store WHERE game_date = $game_date "
            "AND list_contains($markets, market) AND games_played >= $min_games",
            {"game_date": game_date, "markets": list(ctx.markets), "min_games": min_games},
        ) or 0)
        if featured < expected:
            return (f"{predicted}: only {featured} have feature rows with {min_games} games of "
                    f"history; check nba_precompute.ml_feature_store for {game_date}.")
        return f"{predicted}: the prediction systems gave no prediction for the rest."

    def count_records(self, rows: Rows) -> int:
        """Distinct (player, market) pairs predicted. A player with the systems' minimum of games
        counts only with a prediction from a system that reads his history, so a missing history
        still shows as missing records when the market-anchored system predicts him anyway."""
        assert isinstance(rows, list)
        history_systems = {s.system_id for s in self._systems or [] if s.needs_history}
        return len({(row["player_lookup"], row["market"]) for row in rows
                    if row["system_id"] in history_systems
                    or (self._veterans is not None and row["player_lookup"] not in self._veterans)})

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        min_games = ctx.settings.predictions.min_history_games
        if find_history_gap(ctx.warehouse, ctx.source, game_date).missing:
            # Without its history the day cannot tell who has games (the summaries may be what is
            # missing): every player then needs a system that reads the history.
            self._veterans = None
        else:
            self._veterans = {player for player, games in _games_played(ctx, game_date).items()
                              if games >= min_games}
        self.systems(ctx)  # built once, before any thread uses them
        rows: list[dict[str, Any]] = []
        for market_rows in predict_markets(ctx, ctx.settings.predictions.parallel_markets,
                                           lambda market_ctx, market: self._predict_market(market_ctx, game_date,
                                                                                           market)):
            rows.extend(market_rows)
        return rows

    def _predict_market(self, ctx: ProcessorContext, game_date: date, market: str) -> list[dict[str, Any]]:
        params = {"game_date": game_date, "market": market}
        today_table = ctx.warehouse.arrow(_FEATURES_SQL, params)
        if today_table.num_rows == 0:
            return []
        systems = self.systems(ctx)
        review = review_market(ctx.warehouse, ctx.settings.systems, market=market,
                               system_ids=[system.system_id for system in systems], game_date=game_date,
                               now=ctx.clock.now(), reads=self._reads)
        today = frame_from_arrow(today_table, with_actual=False)
        history = frame_from_arrow(read_history(ctx.warehouse, self._reads, market=market, game_date=game_date),
                                   with_actual=True)
        recent_mae = {r["system_id"]: r["mae"] for r in ctx.warehouse.query(_RECENT_MAE_SQL, params)}
        outputs = predict_all(systems, today, history, market=market, recent_mae=recent_mae)
        lines = _lines_by_player(ctx.warehouse.query(_LINES_SQL, params))
        preference = ctx.settings.predictions.bookmaker_preference
        chosen_by_player = {
            player: choose_line(offers, bookmaker_preference=preference) for player, offers in lines.items()
        }
        config = ctx.settings.predictions
        edge_threshold = config.edge_threshold
        fits = blend_fits(graded_days(ctx.warehouse, self._reads, _BLEND_FIT_SQL, {"market": market},
                                      game_date=game_date, window_days=config.calibration_days))
        boards = {player: Board.of(offers) for player, offers in lines.items()}
        picking = PicksStep(ctx.settings.picks, preference, read_evidence(
            ctx.warehouse, market=market, game_date=game_date, config=ctx.settings.picks, reads=self._reads))
        created_at = ctx.clock.now().replace(tzinfo=None)
        rows = []
        unblended = {system.system_id for system in self.systems(ctx) if not system.blends_with_market}
        for system_id, output in outputs.items():
            valid_rows = np.flatnonzero(output.valid)
            if valid_rows.size == 0:
                continue
            players = today["player_lookup"][valid_rows]
            chosen = [chosen_by_player.get(player) for player in players]
            line_values = np.array([np.nan if c is None else c.line_value for c in chosen])
            distributions = output.distributions()
            safe_lines = np.where(np.isnan(line_values), 0.5, line_values)
            p_over_model = distributions.p_over(safe_lines)
            weight = 1.0 if system_id in unblended else fits.get(system_id, BlendFit(0.0, 0.0, 0)).weight(
                min_rows=config.calibration_min_rows, prior_weight=config.calibration_prior_weight)
            p_over, p_under = blend(p_over_model, distributions.p_under(safe_lines),
                                    np.array([_fair_over(c) for c in chosen]), weight=weight)
            picks = picking.picks(system_id=system_id, distributions=distributions, weight=weight,
                                  boards=[boards.get(str(player)) for player in players], chosen=chosen,
                                  p_over=p_over, p_under=p_under)
            for j, row_index in enumerate(valid_rows):
                player = str(players[j])
                has_line = chosen[j] is not None
                verdict = recommend(
                    p_over=float(p_over[j]), p_under=float(p_under[j]), chosen=chosen[j],
                    edge_threshold=edge_threshold,
                )
                rows.append({**PropPrediction.assemble(
                    prediction_id=prediction_id(ctx.run_id, game_date, player, market, system_id),
                    game_date=game_date, game_id=str(today["game_id"][row_index]), player_lookup=player,
                    market=market, system_id=system_id,
                    predicted_value=float(output.predicted_value[row_index]),
                    predicted_std=float(output.predicted_std[row_index]),
                    distribution=str(output.family[row_index]),
                    p_over=float(p_over[j]) if has_line else None,
                    p_over_model=float(p_over_model[j]) if has_line else None,
                    confidence=float(output.confidence[row_index]),
                    chosen=chosen[j], verdict=verdict, run_id=ctx.run_id, created_at=created_at,
                ).as_row(), **picks[j].as_row()})
        versions = {system.system_id: system_version(system, code_version=__version__, training_days=HISTORY_DAYS)
                    for system in systems}
        return assign_picks(rows, review, versions=versions, canary_share=ctx.settings.systems.canary_share,
                            max_market_day_stake=ctx.settings.picks.max_market_day_stake)

    def write(self, ctx: ProcessorContext, game_date: date, rows: Rows) -> int:
        written = ctx.warehouse.replace_partition(
            PREDICTIONS, {"game_date": game_date, "run_id": ctx.run_id}, rows, in_transaction=True
        )
        ctx.warehouse.execute(_SUPERSEDE_SQL, {"game_date": game_date})
        return written


def _lined(ctx: ProcessorContext, game_date: date) -> list[tuple[str, str]]:
    """(player, market) pairs with a stored line in the configured markets on a game of the date."""
    rows = ctx.warehouse.query(_LINED_SQL, {"game_date": game_date, "markets": list(ctx.markets)})
    return [(row["player_lookup"], row["market"]) for row in rows]


def _games_played(ctx: ProcessorContext, game_date: date) -> dict[str, int]:
    """Games each player played this season before `game_date`."""
    start, end = season_start(game_date), game_date - timedelta(days=1)
    recorded = ctx.source.games_played(start, end)
    if recorded is not None:
        return recorded
    rows = ctx.warehouse.query(_PLAYED_SQL, {"start": start, "end": end})
    return {row["player_lookup"]: int(row["games"]) for row in rows}


def _fair_over(chosen: ChosenLine | None) -> float:
    """The market's vig-free over probability (a missing price counts as -110; no line: 0.5)."""
    if chosen is None:
        return 0.5
    over = STANDARD_PRICE if chosen.over_price is None else chosen.over_price
    under = STANDARD_PRICE if chosen.under_price is None else chosen.under_price
    return remove_vig(over, under)[0]


def _lines_by_player(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[OfferedLine]]:
    grouped: dict[str, list[OfferedLine]] = defaultdict(list)
    for row in rows:
        grouped[row["player_lookup"]].append(OfferedLine(
            bookmaker=row["bookmaker"], line=row["line"], over_price=row["over_price"],
            under_price=row["under_price"], snapshot_utc=row["snapshot_utc"],
        ))
    return grouped
