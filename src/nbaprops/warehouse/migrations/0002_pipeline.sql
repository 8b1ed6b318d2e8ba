-- Phase 2-5 tables and grading. Every table is written one (table, game_date) partition at a time.

-- Phase 2: normalised raw tables, filled per game_date from a source (replay, sim or live).
CREATE TABLE nba_raw.schedule (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, season VARCHAR NOT NULL, season_type VARCHAR NOT NULL,
    home_team VARCHAR NOT NULL, away_team VARCHAR NOT NULL, tipoff_utc TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL               -- scheduled, final, postponed
);
CREATE TABLE nba_raw.player_boxscores (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, player_lookup VARCHAR NOT NULL, player_name VARCHAR NOT NULL,
    team VARCHAR NOT NULL, opponent VARCHAR NOT NULL, is_home BOOLEAN NOT NULL, minutes DOUBLE NOT NULL,
    pts INTEGER, reb INTEGER, ast INTEGER, fg3m INTEGER, fg3a INTEGER, fgm INTEGER, fga INTEGER,
    ftm INTEGER, fta INTEGER, oreb INTEGER, dreb INTEGER, stl INTEGER, blk INTEGER, tov INTEGER, pf INTEGER,
    plus_minus DOUBLE
);
CREATE TABLE nba_raw.team_boxscores (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, team VARCHAR NOT NULL, opponent VARCHAR NOT NULL,
    is_home BOOLEAN NOT NULL, win BOOLEAN, minutes DOUBLE,
    pts INTEGER, fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER, ftm INTEGER, fta INTEGER,
    oreb INTEGER, dreb INTEGER, reb INTEGER, ast INTEGER, stl INTEGER, blk INTEGER, tov INTEGER, pf INTEGER
);
CREATE TABLE nba_raw.player_prop_lines (
    game_date DATE NOT NULL, game_id VARCHAR, event_id VARCHAR, player_lookup VARCHAR NOT NULL,
    player_name VARCHAR NOT NULL, market VARCHAR NOT NULL, bookmaker VARCHAR NOT NULL, line DOUBLE NOT NULL,
    over_price INTEGER, under_price INTEGER, snapshot_utc TIMESTAMP, home_team VARCHAR NOT NULL,
    away_team VARCHAR NOT NULL
);
CREATE TABLE nba_raw.injury_report (
    game_date DATE NOT NULL, team VARCHAR NOT NULL, player_lookup VARCHAR NOT NULL, player_name VARCHAR NOT NULL,
    status VARCHAR NOT NULL, reason VARCHAR, reported_utc TIMESTAMP NOT NULL
);

-- Phase 3: analytics.
CREATE TABLE nba_analytics.player_game_summary (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, player_lookup VARCHAR NOT NULL, player_name VARCHAR NOT NULL,
    team VARCHAR NOT NULL, opponent VARCHAR NOT NULL, is_home BOOLEAN NOT NULL, minutes DOUBLE NOT NULL,
    points INTEGER, rebounds INTEGER, assists INTEGER, threes INTEGER, pra INTEGER,
    fga INTEGER, fg3a INTEGER, fta INTEGER, tov INTEGER, played BOOLEAN NOT NULL
);
CREATE TABLE nba_analytics.team_offense_game_summary (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, team VARCHAR NOT NULL, opponent VARCHAR NOT NULL,
    is_home BOOLEAN NOT NULL, points INTEGER, rebounds INTEGER, assists INTEGER, threes INTEGER,
    possessions DOUBLE, pace DOUBLE, offensive_rating DOUBLE
);
CREATE TABLE nba_analytics.team_defense_game_summary (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, team VARCHAR NOT NULL, opponent VARCHAR NOT NULL,
    is_home BOOLEAN NOT NULL, points_allowed INTEGER, rebounds_allowed INTEGER, assists_allowed INTEGER,
    threes_allowed INTEGER, pra_allowed INTEGER, possessions DOUBLE, defensive_rating DOUBLE
);
CREATE TABLE nba_analytics.upcoming_player_game_context (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, player_lookup VARCHAR NOT NULL, player_name VARCHAR NOT NULL,
    team VARCHAR, opponent VARCHAR, is_home BOOLEAN, days_rest INTEGER, is_back_to_back BOOLEAN,
    games_played INTEGER NOT NULL, injury_status VARCHAR, markets VARCHAR[] NOT NULL,
    lines_snapshot_utc TIMESTAMP
);
CREATE TABLE nba_analytics.upcoming_team_game_context (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, team VARCHAR NOT NULL, opponent VARCHAR NOT NULL,
    is_home BOOLEAN NOT NULL, days_rest INTEGER, is_back_to_back BOOLEAN, games_played INTEGER NOT NULL,
    pace_last10 DOUBLE, opp_pace_last10 DOUBLE
);

-- Phase 4: features.
CREATE TABLE nba_precompute.player_daily_cache (
    game_date DATE NOT NULL, player_lookup VARCHAR NOT NULL, market VARCHAR NOT NULL,
    stat_last5 DOUBLE, stat_last10 DOUBLE, stat_season DOUBLE, stat_std_last10 DOUBLE, stat_last_game DOUBLE,
    minutes_last5 DOUBLE, minutes_season DOUBLE, games_played INTEGER NOT NULL, last_game_date DATE
);
CREATE TABLE nba_precompute.ml_feature_store (
    game_date DATE NOT NULL, game_id VARCHAR NOT NULL, player_lookup VARCHAR NOT NULL, market VARCHAR NOT NULL,
    team VARCHAR, opponent VARCHAR, is_home BOOLEAN,
    stat_last5 DOUBLE, stat_last10 DOUBLE, stat_season DOUBLE, stat_std_last10 DOUBLE, stat_last_game DOUBLE,
    minutes_last5 DOUBLE, minutes_season DOUBLE, games_played INTEGER NOT NULL,
    days_rest INTEGER, is_back_to_back BOOLEAN, opp_allowed_ratio DOUBLE,
    team_pace DOUBLE, opp_pace DOUBLE, league_pace DOUBLE,
    feature_version VARCHAR NOT NULL
);

-- Phase 5: predictions. A newer prediction for (player, market, system) sets the old one's is_active false.
CREATE TABLE nba_predictions.player_prop_predictions (
    prediction_id VARCHAR NOT NULL, game_date DATE NOT NULL, game_id VARCHAR NOT NULL,
    player_lookup VARCHAR NOT NULL, market VARCHAR NOT NULL, system_id VARCHAR NOT NULL,
    predicted_value DOUBLE NOT NULL, predicted_std DOUBLE, distribution VARCHAR,
    line_value DOUBLE, bookmaker VARCHAR, over_price INTEGER, under_price INTEGER,
    line_source VARCHAR NOT NULL,          -- preferred, consensus, none
    p_over DOUBLE, p_fair_over DOUBLE, edge DOUBLE, expected_value DOUBLE, confidence DOUBLE,
    recommendation VARCHAR NOT NULL,       -- OVER, UNDER, PASS, NO_LINE
    is_active BOOLEAN NOT NULL, run_id VARCHAR, created_at TIMESTAMP NOT NULL
);

CREATE TABLE nba_predictions.prediction_accuracy (
    prediction_id VARCHAR NOT NULL, game_date DATE NOT NULL, game_id VARCHAR NOT NULL,
    player_lookup VARCHAR NOT NULL, market VARCHAR NOT NULL, system_id VARCHAR NOT NULL,
    recommendation VARCHAR NOT NULL, bookmaker VARCHAR, line_source VARCHAR,
    predicted_value DOUBLE, line_value DOUBLE, actual_value DOUBLE, p_over DOUBLE, confidence DOUBLE,
    prediction_correct BOOLEAN, is_push BOOLEAN NOT NULL, is_void BOOLEAN NOT NULL, void_reason VARCHAR,
    absolute_error DOUBLE, signed_error DOUBLE, predicted_margin DOUBLE, actual_margin DOUBLE,
    within_3_points BOOLEAN, within_5_points BOOLEAN, confidence_decile INTEGER, profit_units DOUBLE,
    graded_at TIMESTAMP NOT NULL
);

-- Every run of every processor.
CREATE TABLE nba_orchestration.processor_run_history (
    processor VARCHAR NOT NULL, phase VARCHAR NOT NULL, game_date DATE NOT NULL, run_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL, status VARCHAR NOT NULL,  -- running, success, partial, failed, skipped
    records INTEGER, expected INTEGER, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
    error_class VARCHAR, error_message VARCHAR
);
