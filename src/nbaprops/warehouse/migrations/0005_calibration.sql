-- The system's own p_over before the market blend (p_over holds the blended, calibrated one).
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN p_over_model DOUBLE;
