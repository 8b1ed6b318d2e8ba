-- Schemas of the platform and the history store that ingest fills and the replay source serves.
CREATE SCHEMA IF NOT EXISTS nba_raw;
CREATE SCHEMA IF NOT EXISTS nba_analytics;
CREATE SCHEMA IF NOT EXISTS nba_precompute;
CREATE SCHEMA IF NOT EXISTS nba_predictions;
CREATE SCHEMA IF NOT EXISTS nba_orchestration;

-- One row a game, from team game logs (both sides folded into one row).
CREATE TABLE nba_raw.history_games (
    game_id        VARCHAR NOT NULL,
    game_date      DATE NOT NULL,
    season         VARCHAR NOT NULL,      -- '2024-25'
    season_type    VARCHAR NOT NULL,      -- preseason, regular, playoffs, play_in, cup_final
    home_team      VARCHAR NOT NULL,      -- tricode
    away_team      VARCHAR NOT NULL,
    tipoff_utc     TIMESTAMP,             -- NULL when the source has no time
    source_key     VARCHAR NOT NULL
);

CREATE TABLE nba_raw.history_team_boxscores (
    game_id        VARCHAR NOT NULL,
    game_date      DATE NOT NULL,
    season         VARCHAR NOT NULL,
    season_type    VARCHAR NOT NULL,
    team           VARCHAR NOT NULL,
    opponent       VARCHAR NOT NULL,
    is_home        BOOLEAN NOT NULL,
    win            BOOLEAN,
    minutes        DOUBLE,
    pts INTEGER, fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER, ftm INTEGER, fta INTEGER,
    oreb INTEGER, dreb INTEGER, reb INTEGER, ast INTEGER, stl INTEGER, blk INTEGER, tov INTEGER, pf INTEGER,
    plus_minus     DOUBLE,
    source_key     VARCHAR NOT NULL,
    source_line    INTEGER NOT NULL
);

-- Player box scores; game_id is found by (game_date, team) in history_games when the file has none.
CREATE TABLE nba_raw.history_player_boxscores (
    game_date      DATE NOT NULL,
    season         VARCHAR NOT NULL,
    player_name    VARCHAR NOT NULL,
    player_lookup  VARCHAR NOT NULL,
    player_id      VARCHAR,
    team           VARCHAR NOT NULL,
    opponent       VARCHAR NOT NULL,
    is_home        BOOLEAN NOT NULL,
    minutes        DOUBLE NOT NULL,
    pts INTEGER, reb INTEGER, ast INTEGER, fg3m INTEGER, fg3a INTEGER, fgm INTEGER, fga INTEGER,
    ftm INTEGER, fta INTEGER, oreb INTEGER, dreb INTEGER, stl INTEGER, blk INTEGER, tov INTEGER, pf INTEGER,
    plus_minus     DOUBLE,
    source_key     VARCHAR NOT NULL,
    source_line    INTEGER NOT NULL
);

-- Sportsbook player prop lines, one row a (player, market, bookmaker, snapshot).
CREATE TABLE nba_raw.history_prop_lines (
    game_date      DATE NOT NULL,         -- US Eastern date of tip-off
    event_id       VARCHAR,
    player_name    VARCHAR NOT NULL,
    player_lookup  VARCHAR NOT NULL,
    market         VARCHAR NOT NULL,      -- points, rebounds, assists, threes, pra, ...
    bookmaker      VARCHAR NOT NULL,      -- lower-case key: draftkings, fanduel, ...
    line           DOUBLE NOT NULL,
    over_price     INTEGER,               -- American odds
    under_price    INTEGER,
    snapshot_utc   TIMESTAMP,             -- when the line was seen; NULL when the file has no time
    tipoff_utc     TIMESTAMP,
    home_team      VARCHAR NOT NULL,
    away_team      VARCHAR NOT NULL,
    source_key     VARCHAR NOT NULL,
    source_line    INTEGER NOT NULL
);

CREATE TABLE nba_raw.history_injuries (
    game_date      DATE NOT NULL,
    team           VARCHAR NOT NULL,
    player_name    VARCHAR NOT NULL,
    player_lookup  VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,      -- out, doubtful, questionable, probable, available
    reason         VARCHAR,
    reported_utc   TIMESTAMP NOT NULL,
    source_key     VARCHAR NOT NULL,
    source_line    INTEGER NOT NULL
);

-- Rows that could not be loaded, with where and why.
CREATE TABLE nba_raw.quarantine (
    source_key     VARCHAR NOT NULL,
    line_number    INTEGER NOT NULL,
    format         VARCHAR NOT NULL,
    field          VARCHAR,
    reason         VARCHAR NOT NULL,
    raw_line       VARCHAR,
    quarantined_utc TIMESTAMP NOT NULL
);

-- One row a file ingested: re-ingesting an unchanged file is a no-op.
CREATE TABLE nba_raw.ingested_files (
    source_key     VARCHAR PRIMARY KEY,
    format         VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    rows_loaded    INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    ingested_utc   TIMESTAMP NOT NULL
);
