-- Market consensus and a bettor's context on each feature row: the modal line among the books quoting the
-- player, the logit mean of those books' vig-free over probabilities, how many books quote it, the season
-- minutes of teammates who missed the team's last game (or are out on the injury report) and usage; and
-- last season's games, whose rate carries over into the form of a season's first weeks.
ALTER TABLE nba_precompute.ml_feature_store ADD COLUMN market_line DOUBLE;
ALTER TABLE nba_precompute.ml_feature_store ADD COLUMN market_p_over DOUBLE;
ALTER TABLE nba_precompute.ml_feature_store ADD COLUMN market_books INTEGER;
ALTER TABLE nba_precompute.ml_feature_store ADD COLUMN teammates_minutes_out DOUBLE;
ALTER TABLE nba_precompute.ml_feature_store ADD COLUMN usage_season DOUBLE;
ALTER TABLE nba_precompute.ml_feature_store ADD COLUMN prior_games INTEGER;
ALTER TABLE nba_precompute.player_daily_cache ADD COLUMN prior_games INTEGER;
