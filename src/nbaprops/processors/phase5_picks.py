"""Phase 5's picks: line shopping across the day's books, the evidence and value gates, the stake.

`PicksStep` is built once per (date, market) with the walk-forward evidence of every system (read
from graded days before the date, so no look-ahead), then prices one system's predictions at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from nbaprops.metrics.evidence import DayBrier, Evidence, brier_evidence
from nbaprops.predictions.calibration import blend
from nbaprops.predictions.distributions import DistributionBatch
from nbaprops.predictions.picking import Pick, PickRules, decide_pick
from nbaprops.predictions.picks_config import PicksConfig
from nbaprops.predictions.recommendation import ChosenLine
from nbaprops.predictions.shopping import Board, best_offer, lines_to_value, side_offers
from nbaprops.predictions.staking import limit_exposure
from nbaprops.processors.graded_days import graded_days
from nbaprops.warehouse import DatedReads, Warehouse

# Per system and earlier graded day: the rows and the sum of the paired Brier differences (the
# system's squared error minus the vig-free market's), on rows with both probabilities and an outcome.
_EVIDENCE_SQL = """
    SELECT p.system_id, a.game_date, count(*) AS n,
           sum((p.p_over - CAST(a.actual_value > a.line_value AS DOUBLE)) ** 2
               - (p.p_fair_over - CAST(a.actual_value > a.line_value AS DOUBLE)) ** 2) AS difference_sum
    FROM nba_predictions.prediction_accuracy a
    JOIN nba_predictions.player_prop_predictions p USING (prediction_id)
    WHERE a.market = $market AND a.game_date >= $start AND a.game_date < $end
      AND p.market = $market AND p.game_date >= $start AND p.game_date < $end
      AND NOT a.is_void AND NOT a.is_push AND a.line_value IS NOT NULL AND a.actual_value IS NOT NULL
      AND p.p_over IS NOT NULL AND p.p_fair_over IS NOT NULL
    GROUP BY p.system_id, a.game_date
    ORDER BY a.game_date, p.system_id
"""


def read_evidence(
    warehouse: Warehouse, *, market: str, game_date: date, config: PicksConfig, reads: DatedReads | None = None,
) -> dict[str, Evidence]:
    """Each system's Brier record against the market on graded days of `market` before `game_date`
    (`reads` keeps the days read for the next day's)."""
    days: dict[str, list[DayBrier]] = {}
    rows = graded_days(warehouse, reads, _EVIDENCE_SQL, {"market": market}, game_date=game_date,
                       window_days=config.evidence_window_days)
    for row in rows:
        days.setdefault(row["system_id"], []).append(
            DayBrier(row["game_date"], int(row["n"]), float(row["difference_sum"])))
    return {system_id: brier_evidence(record, confidence=config.evidence_confidence,
                                      min_days=config.evidence_min_days)
            for system_id, record in days.items()}


@dataclass(frozen=True)
class PicksStep:
    """What picking needs beyond one system's output: the rules, the books' lines, the evidence."""

    config: PicksConfig
    bookmaker_preference: Sequence[str]
    evidence: Mapping[str, Evidence]

    @property
    def rules(self) -> PickRules:
        return PickRules(self.config.min_expected_value, self.config.kelly_fraction, self.config.max_stake)

    def no_evidence(self) -> Evidence:
        return brier_evidence([], confidence=self.config.evidence_confidence, min_days=self.config.evidence_min_days)

    def picks(
        self,
        *,
        system_id: str,
        distributions: DistributionBatch,
        weight: float,
        boards: Sequence[Board | None],
        chosen: Sequence[ChosenLine | None],
        p_over: np.ndarray,
        p_under: np.ndarray,
    ) -> list[Pick]:
        """One pick per row: `boards[j]` are row j's books, `chosen[j]` its reference line and
        `p_over[j]`, `p_under[j]` the system's (market-blended) probabilities there. The rows are one
        market's of one day: their stakes together stay within `max_market_day_stake`."""
        evidence = self.evidence.get(system_id) or self.no_evidence()
        probabilities = self._probabilities(distributions, weight, boards, chosen, p_over, p_under)
        picks = []
        for j, line in enumerate(chosen):
            board = boards[j]
            best = None if line is None or board is None else best_offer(
                side_offers(board, probabilities[j]), preferred=self.bookmaker_preference)
            picks.append(decide_pick(best, has_line=line is not None, evidence=evidence, rules=self.rules))
        stakes = limit_exposure([pick.stake for pick in picks], cap=self.config.max_market_day_stake)
        return [replace(pick, stake=stake) for pick, stake in zip(picks, stakes, strict=True)]

    def _probabilities(
        self,
        distributions: DistributionBatch,
        weight: float,
        boards: Sequence[Board | None],
        chosen: Sequence[ChosenLine | None],
        p_over: np.ndarray,
        p_under: np.ndarray,
    ) -> list[dict[float, tuple[float, float]]]:
        """Per row: (p_over, p_under) at the reference line and, shopping, at every other line a
        book quotes both prices of, from the system's distribution blended with the market there."""
        result: list[dict[float, tuple[float, float]]] = []
        rows: list[int] = []
        lines: list[float] = []
        fair: list[float] = []
        for j, line in enumerate(chosen):
            result.append({} if line is None else {line.line_value: (float(p_over[j]), float(p_under[j]))})
            board = boards[j]
            if line is None or board is None or not self.config.shop_other_lines:
                continue
            for other in lines_to_value(board, reference_line=line.line_value, shop_other_lines=True):
                if other != line.line_value:
                    rows.append(j)
                    lines.append(other)
                    fair.append(board.fair_over[other])
        if rows:
            index = np.array(rows)
            batch = DistributionBatch(mean=distributions.mean[index], std=distributions.std[index],
                                      family=distributions.family[index])
            at = np.array(lines)
            over, under = blend(batch.p_over(at), batch.p_under(at), np.array(fair), weight=weight)
            for k, j in enumerate(rows):
                result[j][lines[k]] = (float(over[k]), float(under[k]))
        return result
