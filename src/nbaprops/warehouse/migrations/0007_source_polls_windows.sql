-- The worker's scraper-window polls (`[sources.windows]`): one row a (kind, date, source, slot),
-- written once, so a restarted worker knows what it polled and does not poll a slot again.
-- `slot_at` is the window slot the poll filled, `polled_at` when it ran (both naive UTC).
CREATE TABLE IF NOT EXISTS nba_orchestration.source_polls (
    kind VARCHAR NOT NULL,                -- schedule, props, injuries, box_scores
    game_date DATE NOT NULL,
    source VARCHAR NOT NULL,              -- the worker's source kind: live, replay, sim
    slot_at TIMESTAMP NOT NULL,
    polled_at TIMESTAMP NOT NULL,
    rows_seen INTEGER NOT NULL,           -- rows the source served for the kind and date
    fingerprint VARCHAR NOT NULL,         -- hash of what was served: a new one is new data
    complete BOOLEAN NOT NULL,            -- box scores: every final game had its box score
    games VARCHAR,                        -- schedule polls: JSON [{game_id, tipoff_utc, status}]
    event_workflow_id VARCHAR,            -- the event (or results run) the poll published, if any
    reason VARCHAR NOT NULL,              -- why the poll was due, and what it found, in words
    PRIMARY KEY (kind, game_date, source, slot_at)
);
