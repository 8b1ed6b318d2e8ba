-- Auto-remediations: one audit row each time the system acted on a known cause, or stopped at a
-- safety limit and paged a person. Times without `_utc` are the run's clock (virtual in tests).
CREATE TABLE nba_orchestration.remediations (
    remediation_id VARCHAR PRIMARY KEY,   -- the action, target, game_date and start: one row a try
    fingerprint VARCHAR,                  -- the incident remedied (NULL: no incident, e.g. a quota reading)
    action VARCHAR NOT NULL,              -- retrigger_phase, switch_source, requeue_stuck, regrade, pause_polling
    target VARCHAR NOT NULL,              -- what it acted on: a processor, a source, a workflow, a poll kind
    game_date DATE,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,                -- a pause: when it ends
    outcome VARCHAR NOT NULL,             -- running, success, failed, paged
    detail VARCHAR NOT NULL,              -- what was done (the workflow started, ...) or the page's diagnosis
    limit_state VARCHAR NOT NULL,         -- JSON: the limit used when it was judged
    workflow_id VARCHAR,                  -- the workflow it started (a re-trigger, a regrade)
    recorded_utc TIMESTAMP NOT NULL
);
