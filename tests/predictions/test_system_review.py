"""The verdicts on systems' roles: promotion, rollback, decay, and the canary's share of the rows."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.metrics.paired_brier import PairedBrier
from nbaprops.predictions.system_review import Action, HitRecord, canary_owns, decay_verdict, review_verdict


def record(rows: int, days: int, lower: float | None, upper: float | None) -> PairedBrier:
    mean = None if lower is None or upper is None else (lower + upper) / 2
    return PairedBrier(days, rows, 0.24, 0.25, mean, lower, upper, 0.95)


BETTER, WORSE, UNCLEAR = (-0.02, -0.001), (0.001, 0.02), (-0.01, 0.01)

# role, rows, days, (lower, upper), action
CASES = [
    ("canary", 500, 20, BETTER, Action.PROMOTE),
    ("shadow", 500, 20, BETTER, Action.PROMOTE),
    ("canary", 500, 20, WORSE, Action.ROLLBACK),
    ("shadow", 500, 20, WORSE, Action.HOLD),  # already a shadow
    ("canary", 500, 20, UNCLEAR, Action.HOLD),
    ("canary", 299, 20, BETTER, Action.HOLD),  # too few rows
    ("canary", 500, 6, WORSE, Action.HOLD),  # too few days
    ("champion", 500, 20, WORSE, Action.HOLD),
    ("retired", 500, 20, BETTER, Action.HOLD),
]


@pytest.mark.parametrize(("role", "rows", "days", "bounds", "action"), CASES)
def test_review_verdict(role: str, rows: int, days: int, bounds: tuple[float, float], action: Action) -> None:
    verdict = review_verdict(role, record(rows, days, *bounds), min_rows=300, min_days=7)  # type: ignore[arg-type]
    assert verdict.action is action


def test_review_verdict_reasons_name_the_evidence_or_what_is_missing() -> None:
    promoted = review_verdict("canary", record(500, 20, *BETTER), min_rows=300, min_days=7)
    assert promoted.reason.startswith("beats the champion: Brier system 0.2400 vs champion 0.2500 over 500 rows")
    waiting = review_verdict("shadow", record(10, 3, *BETTER), min_rows=300, min_days=7)
    assert waiting.reason == "10 rows of 3 days graded with the champion, 300 rows of 7 days needed"


# vs market (lower, upper), rows, hits (wins, picks, break-even), decayed (over 20 days; 7 needed)
DECAY_CASES = [
    (WORSE, 200, HitRecord(60, 100, 0.5238), True),  # behind the market
    (BETTER, 200, HitRecord(40, 200, 0.5238), True),  # 20% hits, upper bound far below break-even
    (UNCLEAR, 200, HitRecord(104, 200, 0.5238), False),
    (WORSE, 50, HitRecord(40, 50, 0.5238), False),  # too few rows for either check
    (UNCLEAR, 200, HitRecord(80, 200, None), False),  # no prices taken
]


@pytest.mark.parametrize(("bounds", "rows", "hits", "decayed"), DECAY_CASES)
def test_decay_verdict(bounds: tuple[float, float], rows: int, hits: HitRecord, decayed: bool) -> None:
    verdict = decay_verdict(record(rows, 20, *bounds), hits, confidence=0.95, min_rows=100, min_days=7)
    assert verdict.decayed is decayed and bool(verdict.reasons) is decayed


def test_a_brier_lag_over_too_few_days_is_no_decay() -> None:
    verdict = decay_verdict(record(300, 2, *WORSE), HitRecord(0, 0, None), confidence=0.95, min_rows=100, min_days=7)
    assert not verdict.decayed


def test_decay_reasons_give_the_evidence() -> None:
    verdict = decay_verdict(record(300, 20, *WORSE), HitRecord(40, 200, 0.5238), confidence=0.95, min_rows=100,
                            min_days=7)
    assert verdict.reasons[0].startswith("behind the market: Brier champion 0.2400 vs market 0.2500 over 300 rows")
    assert verdict.reasons[1].startswith("hit rate 20.0% of 200 picks, 95% upper bound")
    assert verdict.reasons[1].endswith("below break-even 52.4% at the prices taken")


@given(st.text(max_size=12), st.text(max_size=12), st.sampled_from(["points", "pra"]),
       st.floats(min_value=0, max_value=1))
def test_canary_routing_is_deterministic_and_monotone_in_the_share(
    game: str, player: str, market: str, share: float
) -> None:
    owns = canary_owns(game, player, market, share=share)
    assert owns == canary_owns(game, player, market, share=share)
    if owns:
        assert canary_owns(game, player, market, share=min(1.0, share + 0.1))
    assert not canary_owns(game, player, market, share=0.0) and canary_owns(game, player, market, share=1.0)


def test_canary_takes_about_its_share_of_the_rows() -> None:
    rows = [(f"G{day}", f"player{j}", "points") for day in range(40) for j in range(50)]
    share = sum(canary_owns(*row, share=0.10) for row in rows) / len(rows)
    assert 0.085 < share < 0.115


def test_a_share_outside_zero_and_one_is_refused() -> None:
    with pytest.raises(ValueError, match="share 1.5 must lie between 0 and 1"):
        canary_owns("G", "p", "points", share=1.5)

