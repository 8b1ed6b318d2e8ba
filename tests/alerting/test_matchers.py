"""Silence and inhibition matchers, and durations as people write them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nbaprops.alerting import parse_duration, parse_matcher
from nbaprops.errors import AlertingError

LABELS = {"name": "phase3_data_stale", "component": "phase3", "game_date": "2025-01-10"}

MATCHER_CASES = [
    ("name=phase3_data_stale", True),
    ("phase3_data_stale", True),
    ("name=phase4_not_triggered", False),
    ("name!=phase4_not_triggered", True),
    ("component=~phase3.*", True),
    ("component=~phase", False),  # regexes match the whole value
    ("component!~phase3.*", False),
    ("component=~'phase[34]'", True),
    ('game_date="2025-01-10"', True),
    ("source=", True),  # a missing label is the empty string
    ("source!=", False),
    (" name = phase3_data_stale ", True),
]


@pytest.mark.parametrize(("text", "expected"), MATCHER_CASES)
def test_matcher_matches(text: str, expected: bool) -> None:
    assert parse_matcher(text).matches(LABELS) is expected


def test_matcher_round_trips_to_text() -> None:
    assert str(parse_matcher("phase3_data_stale")) == "name=phase3_data_stale"
    assert str(parse_matcher("component=~phase3.*")) == "component=~phase3.*"


@pytest.mark.parametrize("text", ["", "=x", "na me=x", "name~x", "3name=x"])
def test_malformed_matcher_is_refused(text: str) -> None:
    with pytest.raises(AlertingError, match=r"is not valid; write label=value"):
        parse_matcher(text)


def test_bad_regex_is_refused() -> None:
    with pytest.raises(AlertingError, match=r"has an invalid regular expression"):
        parse_matcher("component=~phase(3")


DURATION_CASES = [
    ("30m", timedelta(minutes=30)),
    ("2h", timedelta(hours=2)),
    ("1d", timedelta(days=1)),
    ("1h30m", timedelta(minutes=90)),
    ("90s", timedelta(seconds=90)),
    ("1w", timedelta(weeks=1)),
    ("0.5h", timedelta(minutes=30)),
    (" 2H ", timedelta(hours=2)),
]


@pytest.mark.parametrize(("text", "expected"), DURATION_CASES)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "2", "h", "2q", "-1h", "two hours", "2h-"])
def test_bad_duration_is_refused(text: str) -> None:
    with pytest.raises(AlertingError, match=r"is not valid; write a number and a unit"):
        parse_duration(text)


def test_zero_duration_is_refused() -> None:
    with pytest.raises(AlertingError, match=r"must be longer than zero"):
        parse_duration("0m")
