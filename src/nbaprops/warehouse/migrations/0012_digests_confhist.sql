-- The daily digest (issue 18): one row a date the worker sent it for, claimed before sending, so a
-- restarted worker never sends a date's digest twice. Times are wall-clock UTC.
CREATE TABLE nba_orchestration.digests (
    game_date DATE PRIMARY KEY,
    claimed_utc TIMESTAMP NOT NULL,
    sent_utc TIMESTAMP,
    channels INTEGER,                     -- channels tried
    delivered INTEGER,                    -- channels that accepted it
    title VARCHAR NOT NULL
);
