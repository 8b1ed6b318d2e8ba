from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nbaprops.predictions as predictions
from nbaprops.predictions import (
    ChosenLine,
    LineSource,
    OfferedLine,
    PropPrediction,
    Recommendation,
    RecommendationKind,
    choose_line,
    recommend,
)
from nbaprops.predictions.picking import NO_LINE_PICK, Pick
from nbaprops.warehouse import Warehouse

OVER, UNDER, PASS, NO_LINE = (
    RecommendationKind.OVER,
    RecommendationKind.UNDER,
    RecommendationKind.PASS,
    RecommendationKind.NO_LINE,
)
PREFERRED, CONSENSUS = LineSource.PREFERRED, LineSource.CONSENSUS
AT_18 = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)
AT_19 = datetime(2025, 1, 10, 19, 0, tzinfo=UTC)
PREFERENCE = ("draftkings", "fanduel")


def offer(book: str, line: float, over: int | None = -110, under: int | None = -110,
          at: datetime | None = AT_18) -> OfferedLine:
    return OfferedLine(book, line, over, under, at)


CHOOSE_CASES = {
    "no lines": ([], None),
    "first preferred book": (
        [offer("fanduel", 24.5, -115, -105), offer("draftkings", 25.5, -120, 100)],
        ChosenLine(25.5, "draftkings", -120, 100, PREFERRED, 2),
    ),
    "preferred book without both prices falls to the next": (
        [offer("draftkings", 25.5, -120, None), offer("fanduel", 24.5, -115, -105)],
        ChosenLine(24.5, "fanduel", -115, -105, PREFERRED, 2),
    ),
    "preference matched case-insensitively": (
        [offer("DraftKings", 25.5, -120, 100)],
        ChosenLine(25.5, "DraftKings", -120, 100, PREFERRED, 1),
    ),
    "consensus of two books at the median is synthesised": (
        [offer("betmgm", 25.5, -110, -110), offer("bovada", 25.5, -120, 100),
         offer("betrivers", 24.5, -110, -110)],
        ChosenLine(25.5, None, -115, -105, CONSENSUS, 3),
    ),
    "consensus of three books at the median": (
        [offer("betmgm", 3.5, -110, -110), offer("bovada", 3.5, -120, 100),
         offer("betrivers", 3.5, -140, 110)],
        ChosenLine(3.5, None, -121, -100, CONSENSUS, 3),
    ),
    "one book at the median keeps its own prices": (
        [offer("betmgm", 20.5, -115, -105), offer("bovada", 21.5, -125, 105),
         offer("betrivers", 22.5, -110, -110)],
        ChosenLine(21.5, "bovada", -125, 105, CONSENSUS, 3),
    ),
    "median between two lines goes to the lower": (
        [offer("betmgm", 2.5, 130, -160), offer("bovada", 3.5, 180, -230)],
        ChosenLine(2.5, "betmgm", 130, -160, CONSENSUS, 2),
    ),
    "median not offered: nearest line, ties to the lower": (
        [offer("a", 20.5), offer("b", 21.5, -120, 100), offer("c", 23.5), offer("d", 24.5)],
        ChosenLine(21.5, "b", -120, 100, CONSENSUS, 4),
    ),
    "median not offered, several books at the lower middle line": (
        [offer("a", 20.5), offer("b", 21.5, -110, -110), offer("c", 21.5, -120, 100),
         offer("d", 23.5), offer("e", 23.5), offer("f", 24.5)],
        ChosenLine(21.5, None, -115, -105, CONSENSUS, 6),
    ),
    "one-sided books are left out of the consensus but counted": (
        [offer("a", 10.5, -115, -105), offer("b", 30.5, -110, None), offer("c", 31.5, None, -110)],
        ChosenLine(10.5, "a", -115, -105, CONSENSUS, 3),
    ),
    "no two-sided book: the lone book's one price": (
        [offer("a", 10.5, -120, None)],
        ChosenLine(10.5, "a", -120, None, CONSENSUS, 1),
    ),
    "no two-sided book, several at the median: no prices": (
        [offer("a", 10.5, -120, None), offer("b", 10.5, None, -105)],
        ChosenLine(10.5, None, None, None, CONSENSUS, 2),
    ),
    "a repeated book counts once, its latest snapshot wins": (
        [offer("a", 21.5, -110, -110, AT_19), offer("a", 20.5, -130, 100, AT_18),
         offer("a", 19.5, -150, 120, None)],
        ChosenLine(21.5, "a", -110, -110, CONSENSUS, 1),
    ),
    "a repeated preferred book: the latest snapshot is used": (
        [offer("fanduel", 20.5, -130, 100, AT_18), offer("fanduel", 21.5, -110, -110, AT_19)],
        ChosenLine(21.5, "fanduel", -110, -110, PREFERRED, 1),
    ),
}


@pytest.mark.parametrize(("lines", "chosen"), CHOOSE_CASES.values(), ids=CHOOSE_CASES.keys())
def test_choose_line(lines: list[OfferedLine], chosen: ChosenLine | None) -> None:
    assert choose_line(lines, bookmaker_preference=PREFERENCE) == chosen


def test_choose_line_without_preferences_is_consensus() -> None:
    lines = [offer("draftkings", 25.5, -120, 100)]
    assert choose_line(lines, bookmaker_preference=[]) == ChosenLine(
        25.5, "draftkings", -120, 100, CONSENSUS, 1
    )


def test_an_offered_line_with_a_bad_price_names_the_book() -> None:
    message = "Bookmaker fanduel line 2.5 over price: American price 50 is invalid"
    with pytest.raises(ValueError, match=message):
        offer("fanduel", 2.5, 50, -110)


def test_an_offered_line_that_is_not_a_number_names_the_book() -> None:
    with pytest.raises(ValueError, match="Bookmaker fanduel offers a line that is not a number"):
        offer("fanduel", float("nan"))


def _line(over: int | None = -110, under: int | None = -110, value: float = 20.5) -> ChosenLine:
    return ChosenLine(value, "draftkings", over, under, PREFERRED, 1)


RECOMMEND_CASES = {
    # name: (p_over, p_under, chosen, threshold, (kind, edge, expected_value, p_fair_over))
    "no line": (0.6, 0.4, None, 0.05, (NO_LINE, None, None, None)),
    "over": (0.60, 0.40, _line(), 0.05, (OVER, 0.10, 0.6 * 100 / 110 - 0.4, 0.5)),
    "under": (0.40, 0.60, _line(), 0.05, (UNDER, 0.10, 0.6 * 100 / 110 - 0.4, 0.5)),
    "pass below threshold gives the better side": (
        0.53, 0.47, _line(), 0.05, (PASS, 0.03, 0.53 * 100 / 110 - 0.47, 0.5)),
    "pass when both edges are negative": (
        0.45, 0.40, _line(value=3.0), 0.05, (PASS, -0.05, 0.45 * 100 / 110 - 0.40, 0.5)),
    "edge equal to the threshold counts": (
        0.57, 0.43, _line(), 0.07, (OVER, 0.07, 0.57 * 100 / 110 - 0.43, 0.5)),
    "push possible on an integer line: a push returns the stake": (
        0.58, 0.30, _line(value=3.0), 0.05, (OVER, 0.08, 0.58 * 100 / 110 - 0.30, 0.5)),
    "asymmetric prices": (
        0.5, 0.5, _line(120, -150), 0.05,
        (OVER, 0.5 - 0.4310344827586206, 0.5 * 1.2 - 0.5, 0.4310344827586206)),
    "asymmetric prices, under side": (
        0.35, 0.65, _line(120, -150), 0.05,
        (UNDER, 0.65 - 0.5689655172413793, 0.65 * 100 / 150 - 0.35, 0.4310344827586206)),
    "missing under price is taken as -110": (
        0.6, 0.4, _line(-130, None), 0.05,
        (OVER, 0.6 - 0.5190114068441064, 0.6 * 100 / 130 - 0.4, 0.5190114068441064)),
    "equal edges go to OVER": (0.5, 0.5, _line(), 0.0, (OVER, 0.0, 0.5 * 100 / 110 - 0.5, 0.5)),
}


@pytest.mark.parametrize(
    ("p_over", "p_under", "chosen", "threshold", "expected"),
    RECOMMEND_CASES.values(),
    ids=RECOMMEND_CASES.keys(),
)
def test_recommend(
    p_over: float,
    p_under: float,
    chosen: ChosenLine | None,
    threshold: float,
    expected: tuple[RecommendationKind, float | None, float | None, float | None],
) -> None:
    result = recommend(p_over=p_over, p_under=p_under, chosen=chosen, edge_threshold=threshold)
    kind, edge, expected_value, p_fair_over = expected
    assert result.recommendation is kind
    assert result.edge == pytest.approx(edge)
    assert result.expected_value == pytest.approx(expected_value)
    assert result.p_fair_over == pytest.approx(p_fair_over)


@pytest.mark.parametrize(
    ("p_over", "p_under", "message"),
    [
        (1.2, 0.0, "p_over is 1.2; a probability must lie between 0 and 1"),
        (0.5, -0.1, "p_under is -0.1; a probability must lie between 0 and 1"),
        (0.5, float("nan"), "p_under is nan"),
        (0.7, 0.4, "p_over 0.7 and p_under 0.4 add up to more than 1"),
    ],
)
def test_recommend_rejects_impossible_probabilities(
    p_over: float, p_under: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        recommend(p_over=p_over, p_under=p_under, chosen=_line(), edge_threshold=0.05)


american = st.one_of(st.integers(100, 1000), st.integers(-1000, -100))


@given(
    p_over=st.floats(0.0, 1.0),
    push=st.floats(0.0, 0.3),
    over=american,
    under=american,
    threshold=st.floats(0.0, 0.2),
)
def test_a_recommended_side_has_the_larger_edge_and_reaches_the_threshold(
    p_over: float, push: float, over: int, under: int, threshold: float
) -> None:
    p_under = max(0.0, 1.0 - p_over - push)
    result = recommend(p_over=p_over, p_under=p_under, chosen=_line(over, under),
                       edge_threshold=threshold)
    assert result.p_fair_over is not None and result.edge is not None
    edge_over = p_over - result.p_fair_over
    edge_under = p_under - (1.0 - result.p_fair_over)
    assert result.edge == pytest.approx(max(edge_over, edge_under))
    if result.recommendation is PASS:
        assert result.edge < threshold
    else:
        assert result.edge >= threshold - 1e-9
        side_edge = edge_over if result.recommendation is OVER else edge_under
        assert side_edge == pytest.approx(result.edge)


def test_prop_prediction_row_with_its_pick_has_exactly_the_table_columns_and_round_trips(
    warehouse: Warehouse,
) -> None:
    created_at = datetime(2025, 1, 10, 20, 0)
    chosen = _line()
    rows = []
    for prediction_id, line in (("p-1", chosen), ("p-2", None)):
        verdict = recommend(p_over=0.6, p_under=0.4, chosen=line, edge_threshold=0.05)
        pick = NO_LINE_PICK if line is None else Pick(PASS, None, 0.0, "no_price: no side of any line has a price")
        rows.append({**PropPrediction.assemble(
            prediction_id=prediction_id, game_date=date(2025, 1, 10), game_id="0022400500",
            player_lookup="jaysontatum", market="points", system_id="baseline",
            predicted_value=27.4, predicted_std=6.1, distribution="normal", p_over=0.6,
            confidence=0.7, chosen=line, verdict=verdict, run_id="r1", created_at=created_at,
        ).as_row(), **pick.as_row(), "system_version": "0.1.0+w400d+p1234abcd", "system_role": "champion",
            "makes_pick": True})  # the role columns Phase 5 fills last (phase5_roles)
    table = "nba_predictions.player_prop_predictions"
    assert list(rows[0]) == warehouse.table_columns(table)

    warehouse.replace_partition(table, {"game_date": date(2025, 1, 10)}, rows)
    stored = warehouse.query(f"SELECT * FROM {table} ORDER BY prediction_id")
    assert stored == rows
    assert (stored[0]["recommendation"], stored[0]["line_source"]) == ("OVER", "preferred")
    assert (stored[1]["recommendation"], stored[1]["line_source"]) == ("NO_LINE", "none")
    assert stored[1]["line_value"] is None and stored[1]["is_active"] is True
    assert (stored[0]["pick"], stored[1]["pick"]) == ("PASS", "NO_LINE")


def test_chosen_line_and_verdict_rows_use_column_names() -> None:
    assert _line().as_row() == {"line_value": 20.5, "bookmaker": "draftkings", "over_price": -110,
                                "under_price": -110, "line_source": "preferred"}
    verdict = Recommendation(PASS, 0.01, -0.02, 0.5)
    assert verdict.as_row() == {"recommendation": "PASS", "edge": 0.01, "expected_value": -0.02,
                                "p_fair_over": 0.5}


def test_public_names_are_exported() -> None:
    public = {name for name in vars(predictions) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(predictions, name)).__name__ == "module"}
    assert set(predictions.__all__) == public - modules
