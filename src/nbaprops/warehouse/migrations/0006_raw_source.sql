-- Which source served each Phase 2 row (replay, synthetic, nbacom, espn, balldontlie, odds_api,
-- bettingpros). Nullable: rows written before this migration have none.
ALTER TABLE nba_raw.schedule ADD COLUMN source VARCHAR;
ALTER TABLE nba_raw.player_boxscores ADD COLUMN source VARCHAR;
ALTER TABLE nba_raw.team_boxscores ADD COLUMN source VARCHAR;
ALTER TABLE nba_raw.player_prop_lines ADD COLUMN source VARCHAR;
ALTER TABLE nba_raw.injury_report ADD COLUMN source VARCHAR;
