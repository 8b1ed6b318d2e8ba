"""Request builders: pure, base URL passed in, one slash between base and path."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nbaprops.sources.live import espn, nbacom
from nbaprops.sources.live._request import Request

BASE = "http://127.0.0.1:8123/"


@pytest.mark.parametrize(
    ("request_", "url", "params"),
    [
        (nbacom.schedule_request(BASE), "http://127.0.0.1:8123/static/json/staticData/scheduleLeagueV2.json", {}),
        (nbacom.schedule_request(BASE, "2024-25"), "http://127.0.0.1:8123/stats/scheduleleaguev2",
         {"LeagueID": "00", "Season": "2024-25"}),
        (nbacom.scoreboard_request(BASE, date(2024, 1, 15)), "http://127.0.0.1:8123/stats/scoreboardv2",
         {"GameDate": "2024-01-15", "LeagueID": "00", "DayOffset": "0"}),
        (nbacom.team_boxscore_request(BASE, "0022400561"), "http://127.0.0.1:8123/stats/boxscoretraditionalv2",
         {"GameID": "0022400561", "StartPeriod": "0", "EndPeriod": "0", "StartRange": "0", "EndRange": "0",
          "RangeType": "0"}),
        (espn.scoreboard_request(BASE, date(2024, 1, 15)),
         "http://127.0.0.1:8123/apis/site/v2/sports/basketball/nba/scoreboard", {"dates": "20240115"}),
        (espn.boxscore_request(BASE, "401585183"), "http://127.0.0.1:8123/nba/boxscore/_/gameId/401585183", {}),
    ],
)
def test_urls_and_params(request_: Request, url: str, params: dict[str, str]) -> None:
    assert request_.url == url
    assert dict(request_.params) == params


def test_player_boxscores_ask_for_one_date() -> None:
    request = nbacom.player_boxscore_request("http://x", date(2025, 3, 15), season="2024-25")
    assert request.url == "http://x/stats/leaguegamelog"
    assert {key: request.params[key] for key in ("DateFrom", "DateTo", "Season", "PlayerOrTeam")} == {
        "DateFrom": "2025-03-15", "DateTo": "2025-03-15", "Season": "2024-25", "PlayerOrTeam": "P",
    }
    assert request.headers["Referer"] == "https://www.nba.com/", "stats.nba.com wants a browser's referer"


@pytest.mark.parametrize(
    ("report_time", "file_name"),
    [
        (datetime(2024, 1, 4, 12, 30), "Injury-Report_2024-01-04_12_30PM.pdf"),
        (datetime(2024, 1, 4, 17, 0), "Injury-Report_2024-01-04_05PM.pdf"),
        (datetime(2024, 1, 5, 3, 30, tzinfo=UTC), "Injury-Report_2024-01-04_10_30PM.pdf"),
    ],
)
def test_injury_report_file_names(report_time: datetime, file_name: str) -> None:
    request = nbacom.injury_report_request("https://static.example", report_time)
    assert request.url == f"https://static.example/referee/injury/{file_name}"


def test_requests_are_frozen_and_hashable() -> None:
    request = nbacom.schedule_request(BASE)
    with pytest.raises(AttributeError):
        request.url = "elsewhere"  # type: ignore[misc]
    with pytest.raises(TypeError):
        request.params["x"] = "y"  # type: ignore[index]
    assert len({request, nbacom.schedule_request(BASE)}) == 1
