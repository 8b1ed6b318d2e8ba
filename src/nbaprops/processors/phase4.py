"""Phase 4: rolling form per player and market, and the feature rows the prediction systems read."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.sql import SqlProcessor
from nbaprops.seasons import season_start

FEATURE_VERSION = "v2"

# The market's consensus per (player, market): each book's latest quote de-vigged (a missing price counts
# as -110), then the logit mean of the fair over probabilities of the books quoting the modal line (ties:
# the lower line).
_IMPLIED = "CASE WHEN {p} > 0 THEN 100.0 / ({p} + 100.0) ELSE -{p} / (100.0 - {p}) END"
_MARKET_CTES = f"""
        quotes AS (
            SELECT player_lookup, market, line,
                   {_IMPLIED.format(p='over')} / ({_IMPLIED.format(p='over')} + {_IMPLIED.format(p='under')})
                   AS fair_over
            FROM (SELECT *, coalesce(over_price, -110) AS over, coalesce(under_price, -110) AS under
                  FROM nba_raw.player_prop_lines WHERE game_date = $game_date AND list_contains($markets, market))
            QUALIFY row_number() OVER (PARTITION BY player_lookup, market, lower(bookmaker)
                                       ORDER BY snapshot_utc DESC NULLS LAST) = 1
        ),
        modal AS (
            SELECT player_lookup, market, line FROM quotes GROUP BY player_lookup, market, line
            QUALIFY row_number() OVER (PARTITION BY player_lookup, market ORDER BY count(*) DESC, line) = 1
        ),
        consensus AS (
            SELECT q.player_lookup, q.market, any_value(q.line) AS market_line, count(*) AS market_books,
                   1.0 / (1.0 + exp(-avg(ln(least(greatest(q.fair_over, 0.001), 0.999)
                                          / (1.0 - least(greatest(q.fair_over, 0.001), 0.999)))))) AS market_p_over
            FROM quotes q JOIN modal m USING (player_lookup, market, line)
            GROUP BY q.player_lookup, q.market
        )"""
# Teammates' absence: the season minutes of each team's regulars (10+ minutes a game, 3+ games) who
# missed its last game or are out on the date's injury report. Usage: the player's share of his
# team's possessions while on the floor, this season.
_CONTEXT_CTES = """
        season_games AS (
            SELECT * FROM nba_analytics.player_game_summary
            WHERE game_date < $game_date AND game_date >= $season_start
        ),
        regulars AS (
            SELECT player_lookup, arg_max(team, game_date) AS team, avg(minutes) AS avg_minutes,
                   max(game_date) AS last_played
            FROM season_games WHERE played GROUP BY player_lookup HAVING count(*) >= 3 AND avg(minutes) >= 10
        ),
        team_last AS (SELECT team, max(game_date) AS last_team_game FROM season_games GROUP BY team),
        out_today AS (
            SELECT player_lookup FROM nba_raw.injury_report WHERE game_date = $game_date
            GROUP BY player_lookup HAVING arg_max(status, reported_utc) ILIKE 'out%'
        ),
        missing AS (
            SELECT r.team, r.player_lookup, r.avg_minutes FROM regulars r JOIN team_last t USING (team)
            WHERE r.last_played < t.last_team_game OR r.player_lookup IN (SELECT player_lookup FROM out_today)
        ),
        -- A join, not a subquery per row: PostgreSQL runs a correlated subquery (and the CTEs under it)
        -- once for every upcoming player.
        teammates_out AS (
            SELECT p.team, p.player_lookup, sum(o.avg_minutes) AS minutes_out
            FROM (SELECT DISTINCT team, player_lookup FROM ctx) p
            JOIN missing o ON o.team = p.team AND o.player_lookup <> p.player_lookup
            GROUP BY p.team, p.player_lookup
        ),
        usage AS (
            SELECT g.player_lookup,
                   100.0 * sum(g.fga + 0.44 * g.fta + g.tov)
                   / nullif(sum(g.minutes * t.possessions / 48.0), 0) AS usage_season
            FROM season_games g JOIN nba_analytics.team_offense_game_summary t
              ON t.game_id = g.game_id AND t.team = g.team
            WHERE g.played GROUP BY g.player_lookup
        )"""


class _MarketsProcessor(SqlProcessor):
    def params(self, ctx: ProcessorContext, game_date: date) -> dict[str, Any]:
        params = super().params(ctx, game_date)
        params["markets"] = list(ctx.markets)
        params["prior_season_start"] = season_start(params["season_start"] - timedelta(days=1))
        config = ctx.settings.predictions
        params["carry_over_games"] = float(config.carry_over_games)
        params["prior_regression_games"] = float(config.prior_regression_games)
        return params


class PlayerDailyCacheProcessor(_MarketsProcessor):
    """Rolling form (last 5, last 10, season) of each upcoming player in every configured market.

    Last season carries over: its per-game rate, regressed to that season's league mean by the
    player's games (`prior_regression_games` games of the mean), is worth `carry_over_games` games
    of this season's average; a player without games this season starts from it (last 5 and last
    10 too, and last season's minutes). `prior_games` counts last season's games.
    """

    name = "player_daily_cache"
    phase = "phase4"
    output_table = "nba_precompute.player_daily_cache"
    inputs = ("nba_analytics.upcoming_player_game_context", "nba_analytics.player_game_summary")
    expected_sql = """
        SELECT count(*) * array_length($markets) FROM nba_analytics.upcoming_player_game_context
        WHERE game_date = $game_date
    """
    sql = """
        WITH players AS (
            SELECT DISTINCT player_lookup FROM nba_analytics.upcoming_player_game_context
            WHERE game_date = $game_date
        ),
        games AS (
            SELECT p.player_lookup, p.game_date, p.minutes, p.points, p.rebounds, p.assists, p.threes, p.pra,
                   row_number() OVER (PARTITION BY p.player_lookup ORDER BY p.game_date DESC) AS rn
            FROM nba_analytics.player_game_summary p JOIN players USING (player_lookup)
            WHERE p.game_date < $game_date AND p.game_date >= $season_start AND p.played
        ),
        long AS (
            SELECT g.player_lookup, g.game_date, g.minutes, g.rn, u.market, u.stat
            FROM games g CROSS JOIN LATERAL (VALUES ('points', g.points), ('rebounds', g.rebounds),
                ('assists', g.assists), ('threes', g.threes), ('pra', g.pra)) AS u(market, stat)
            WHERE u.stat IS NOT NULL
        ),
        form AS (
            SELECT player_lookup, market,
                   avg(stat) FILTER (WHERE rn <= 5) AS stat_last5,
                   avg(stat) FILTER (WHERE rn <= 10) AS stat_last10,
                   avg(stat) AS stat_season,
                   stddev_samp(stat) FILTER (WHERE rn <= 10) AS stat_std_last10,
                   max(stat) FILTER (WHERE rn = 1) AS stat_last_game,
                   avg(minutes) FILTER (WHERE rn <= 5) AS minutes_last5,
                   avg(minutes) AS minutes_season,
                   CAST(count(*) AS INTEGER) AS games_played,
                   max(game_date) AS last_game_date
            FROM long GROUP BY player_lookup, market
        ),
        prior_games AS (
            SELECT g.player_lookup, g.minutes, g.points, g.rebounds, g.assists, g.threes, g.pra
            FROM nba_analytics.player_game_summary g
            WHERE g.game_date >= $prior_season_start AND g.game_date < $season_start AND g.played
        ),
        prior_long AS (
            SELECT g.player_lookup, g.minutes, u.market, u.stat
            FROM prior_games g CROSS JOIN LATERAL (VALUES ('points', g.points), ('rebounds', g.rebounds),
                ('assists', g.assists), ('threes', g.threes), ('pra', g.pra)) AS u(market, stat)
            WHERE u.stat IS NOT NULL
        ),
        -- One pass over last season's games (each stat an INTEGER: the same means as over prior_long).
        prior_league AS (
            SELECT u.market, u.league_rate
            FROM (SELECT avg(points) AS points, avg(rebounds) AS rebounds, avg(assists) AS assists,
                         avg(threes) AS threes, avg(pra) AS pra FROM prior_games) g
            CROSS JOIN LATERAL (VALUES ('points', g.points), ('rebounds', g.rebounds), ('assists', g.assists),
                ('threes', g.threes), ('pra', g.pra)) AS u(market, league_rate)
            WHERE u.league_rate IS NOT NULL
        ),
        prior AS (
            SELECT l.player_lookup, l.market, CAST(count(*) AS INTEGER) AS prior_games,
                   avg(l.minutes) AS prior_minutes,
                   (sum(l.stat) + $prior_regression_games * any_value(lg.league_rate))
                   / (count(*) + $prior_regression_games) AS prior_rate
            FROM prior_long l JOIN prior_league lg USING (market)
            WHERE l.player_lookup IN (SELECT player_lookup FROM players)
            GROUP BY l.player_lookup, l.market
        ),
        blended AS (
            SELECT p.player_lookup, m.market, f.stat_last5, f.stat_last10, f.stat_season, f.stat_std_last10,
                   f.stat_last_game, f.minutes_last5, f.minutes_season, f.games_played, f.last_game_date,
                   pr.prior_games, pr.prior_minutes,
                   CASE WHEN pr.prior_rate IS NULL OR $carry_over_games = 0 THEN f.stat_season
                        ELSE (coalesce(f.games_played, 0) * coalesce(f.stat_season, 0)
                              + $carry_over_games * pr.prior_rate)
                             / (coalesce(f.games_played, 0) + $carry_over_games) END AS season_rate
            FROM players p CROSS JOIN (SELECT unnest($markets) AS market) m
            LEFT JOIN form f ON f.player_lookup = p.player_lookup AND f.market = m.market
            LEFT JOIN prior pr ON pr.player_lookup = p.player_lookup AND pr.market = m.market
        )
        SELECT $game_date AS game_date, b.player_lookup, b.market,
               coalesce(b.stat_last5, b.season_rate) AS stat_last5,
               coalesce(b.stat_last10, b.season_rate) AS stat_last10,
               b.season_rate AS stat_season, b.stat_std_last10, b.stat_last_game,
               coalesce(b.minutes_last5, b.prior_minutes) AS minutes_last5,
               coalesce(b.minutes_season, b.prior_minutes) AS minutes_season,
               CAST(coalesce(b.games_played, 0) AS INTEGER) AS games_played,
               b.last_game_date, CAST(coalesce(b.prior_games, 0) AS INTEGER) AS prior_games
        FROM blended b
    """


class MlFeatureStoreProcessor(_MarketsProcessor):
    """One feature row a (player, market) with a line: form, rest, venue, opponent and pace."""

    name = "ml_feature_store"
    phase = "phase4"
    output_table = "nba_precompute.ml_feature_store"
    inputs = ("nba_precompute.player_daily_cache", "nba_analytics.upcoming_player_game_context",
              "nba_analytics.team_defense_game_summary", "nba_analytics.team_offense_game_summary")
    expected_sql = """
        SELECT count(*) FROM (
            SELECT unnest(markets) AS market FROM nba_analytics.upcoming_player_game_context
            WHERE game_date = $game_date
        ) WHERE list_contains($markets, market)
    """
    sql = f"""
        WITH ctx AS (
            SELECT game_date, game_id, player_lookup, team, opponent, is_home, days_rest, is_back_to_back,
                   unnest(markets) AS market
            FROM nba_analytics.upcoming_player_game_context WHERE game_date = $game_date
        ),
        allowed AS (
            SELECT team, market, avg(allowed) AS allowed_per_game
            FROM nba_analytics.team_defense_game_summary d
            CROSS JOIN LATERAL (VALUES ('points', d.points_allowed), ('rebounds', d.rebounds_allowed),
                ('assists', d.assists_allowed), ('threes', d.threes_allowed), ('pra', d.pra_allowed))
                AS u(market, allowed)
            WHERE d.game_date < $game_date AND d.game_date >= $season_start AND u.allowed IS NOT NULL
            GROUP BY team, market
        ),
        league AS (SELECT market, avg(allowed_per_game) AS league_allowed FROM allowed GROUP BY market),
        pace AS (
            SELECT team, avg(pace) FILTER (WHERE rn <= 10) AS pace_last10
            FROM (SELECT team, pace, row_number() OVER (PARTITION BY team ORDER BY game_date DESC) AS rn
                  FROM nba_analytics.team_offense_game_summary
                  WHERE game_date < $game_date AND game_date >= $season_start)
            GROUP BY team
        ),
        league_pace AS (
            SELECT avg(pace) AS league_pace FROM nba_analytics.team_offense_game_summary
            WHERE game_date < $game_date AND game_date >= $season_start
        ),
        {_MARKET_CTES},{_CONTEXT_CTES}
        SELECT c.game_date, c.game_id, c.player_lookup, c.market, c.team, c.opponent, c.is_home,
               d.stat_last5, d.stat_last10, d.stat_season, d.stat_std_last10, d.stat_last_game,
               d.minutes_last5, d.minutes_season, CAST(coalesce(d.games_played, 0) AS INTEGER) AS games_played,
               CAST(coalesce(d.prior_games, 0) AS INTEGER) AS prior_games,
               c.days_rest, coalesce(c.is_back_to_back, false) AS is_back_to_back,
               coalesce(a.allowed_per_game / nullif(l.league_allowed, 0), 1.0) AS opp_allowed_ratio,
               tp.pace_last10 AS team_pace, op.pace_last10 AS opp_pace,
               (SELECT league_pace FROM league_pace) AS league_pace,
               '{FEATURE_VERSION}' AS feature_version,
               mk.market_line, mk.market_p_over, CAST(mk.market_books AS INTEGER) AS market_books,
               coalesce(tm.minutes_out, 0.0) AS teammates_minutes_out,
               u.usage_season
        FROM ctx c
        LEFT JOIN nba_precompute.player_daily_cache d
               ON d.game_date = c.game_date AND d.player_lookup = c.player_lookup AND d.market = c.market
        LEFT JOIN allowed a ON a.team = c.opponent AND a.market = c.market
        LEFT JOIN league l ON l.market = c.market
        LEFT JOIN pace tp ON tp.team = c.team
        LEFT JOIN pace op ON op.team = c.opponent
        LEFT JOIN consensus mk ON mk.player_lookup = c.player_lookup AND mk.market = c.market
        LEFT JOIN usage u ON u.player_lookup = c.player_lookup
        LEFT JOIN teammates_out tm ON tm.team = c.team AND tm.player_lookup = c.player_lookup
        WHERE list_contains($markets, c.market)
    """
