"""The fallback chain runner: order, what falls through, the record of failures, the guard seam."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.errors import ChainExhaustedError, FailureKind, SourceError, SourceFailure
from nbaprops.sources.chain import Fallen, run_chain, tagged

T = TypeVar("T")


def failing(source: str, kind: FailureKind) -> Callable[[], list[dict[str, Any]]]:
    def call() -> list[dict[str, Any]]:
        raise SourceFailure(f"{source} said no", kind=kind, source=source, endpoint="boxscore")
    return call


def serving(*rows: dict[str, Any]) -> Callable[[], list[dict[str, Any]]]:
    return lambda: list(rows)


def test_the_first_source_that_answers_serves_and_the_fallen_are_recorded() -> None:
    asked: list[str] = []

    def espn() -> list[dict[str, Any]]:
        asked.append("espn")
        return [{"pts": 41}]

    def balldontlie() -> list[dict[str, Any]]:
        asked.append("balldontlie")
        return [{"pts": 0}]

    served = run_chain("box_scores", [("nbacom", failing("nbacom", FailureKind.BLOCKED)), ("espn", espn),
                                      ("balldontlie", balldontlie)])
    assert (served.source, served.value, asked) == ("espn", [{"pts": 41}], ["espn"])
    assert served.fallen == (Fallen("nbacom", FailureKind.BLOCKED, "nbacom said no"),)


def test_an_empty_answer_falls_through_only_where_data_must_exist() -> None:
    calls = [("nbacom", serving()), ("espn", serving({"pts": 1}))]
    assert run_chain("box_scores", calls).source == "nbacom"
    served = run_chain("box_scores", calls, must_have_data=True)
    assert served.source == "espn" and [fallen.kind for fallen in served.fallen] == [FailureKind.EMPTY]


def test_every_source_failing_names_each_and_its_kind() -> None:
    with pytest.raises(ChainExhaustedError) as caught:
        run_chain("schedule", [("nbacom", failing("nbacom", FailureKind.SERVER_ERROR)),
                               ("espn", failing("espn", FailureKind.SCHEMA_DRIFT))])
    assert "nbacom: server_error" in str(caught.value) and "espn: schema_drift" in str(caught.value)
    assert [(source, kind) for source, kind, _ in caught.value.failures] == [
        ("nbacom", FailureKind.SERVER_ERROR), ("espn", FailureKind.SCHEMA_DRIFT)]
    assert isinstance(caught.value, SourceError)


def test_an_error_that_is_no_source_failure_is_not_swallowed() -> None:
    def broken() -> list[dict[str, Any]]:
        raise KeyError("bug")
    with pytest.raises(KeyError):
        run_chain("props", [("odds_api", broken), ("bettingpros", serving({"line": 20.5}))])


def test_no_source_configured_is_an_error() -> None:
    with pytest.raises(ChainExhaustedError, match=r"No source is configured for injuries"):
        run_chain("injuries", [])


def test_a_guard_sees_every_call_and_its_refusal_falls_to_the_next_source() -> None:
    seen: list[tuple[str, str]] = []

    def open_circuit(source: str, data_kind: str, call: Callable[[], T]) -> T:
        seen.append((source, data_kind))
        if source == "nbacom":
            raise SourceFailure("circuit open", kind=FailureKind.SERVER_ERROR, source=source, endpoint="(guard)")
        return call()

    asked: list[str] = []

    def nbacom() -> list[dict[str, Any]]:
        asked.append("nbacom")
        return [{"pts": 1}]

    served = run_chain("box_scores", [("nbacom", nbacom), ("espn", serving({"pts": 2}))], guard=open_circuit)
    assert (served.source, asked, seen) == ("espn", [], [("nbacom", "box_scores"), ("espn", "box_scores")])


@given(st.lists(st.booleans(), min_size=1, max_size=6))
def test_the_server_is_the_first_that_works_and_every_one_before_it_is_recorded(works: list[bool]) -> None:
    names = [f"s{index}" for index in range(len(works))]
    calls = [(name, serving({"by": name}) if ok else failing(name, FailureKind.TIMEOUT))
             for name, ok in zip(names, works, strict=True)]
    if not any(works):
        with pytest.raises(ChainExhaustedError) as caught:
            run_chain("schedule", calls)
        assert [source for source, _, _ in caught.value.failures] == names
        return
    first = works.index(True)
    served = run_chain("schedule", calls)
    assert served.source == names[first] and served.value == [{"by": names[first]}]
    assert [fallen.source for fallen in served.fallen] == names[:first]


def test_tagged_rows_name_their_source_and_leave_the_originals_alone() -> None:
    rows = [{"pts": 3}]
    assert tagged(rows, "espn") == [{"pts": 3, "source": "espn"}] and rows == [{"pts": 3}]


@pytest.mark.parametrize(
    ("kinds", "chain_kind"),
    [
        ((FailureKind.CONNECTION, FailureKind.SERVER_ERROR), FailureKind.CONNECTION),
        ((FailureKind.BLOCKED, FailureKind.TIMEOUT), FailureKind.TIMEOUT),  # one down: the chain may come back
        ((FailureKind.CIRCUIT_OPEN, FailureKind.CONNECTION), FailureKind.CIRCUIT_OPEN),
        ((FailureKind.BLOCKED, FailureKind.SCHEMA_DRIFT), FailureKind.BLOCKED),  # none down: the primary's
    ],
)
def test_a_chain_exhausted_fails_as_its_first_down_source_else_as_its_first(
    kinds: tuple[FailureKind, ...], chain_kind: FailureKind
) -> None:
    calls = [(f"source{n}", failing(f"source{n}", kind)) for n, kind in enumerate(kinds)]
    with pytest.raises(ChainExhaustedError) as caught:
        run_chain("box_scores", calls)
    assert caught.value.kind is chain_kind


def test_a_chain_of_no_source_has_no_failure_kind() -> None:
    with pytest.raises(ChainExhaustedError, match="No source is configured for injuries") as caught:
        run_chain("injuries", [])
    assert caught.value.kind is None
