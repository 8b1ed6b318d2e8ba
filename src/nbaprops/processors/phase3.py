"""Phase 3: analytics. Game summaries of finished games, and the context of upcoming ones."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.sql import SqlProcessor

# Possessions by the usual box-score estimate; pace is possessions per 48 minutes of one team.
_POSSESSIONS = "(fga + 0.44 * fta - oreb + tov)"


class _GameResultsProcessor(SqlProcessor):
    """A summary of the date's finished games: expects at least one row for each team of each
    game the schedule shows final (a team fields players), so box scores that never arrived
    show as missing records rather than as nothing expected."""

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        arrived = super().expected_records(ctx, game_date) or 0
        games = ctx.source.schedule(game_date, as_of=ctx.clock.now())
        return max(arrived, 2 * sum(1 for game in games if game.get("status") == "final"))


class PlayerGameSummaryProcessor(_GameResultsProcessor):
    name = "player_game_summary"
    phase = "phase3"
    output_table = "nba_analytics.player_game_summary"
    inputs = ("nba_raw.player_boxscores",)
    expected_sql = (
        "SELECT count(DISTINCT (game_id, player_lookup)) FROM nba_raw.player_boxscores WHERE game_date = $game_date"
    )

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        """As for every game result, unless the source knows it will never serve some games' players
        (a recorded season of regular-season player logs has no playoff box scores): then those only."""
        expected = super().expected_records(ctx, game_date)
        known = ctx.source.expected_player_games(game_date)
        if known is None or expected is None:
            return expected
        arrived = int(ctx.warehouse.scalar(self.expected_sql, {"game_date": game_date}) or 0)
        return max(arrived, min(expected, 2 * known))

    sql = """
        SELECT game_date, game_id, player_lookup, player_name, team, opponent, is_home, minutes,
               pts AS points, reb AS rebounds, ast AS assists, fg3m AS threes, pts + reb + ast AS pra,
               fga, fg3a, fta, tov, minutes > 0 AS played
        FROM nba_raw.player_boxscores
        WHERE game_date = $game_date
        QUALIFY row_number() OVER (PARTITION BY game_id, player_lookup ORDER BY minutes DESC) = 1
    """


class TeamOffenseGameSummaryProcessor(_GameResultsProcessor):
    name = "team_offense_game_summary"
    phase = "phase3"
    output_table = "nba_analytics.team_offense_game_summary"
    inputs = ("nba_raw.team_boxscores",)
    expected_sql = "SELECT count(DISTINCT (game_id, team)) FROM nba_raw.team_boxscores WHERE game_date = $game_date"
    sql = f"""
        SELECT game_date, game_id, team, opponent, is_home, pts AS points, reb AS rebounds, ast AS assists,
               fg3m AS threes, {_POSSESSIONS} AS possessions,
               48.0 * {_POSSESSIONS} / greatest(coalesce(minutes, 240) / 5.0, 1) AS pace,
               100.0 * pts / nullif({_POSSESSIONS}, 0) AS offensive_rating
        FROM nba_raw.team_boxscores
        WHERE game_date = $game_date
        QUALIFY row_number() OVER (PARTITION BY game_id, team ORDER BY team) = 1
    """


class TeamDefenseGameSummaryProcessor(_GameResultsProcessor):
    name = "team_defense_game_summary"
    phase = "phase3"
    output_table = "nba_analytics.team_defense_game_summary"
    inputs = ("nba_raw.team_boxscores",)
    expected_sql = TeamOffenseGameSummaryProcessor.expected_sql
    sql = """
        WITH t AS (
            SELECT * FROM nba_raw.team_boxscores WHERE game_date = $game_date
            QUALIFY row_number() OVER (PARTITION BY game_id, team ORDER BY team) = 1
        )
        SELECT d.game_date, d.game_id, d.team, d.opponent, d.is_home,
               o.pts AS points_allowed, o.reb AS rebounds_allowed, o.ast AS assists_allowed,
               o.fg3m AS threes_allowed, o.pts + o.reb + o.ast AS pra_allowed,
               (o.fga + 0.44 * o.fta - o.oreb + o.tov) AS possessions,
               100.0 * o.pts / nullif(o.fga + 0.44 * o.fta - o.oreb + o.tov, 0) AS defensive_rating
        FROM t AS d JOIN t AS o ON o.game_id = d.game_id AND o.team = d.opponent
    """


class UpcomingPlayerGameContextProcessor(SqlProcessor):
    """One row a player with a prop line on game_date: team, opponent, rest, form sample, markets.

    Expected records: the players the source says will get a pre-game line that day (recorded
    history knows). A live source cannot know, so then: the players with lines now, or, when far
    fewer players have lines than the recent days suggest (late lines), `late_line_floor` of the
    recent players-per-game rate times today's games. Either way a normal day reaches 100% and a
    day whose lines are late does not.
    """

    name = "upcoming_player_game_context"
    phase = "phase3"
    output_table = "nba_analytics.upcoming_player_game_context"
    inputs = ("nba_raw.player_prop_lines", "nba_raw.schedule", "nba_raw.injury_report",
              "nba_analytics.player_game_summary")
    late_line_floor: ClassVar[float] = 0.8
    recent_days: ClassVar[int] = 14

    def params(self, ctx: ProcessorContext, game_date: date) -> dict[str, Any]:
        params = super().params(ctx, game_date)
        params["markets"] = list(ctx.markets)
        return params

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        known = ctx.source.expected_prop_players(game_date, markets=ctx.markets)
        if known is not None:
            return known
        params = {**self.params(ctx, game_date), "late_line_floor": self.late_line_floor,
                  "recent_days": self.recent_days}
        return int(ctx.warehouse.scalar(self.expected_sql, params) or 0)

    expected_sql = """
        WITH recent AS (
            SELECT c.game_date, count(*) / greatest(any_value(g.games), 1) AS per_game
            FROM nba_analytics.upcoming_player_game_context c
            JOIN (SELECT game_date, count(*) AS games FROM nba_raw.schedule GROUP BY game_date) g USING (game_date)
            WHERE c.game_date < $game_date AND c.game_date >= $game_date - INTERVAL 30 DAY
            GROUP BY c.game_date ORDER BY c.game_date DESC LIMIT $recent_days
        )
        SELECT greatest(
            (SELECT count(DISTINCT player_lookup) FROM nba_raw.player_prop_lines
             WHERE game_date = $game_date AND list_contains($markets, market)),
            coalesce(floor($late_line_floor * (SELECT median(per_game) FROM recent)
                           * (SELECT count(*) FROM nba_raw.schedule WHERE game_date = $game_date)), 0)
        )
    """
    sql = """
        WITH lines AS (
            SELECT player_lookup, any_value(player_name) AS player_name, any_value(game_id) AS game_id,
                   any_value(home_team) AS home_team, any_value(away_team) AS away_team,
                   list(DISTINCT market ORDER BY market) AS markets, max(snapshot_utc) AS lines_snapshot_utc
            FROM nba_raw.player_prop_lines
            WHERE game_date = $game_date AND list_contains($markets, market)
            GROUP BY player_lookup
        ),
        past AS (
            SELECT player_lookup, count(*) FILTER (WHERE played) AS games_played,
                   max(game_date) FILTER (WHERE played) AS last_game_date,
                   arg_max(team, game_date) AS last_team
            FROM nba_analytics.player_game_summary
            WHERE game_date < $game_date AND game_date >= $season_start
              AND player_lookup IN (SELECT player_lookup FROM lines)
            GROUP BY player_lookup
        ),
        injuries AS (
            SELECT player_lookup, arg_max(status, reported_utc) AS status
            FROM nba_raw.injury_report WHERE game_date = $game_date GROUP BY player_lookup
        ),
        games AS (SELECT game_id, home_team, away_team FROM nba_raw.schedule WHERE game_date = $game_date)
        SELECT $game_date AS game_date,
               coalesce(l.game_id, g.game_id) AS game_id,
               l.player_lookup, l.player_name,
               CASE WHEN p.last_team IN (l.home_team, l.away_team) THEN p.last_team END AS team,
               CASE WHEN p.last_team = l.home_team THEN l.away_team
                    WHEN p.last_team = l.away_team THEN l.home_team END AS opponent,
               CASE WHEN p.last_team IN (l.home_team, l.away_team) THEN p.last_team = l.home_team END AS is_home,
               CAST(date_diff('day', p.last_game_date, $game_date) AS INTEGER) AS days_rest,
               date_diff('day', p.last_game_date, $game_date) = 1 AS is_back_to_back,
               CAST(coalesce(p.games_played, 0) AS INTEGER) AS games_played,
               i.status AS injury_status, l.markets, l.lines_snapshot_utc
        FROM lines l
        LEFT JOIN past p USING (player_lookup)
        LEFT JOIN injuries i USING (player_lookup)
        LEFT JOIN games g ON g.home_team = l.home_team AND g.away_team = l.away_team
        WHERE coalesce(l.game_id, g.game_id) IS NOT NULL
    """


class UpcomingTeamGameContextProcessor(SqlProcessor):
    """Two rows a scheduled game: each team's rest and recent pace."""

    name = "upcoming_team_game_context"
    phase = "phase3"
    output_table = "nba_analytics.upcoming_team_game_context"
    inputs = ("nba_raw.schedule", "nba_analytics.team_offense_game_summary")
    expected_sql = "SELECT 2 * count(*) FROM nba_raw.schedule WHERE game_date = $game_date"
    sql = """
        WITH sides AS (
            SELECT game_date, game_id, home_team AS team, away_team AS opponent, true AS is_home
            FROM nba_raw.schedule WHERE game_date = $game_date
            UNION ALL
            SELECT game_date, game_id, away_team, home_team, false
            FROM nba_raw.schedule WHERE game_date = $game_date
        ),
        past AS (
            SELECT team, game_date, pace,
                   row_number() OVER (PARTITION BY team ORDER BY game_date DESC) AS rn
            FROM nba_analytics.team_offense_game_summary
            WHERE game_date < $game_date AND game_date >= $season_start
        ),
        form AS (
            SELECT team, count(*) AS games_played, max(game_date) AS last_game_date,
                   avg(pace) FILTER (WHERE rn <= 10) AS pace_last10
            FROM past GROUP BY team
        )
        SELECT s.game_date, s.game_id, s.team, s.opponent, s.is_home,
               CAST(date_diff('day', f.last_game_date, s.game_date) AS INTEGER) AS days_rest,
               date_diff('day', f.last_game_date, s.game_date) = 1 AS is_back_to_back,
               CAST(coalesce(f.games_played, 0) AS INTEGER) AS games_played,
               f.pace_last10, o.pace_last10 AS opp_pace_last10
        FROM sides s LEFT JOIN form f ON f.team = s.team LEFT JOIN form o ON o.team = s.opponent
    """
