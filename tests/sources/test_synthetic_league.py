"""The synthetic league: deterministic files, a sane season, a good but imperfect market."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
from tests.sources.conftest import LEAGUE_CONFIG, LEAGUE_DAYS
from tests.sources.files import read_rows

from nbaprops.config import SyntheticConfig
from nbaprops.errors import ConfigError, SourceError
from nbaprops.identity import player_lookup
from nbaprops.sources import SyntheticLeague, generate_league
from nbaprops.sources.synthetic_files import (
    INJURY_COLUMNS,
    PLAYER_GAME_LOG_COLUMNS,
    PROP_LINE_COLUMNS,
    TEAM_GAME_LOG_COLUMNS,
)

MARKETS = {
    "player_points",
    "player_rebounds",
    "player_assists",
    "player_threes",
    "player_points_rebounds_assists",
}


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_same_seed_same_bytes(tmp_path: Path, short_league: SyntheticLeague) -> None:
    again = generate_league(LEAGUE_CONFIG, days=10, out_dir=tmp_path)
    for first, second in zip(short_league.paths, again.paths, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert again.to_json() | {"files": None} == short_league.to_json() | {"files": None}


def test_earlier_history_is_the_seasons_first_days(
    tmp_path: Path, short_league: SyntheticLeague
) -> None:
    with_history = generate_league(LEAGUE_CONFIG, days=4, history_days=6, out_dir=tmp_path)
    for first, second in zip(short_league.paths, with_history.paths, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert (with_history.history_start, with_history.history_days) == (date(2024, 10, 22), 6)
    assert (with_history.first_date, with_history.last_date, with_history.days) == (
        date(2024, 10, 28),
        date(2024, 10, 31),
        4,
    )
    assert (short_league.history_start, short_league.history_days) == (short_league.first_date, 0)
    assert with_history.games == short_league.games


def test_different_seed_different_files(tmp_path: Path, short_league: SyntheticLeague) -> None:
    other = generate_league(
        LEAGUE_CONFIG.model_copy(update={"seed": 12}), days=10, out_dir=tmp_path
    )
    for first, second in zip(short_league.paths, other.paths, strict=True):
        assert first.read_bytes() != second.read_bytes(), first.name


def test_shorter_season_is_a_prefix(league: SyntheticLeague, short_league: SyntheticLeague) -> None:
    long_rows = read_rows(league.team_game_logs)
    short_rows = read_rows(short_league.team_game_logs)
    assert short_rows == long_rows[: len(short_rows)]
    assert long_rows[len(short_rows)]["GAME_DATE"] > short_league.last_date.isoformat()


def test_headers_are_the_real_layouts(league: SyntheticLeague) -> None:
    expected = {
        league.team_game_logs: TEAM_GAME_LOG_COLUMNS,
        league.player_game_logs: PLAYER_GAME_LOG_COLUMNS,
        league.prop_lines: PROP_LINE_COLUMNS,
        league.injuries: INJURY_COLUMNS,
    }
    for path, columns in expected.items():
        assert tuple(read_rows(path)[0]) == columns
    assert TEAM_GAME_LOG_COLUMNS[-1] == "SEASON" and "PLUS_MINUS" in TEAM_GAME_LOG_COLUMNS


def test_league_shape(league: SyntheticLeague) -> None:
    assert (league.teams, league.players, league.days) == (30, 450, LEAGUE_DAYS)
    assert league.first_date == date(2024, 10, 22)
    assert league.last_date == date(2024, 10, 22) + timedelta(days=LEAGUE_DAYS - 1)
    assert league.season == "2024-25"
    rows = read_rows(league.team_game_logs)
    assert len(rows) == 2 * league.games == league.team_box_rows
    assert {row["SEASON_ID"] for row in rows} == {"22024"}
    assert len({row["TEAM_ABBREVIATION"] for row in rows}) == 30
    assert ("BOS", "Boston Celtics", "1610612738") in {
        (row["TEAM_ABBREVIATION"], row["TEAM_NAME"], row["TEAM_ID"]) for row in rows
    }


def test_schedule_every_other_day_with_back_to_backs(league: SyntheticLeague) -> None:
    rows = read_rows(league.team_game_logs)
    per_day = Counter(row["GAME_DATE"] for row in rows)
    assert len(per_day) == LEAGUE_DAYS
    assert all(5 <= count // 2 <= 12 for count in per_day.values())
    dates_by_team: dict[str, list[date]] = defaultdict(list)
    for row in rows:
        dates_by_team[row["TEAM_ABBREVIATION"]].append(date.fromisoformat(row["GAME_DATE"]))
    games = [len(dates) for dates in dates_by_team.values()]
    assert min(games) >= LEAGUE_DAYS * 0.4 and max(games) <= LEAGUE_DAYS * 0.6
    gaps = [
        (b - a).days
        for dates in dates_by_team.values()
        for a, b in zip(dates, dates[1:], strict=False)
    ]
    assert min(gaps) >= 1, "a team never plays twice a day"
    assert 10 <= gaps.count(1) <= 0.3 * len(gaps), "back-to-backs exist but are not the rule"
    three_in_three = [
        dates
        for dates in dates_by_team.values()
        if any((c - a).days == 2 for a, c in zip(dates, dates[2:], strict=False))
    ]
    assert three_in_three == []


def test_home_and_away_rows_agree(league: SyntheticLeague) -> None:
    by_game: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_rows(league.team_game_logs):
        by_game[row["GAME_ID"]].append(row)
    for game_id, (first, second) in by_game.items():
        home, away = (first, second) if " vs. " in first["MATCHUP"] else (second, first)
        assert home["MATCHUP"] == f"{home['TEAM_ABBREVIATION']} vs. {away['TEAM_ABBREVIATION']}", (
            game_id
        )
        assert away["MATCHUP"] == f"{away['TEAM_ABBREVIATION']} @ {home['TEAM_ABBREVIATION']}", (
            game_id
        )
        assert {home["WL"], away["WL"]} == {"W", "L"}
        assert (
            float(home["PLUS_MINUS"])
            == int(home["PTS"]) - int(away["PTS"])
            == -float(away["PLUS_MINUS"])
        )


def test_team_totals_are_player_sums(league: SyntheticLeague) -> None:
    players: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in read_rows(league.player_game_logs):
        team = row["matchup"].split()[0]
        for column in ("pts", "reb", "ast", "threes_made", "fga", "minutes"):
            players[(row["date"], team)][column] += int(float(row[column]))
    for row in read_rows(league.team_game_logs):
        sums = players[(row["GAME_DATE"], row["TEAM_ABBREVIATION"])]
        assert (
            sums["pts"],
            sums["reb"],
            sums["ast"],
            sums["threes_made"],
            sums["fga"],
            sums["minutes"],
        ) == (
            float(row["PTS"]),
            float(row["REB"]),
            float(row["AST"]),
            float(row["FG3M"]),
            float(row["FGA"]),
            float(row["MIN"]),
        )


def test_player_lines_are_consistent_and_realistic(league: SyntheticLeague) -> None:
    rows = read_rows(league.player_game_logs)
    assert len(rows) == league.player_box_rows
    for row in rows:
        pts = 2 * int(row["fgm"]) + int(row["threes_made"]) + int(row["ftm"])
        assert int(row["pts"]) == pts
        assert int(row["reb"]) == int(row["oreb"]) + int(row["dreb"])
        assert int(row["fgm"]) <= int(row["fga"]) and int(row["threes_made"]) <= int(
            row["threes_attempted"]
        )
        assert float(row["minutes"]) >= 1
    team_points = [int(row["PTS"]) for row in read_rows(league.team_game_logs)]
    assert 105 <= mean(team_points) <= 118
    starters = [float(row["minutes"]) for row in rows if float(row["minutes"]) >= 28]
    assert len(starters) > 0.25 * len(rows)


def test_names_are_unique_per_player_lookup_and_exercise_identity(league: SyntheticLeague) -> None:
    names = {row["player"] for row in read_rows(league.player_game_logs)}
    lookups = Counter(player_lookup(name) for name in names)
    assert max(lookups.values()) == 1
    assert any(any(ord(ch) > 127 for ch in name) for name in names)
    assert any(name.endswith((" Jr.", " III", " II", " Sr.")) for name in names)
    assert any("'" in name for name in names)
    prop_names = {row["player"] for row in read_rows(league.prop_lines)}
    assert {player_lookup(name) for name in prop_names} <= set(lookups), (
        "book names join to box-score names"
    )
    assert prop_names - names, "books spell some names differently (accents, suffixes)"


def test_prop_lines_markets_books_prices(league: SyntheticLeague) -> None:
    rows = read_rows(league.prop_lines)
    assert sum(league.prop_line_rows.values()) == len(rows)
    assert {row["market"] for row in rows} == MARKETS
    assert all(count > 1000 for count in league.prop_line_rows.values())
    books_per_game = defaultdict(set)
    for row in rows:
        books_per_game[(row["game"], row["game_time"])].add(row["bookmaker"])
    assert {len(books) for books in books_per_game.values()} <= {3, 4, 5}
    lines = [float(row["line"]) for row in rows]
    assert 0.8 < sum(line % 1 == 0.5 for line in lines) / len(lines) < 0.97
    prices = [int(row[side]) for row in rows for side in ("over_odds", "under_odds")]
    assert all(abs(price) >= 100 for price in prices)
    shaded = sum(
        (row["over_odds"], row["under_odds"]) in {("-130", "100"), ("100", "-130")} for row in rows
    )
    assert 0.05 < shaded / len(rows) < 0.3


def test_prop_lines_are_published_before_tip_off(league: SyntheticLeague) -> None:
    late_dates = {d.isoformat() for d in league.late_line_dates}
    assert late_dates, "the test config publishes late lines on some days"
    leads_by_kind: dict[bool, list[float]] = defaultdict(list)
    for row in read_rows(league.prop_lines):
        tipoff = _iso(row["game_time"])
        snapshot = _iso(row["market_last_update"])
        assert snapshot < tipoff and _iso(row["bookmaker_last_update"]) < tipoff
        et_date = (tipoff - timedelta(hours=5)).date().isoformat()
        leads_by_kind[et_date in late_dates].append((tipoff - snapshot).total_seconds() / 3600)
    assert max(leads_by_kind[True]) <= 2.5 and min(leads_by_kind[True]) >= 1 / 3
    usual = sorted(leads_by_kind[False])
    assert usual[len(usual) // 2] >= 8.0 and usual[-1] <= 10.0


def test_tipoffs_at_us_eastern_evening_hours(league: SyntheticLeague) -> None:
    hours: Counter[float] = Counter()
    for row in read_rows(league.prop_lines):
        local = _iso(row["game_time"]).astimezone(ZoneInfo("America/New_York"))
        hours[local.hour + local.minute / 60] += 1
    assert set(hours) <= {12.0, 13.0, 15.5, 18.0, 19.0, 19.5, 20.0, 20.5, 21.0, 22.0, 22.5}
    assert sum(n for hour, n in hours.items() if hour >= 19) > 0.8 * sum(hours.values())


def test_injury_report_before_the_games_it_affects(league: SyntheticLeague) -> None:
    tipoffs = {}
    for row in read_rows(league.prop_lines):
        tipoffs[(row["game"].split(" @ ")[1], row["game_time"][:10])] = _iso(row["game_time"])
    injuries = read_rows(league.injuries)
    assert league.injury_rows == len(injuries)
    assert {row["status"] for row in injuries} == {
        "out",
        "doubtful",
        "questionable",
        "probable",
        "available",
    }
    assert [row["reported_at"] for row in injuries] == sorted(
        row["reported_at"] for row in injuries
    )
    played = {(row["player"], row["date"]) for row in read_rows(league.player_game_logs)}
    latest: dict[tuple[str, str], str] = {}
    for row in injuries:
        latest[(row["player"], row["game_date"])] = row["status"]
    out = [key for key, status in latest.items() if status == "out"]
    assert len(out) > 20
    assert not [key for key in out if key in played], "a player last reported out does not play"
    probable = [key for key, status in latest.items() if status == "probable"]
    assert sum(key in played for key in probable) >= 0.9 * len(probable)


def test_absences_are_mostly_but_not_always_reported(league: SyntheticLeague) -> None:
    """Starters rarely sit by a coach's decision: most of their absences are reported."""
    box = read_rows(league.player_game_logs)
    minutes: dict[str, list[float]] = defaultdict(list)
    for row in box:
        minutes[row["player"]].append(float(row["minutes"]))
    regulars = {name for name, played in minutes.items() if len(played) >= 5 and mean(played) >= 28}
    dates_by_team: dict[str, set[str]] = defaultdict(set)
    team_of: dict[str, str] = {}
    played = set()
    for row in box:
        team = row["matchup"].split()[0]
        dates_by_team[team].add(row["date"])
        team_of[row["player"]] = team
        played.add((row["player"], row["date"]))
    missed = {
        (name, day)
        for name in regulars
        for day in dates_by_team[team_of[name]]
        if (name, day) not in played
    }
    reported = {(row["player"], row["game_date"]) for row in read_rows(league.injuries)}
    share = len(missed & reported) / len(missed)
    assert 0.5 < share < 1.0


def test_lines_skip_players_known_to_be_out(league: SyntheticLeague) -> None:
    names = {row["player"] for row in read_rows(league.player_game_logs)}
    by_lookup = {player_lookup(name): name for name in names}
    known_out: dict[tuple[str, str], datetime] = {}
    for row in read_rows(league.injuries):
        key = (row["player"], row["game_date"])
        if row["status"] in ("out", "doubtful"):
            known_out.setdefault(key, _iso(row["reported_at"]))
        else:
            known_out.pop(key, None)
    offered_while_out = 0
    for row in read_rows(league.prop_lines):
        day = (_iso(row["game_time"]) - timedelta(hours=5)).date().isoformat()
        reported = known_out.get((by_lookup[player_lookup(row["player"])], day))
        if reported is not None and reported < _iso(row["market_last_update"]) - timedelta(hours=1):
            offered_while_out += 1
    assert offered_while_out == 0


def test_market_is_good_but_not_perfect(league: SyntheticLeague) -> None:
    """The consensus line and a season-to-date average predict points about equally well."""
    history: dict[str, list[int]] = defaultdict(list)
    actual: dict[tuple[str, str], int] = {}
    for row in sorted(read_rows(league.player_game_logs), key=lambda r: r["date"]):
        actual[(player_lookup(row["player"]), row["date"])] = int(row["pts"])
    lines: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in read_rows(league.prop_lines):
        if row["market"] == "player_points":
            day = (_iso(row["game_time"]) - timedelta(hours=5)).date().isoformat()
            lines[(player_lookup(row["player"]), day)].append(float(row["line"]))
    line_errors, average_errors = [], []
    for (lookup, day), points in sorted(actual.items(), key=lambda item: item[0][1]):
        past = history[lookup]
        if len(past) >= 8 and (lookup, day) in lines:
            offered = sorted(lines[(lookup, day)])
            line_errors.append(abs(points - offered[len(offered) // 2]))
            average_errors.append(abs(points - mean(past)))
        past.append(points)
    assert len(line_errors) > 500
    ratio = mean(line_errors) / mean(average_errors)
    assert 0.9 < ratio < 1.1


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="needs days of at least 1, got 0"):
        generate_league(SyntheticConfig(), days=0, out_dir=tmp_path)
    with pytest.raises(
        ConfigError, match="synthetic.season_start must be a date like 2024-10-22, got 'soon'"
    ):
        generate_league(SyntheticConfig(season_start="soon"), days=3, out_dir=tmp_path)
    with pytest.raises(SourceError, match="needs history_days of at least 0, got -1"):
        generate_league(SyntheticConfig(), days=3, history_days=-1, out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_small_league(tmp_path: Path) -> None:
    small = generate_league(
        SyntheticConfig(seed=3, teams=4, players_per_team=9), days=6, out_dir=tmp_path
    )
    assert (small.teams, small.players) == (4, 36)
    assert small.games >= 6
    assert all(count > 0 for count in small.prop_line_rows.values())
