-- The pick on each prediction (issue 13): the side bet after line shopping and the evidence and value
-- gates (OVER, UNDER, PASS or NO_LINE), the book, line and price it is placed at, the system's
-- probability of the side winning there, the market's vig-free one, the expected profit per unit,
-- the fractional Kelly stake (share of the bankroll) and, for a PASS, why.
-- line_value, bookmaker, over_price and under_price stay the reference (preferred-book) line.
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN pick VARCHAR;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN pick_bookmaker VARCHAR;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN pick_line DOUBLE;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN pick_price INTEGER;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN pick_p DOUBLE;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN pick_fair_p DOUBLE;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN pick_ev DOUBLE;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN stake DOUBLE;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN pass_reason VARCHAR;
