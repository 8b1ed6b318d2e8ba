-- Orchestration records: which phases of which workflow completed, and every decision taken.
-- JSON columns hold JSON text. `decided_at` / `started_at` / `completed_at` are the run's clock
-- (virtual in backfills and tests); `*_utc` columns are wall-clock time.

-- One row a (workflow, phase), written once, in one transaction, when the phase is over.
CREATE TABLE nba_orchestration.phase_completions (
    workflow_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, game_date DATE NOT NULL, mode VARCHAR NOT NULL,
    phase VARCHAR NOT NULL,
    status VARCHAR NOT NULL,              -- complete, degraded, failed, skipped
    processors VARCHAR NOT NULL,          -- JSON: processor -> {target_date, state, records, expected, attempts}
    started_at TIMESTAMP NOT NULL, completed_at TIMESTAMP NOT NULL,
    started_utc TIMESTAMP NOT NULL, completed_utc TIMESTAMP NOT NULL,
    PRIMARY KEY (workflow_id, phase)
);

-- Every decision: gate decisions, completeness retries, give-ups, timeouts, events applied or skipped.
-- event_id is derived from the workflow and the decision's place in it, so a re-executed step
-- cannot record a decision twice.
CREATE TABLE nba_orchestration.orchestration_events (
    event_id VARCHAR PRIMARY KEY, workflow_id VARCHAR NOT NULL, game_date DATE NOT NULL, mode VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,                -- gate, retry, give_up, timeout, failure, data_event, dependency
    gate VARCHAR,                         -- the gate's name for gate decisions
    processor VARCHAR,                    -- the processor a retry, give-up or timeout is about
    decision VARCHAR NOT NULL,            -- proceed, wait, proceed_degraded, fail, retry, give_up, ...
    reason VARCHAR NOT NULL,              -- in words: which processors, which numbers
    alert BOOLEAN NOT NULL,
    inputs VARCHAR NOT NULL,              -- JSON: everything the decision was made on
    decided_at TIMESTAMP NOT NULL, recorded_utc TIMESTAMP NOT NULL
);
