"""One live day on loopback: HOU at PHI, 2024-01-15, the game every box-score capture covers.

The loopback server answers what `../shared/fixtures/sources/` captured: the nba.com season
schedule (the 2024-25 document cut to this one game, as `tests/sources/live/test_live_source.py`
builds it), ESPN's scoreboard and game page, balldontlie's box scores and injuries. Prop lines:
The Odds API's events and event odds, built from the real 2024-01-15 PRA lines of
`../shared/data/2023-24/props_player_pra.csv.gz` (no capture of player props exists). nba.com's
box score endpoint answers 503: the primary box-score source is down.
"""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.sources.live.conftest import read_capture
from tests.sources.live.odds_api_payloads import event_of, odds_api_event_odds_built_from_props_player_pra
from tests.sources.live.test_live_source import EVENT_ID, season_schedule
from tests.sources.loopback import LoopbackServer, Reply, captured

from nbaprops.sources.live import espn
from nbaprops.sources.live.balldontlie import BOX_SCORES_PATH
from nbaprops.sources.live.balldontlie import INJURIES_PATH as BDL_INJURIES_PATH
from nbaprops.sources.live.chained import last_report_time
from nbaprops.sources.live.espn_scoreboard import PATH as ESPN_SCOREBOARD_PATH
from nbaprops.sources.live.nbacom_injuries import injury_report_request
from nbaprops.sources.live.nbacom_schedule import SEASON_PATH
from nbaprops.sources.live.nbacom_team_boxscore import PATH as NBA_BOXSCORE_PATH
from nbaprops.sources.live.odds_api import event_odds_path, events_path

DAY = date(2024, 1, 15)
ESPN_BOXSCORE_PATH = f"/nba/boxscore/_/gameId/{EVENT_ID}"
ODDS_EVENT_ID = "93af4b300a4c0dded909234ea32e9abd"  # the PRA file's event id of the game
SOURCES = ("nbacom", "espn", "odds_api", "bettingpros", "balldontlie")
KEY = "loopback-key"


def route_day(
    server: LoopbackServer, shared_fixtures: Path, shared_data: Path, *, nbacom_box_score: int = 503,
    nbacom_down: bool = False,
) -> None:
    """Every route of the day; nba.com's box score answers `nbacom_box_score` (200: its capture).

    `nbacom_down`: every nba.com path the day asks answers 503 (schedule, box score, the injury report
    due before tip-off), and ESPN's scoreboard is cut to this game, the one it has a captured page of.
    """
    scoreboard = json.loads(read_capture(shared_fixtures, "espn_scoreboard_api"))
    (game,) = [row for row in espn.parse_scoreboard(json.dumps(scoreboard).encode(), game_date=DAY)
               if (row["home_team"], row["away_team"]) == ("PHI", "HOU")]
    schedule = Reply.json(season_schedule(shared_fixtures, game["tipoff_utc"]))
    box_score = (Reply.file(captured(shared_fixtures, "nbac_team_boxscore")) if nbacom_box_score == 200
                 else Reply.status_only(nbacom_box_score))
    if nbacom_down:
        scoreboard["events"] = [event for event in scoreboard["events"] if event["id"] == EVENT_ID]
        schedule = box_score = Reply.status_only(503)
        due = last_report_time(game["tipoff_utc"].replace(tzinfo=UTC) - timedelta(minutes=1))
        server.route(urlsplit(injury_report_request("http://x", due).url).path, Reply.status_only(503))
    server.route(SEASON_PATH, schedule)
    server.route(NBA_BOXSCORE_PATH, box_score)
    server.route(ESPN_SCOREBOARD_PATH, Reply.json({"events": []}))  # other dates: no games
    server.route(ESPN_SCOREBOARD_PATH, Reply.json(scoreboard), when={"dates": f"{DAY:%Y%m%d}"})
    server.route(ESPN_BOXSCORE_PATH, Reply.file(captured(shared_fixtures, "espn_game_boxscore")))
    server.route(BOX_SCORES_PATH, Reply.file(captured(shared_fixtures, "bdl_box_scores")))
    injuries = json.loads(read_capture(shared_fixtures, "bdl_injuries"))
    server.route(BDL_INJURIES_PATH, Reply.json({"data": injuries["data"], "meta": {"per_page": 100}}))
    odds = odds_api_event_odds_built_from_props_player_pra(
        shared_data / "2023-24" / "props_player_pra.csv.gz", event_date=DAY.isoformat(),
        home_team="Philadelphia 76ers", away_team="Houston Rockets", event_id=ODDS_EVENT_ID,
        commence_time=f"{game['tipoff_utc']:%Y-%m-%dT%H:%M:%S}Z")
    quota = {"x-requests-remaining": "480", "x-requests-used": "20", "x-requests-last": "1"}
    server.route(events_path(), Reply.json([event_of(odds)], headers=quota))
    server.route(event_odds_path(ODDS_EVENT_ID), Reply.json(odds, headers=quota))


def live_config(base_url: str, *, markets: tuple[str, ...] = ("pra",)) -> str:
    """nbaprops.toml pointing every source at `base_url`: keys for the keyed ones, retries without waits."""
    lines = ["[predictions]", f"markets = {json.dumps(list(markets))}", "min_history_games = 1", ""]
    urls: dict[str, dict[str, Any]] = {
        "nbacom": {"cdn_base_url": base_url, "injury_report_base_url": base_url},
        "espn": {"web_base_url": base_url},
        "odds_api": {"api_key": KEY},
        "bettingpros": {},
        "balldontlie": {"api_key": KEY},
    }
    for name in SOURCES:
        lines += [f"[sources.{name}]", f'base_url = "{base_url}"']
        lines += [f'{key} = "{value}"' for key, value in urls[name].items()]
        lines += [f"[sources.{name}.retry]", "max_attempts = 2", "backoff_initial_seconds = 0", "jitter_seconds = 0",
                  ""]
    return "\n".join(lines)
