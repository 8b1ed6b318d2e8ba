"""nba.com injury report PDF (captured: the 01/04/24 12:30 PM report) -> injury_report rows."""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

import pytest

from nbaprops.errors import SourceSchemaError
from nbaprops.sources.live import nbacom
from nbaprops.sources.live.nbacom_injuries import Word, entries_from_words, report_words
from nbaprops.warehouse import Warehouse

FOLDER = "nbac_injury_report"
DAY = date(2024, 1, 4)
REPORTED = datetime(2024, 1, 4, 17, 30)  # 12:30 PM US/Eastern
REPLAY_KEYS = ["team", "player_lookup", "player_name", "status", "reason", "reported_utc"]


@pytest.fixture(scope="module")
def words(capture: Callable[[str], bytes]) -> list[list[Word]]:
    return report_words(capture(FOLDER))


def test_golden(capture: Callable[[str], bytes]) -> None:
    rows = nbacom.parse_injury_report(capture(FOLDER), game_date=DAY)
    assert len(rows) == 14
    assert all(list(row) == REPLAY_KEYS for row in rows), "the replay source's injury keys, in its order"
    assert Counter(row["team"] for row in rows) == {"SAS": 8, "DEN": 4, "GSW": 2}
    assert Counter(row["status"] for row in rows) == {"out": 10, "questionable": 2, "doubtful": 1, "probable": 1}
    assert rows[0] == {
        "team": "SAS", "player_lookup": "dominickbarlow", "player_name": "Dominick Barlow", "status": "questionable",
        "reason": "G League - Two-Way", "reported_utc": REPORTED,
    }
    by_name = {row["player_name"]: row for row in rows}
    assert by_name["Doug McDermott"]["reason"] == "Injury/Illness - Right Forearm; Contusion", "wrapped above and below"
    assert by_name["David Duke Jr."]["player_lookup"] == "davidduke"
    assert by_name["Gary Payton II"]["player_lookup"] == "garypayton"
    assert (by_name["Draymond Green"]["team"], by_name["Draymond Green"]["reason"]) == ("GSW", "League Suspension")
    assert (by_name["Reggie Jackson"]["team"], by_name["Reggie Jackson"]["status"]) == ("DEN", "probable")


def test_teams_not_yet_submitted_have_no_entries(capture: Callable[[str], bytes]) -> None:
    assert nbacom.parse_injury_report(capture(FOLDER), game_date=date(2024, 1, 5)) == []
    entries = nbacom.injury_report_entries(capture(FOLDER))
    assert {entry["game_date"] for entry in entries} == {DAY}


def test_rows_load_into_the_injury_table(capture: Callable[[str], bytes], warehouse: Warehouse) -> None:
    rows = [{**row, "game_date": DAY} for row in nbacom.parse_injury_report(capture(FOLDER), game_date=DAY)]
    assert warehouse.replace_partition("nba_raw.injury_report", {"game_date": DAY}, rows) == 14


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (("Reason", "Why"), "headings", "are missing from page 1"),
        (("Questionable", "Sidelined"), "Current Status", "is 'Sidelined' for 'Barlow, Dominick'"),
        (("Report:", "Rapport:"), "title", "is missing"),
        (("12:30", "12h30"), "title", "is 'Injury Report: 01/04/24 12h30 PM'"),
        (("01/04/2024", "2024-01-04"), "Game Date", "is '2024-01-04', not MM/DD/YYYY"),
        (("Spurs", "Sporting"), "Team", "is 'San Antonio Sporting', no NBA team"),
    ],
)
def test_drift_names_the_field(words: list[list[Word]], change: tuple[str, str], field: str, problem: str) -> None:
    """The table logic on the capture's own words, one word changed (the first it appears as)."""
    pages = copy.deepcopy(words)
    old, new = change
    word = next(word for page in pages for word in page if word["text"] == old)
    word["text"] = new
    with pytest.raises(SourceSchemaError, match=re.escape(f"nbacom injury_report: the field {field!r} {problem}")):
        entries_from_words(pages)


def test_pages_without_headings_reuse_the_first_pages(words: list[list[Word]]) -> None:
    assert not any(word["text"] == "Reason" for word in words[1])
    assert len(entries_from_words(words)) == len(entries_from_words([words[0]])) == 14


@pytest.mark.parametrize("body", [b"", b"<html>Access Denied</html>"])
def test_a_body_that_is_no_pdf_is_drift(body: bytes) -> None:
    with pytest.raises(SourceSchemaError, match=re.escape("the field '<body>' is not a readable PDF")):
        nbacom.parse_injury_report(body, game_date=DAY)


def test_a_truncated_pdf_is_drift(capture: Callable[[str], bytes]) -> None:
    with pytest.raises(SourceSchemaError, match="is not a readable PDF"):
        nbacom.parse_injury_report(capture(FOLDER)[:2000], game_date=DAY)




@pytest.mark.parametrize(
    ("offset", "owner"), [(8.0, "Charles Bassey"), (14.0, "Malaki Branham"), (-8.0, "Charles Bassey")]
)
def test_a_wrapped_fragment_joins_the_nearest_player(words: list[list[Word]], offset: float, owner: str) -> None:
    """A reason line printed between player lines (22 points apart) belongs to the nearer one."""
    pages = copy.deepcopy(words)
    bassey = next(word for word in pages[0] if word["text"] == "Bassey,")
    reason_x0 = next(word for word in pages[0] if word["text"] == "Reason")["x0"]
    pages[0].append({"text": "(wrapped)", "x0": reason_x0 + 1, "top": bassey["top"] + offset})
    reasons = {row["player_name"]: row["reason"] for row in entries_from_words(pages)}
    assert "(wrapped)" in reasons[owner]
    assert sum("(wrapped)" in (reason or "") for reason in reasons.values()) == 1
