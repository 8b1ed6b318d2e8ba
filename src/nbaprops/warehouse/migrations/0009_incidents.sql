-- Incidents and manual interventions. Times without `_utc` are the run's clock (virtual in backfills
-- and tests); `*_utc` columns are wall-clock time. JSON columns hold JSON text.

-- One row an incident: failures of one fingerprint (component, error class, game_date) from the first
-- failure to the recovery. At most one incident of a fingerprint is open at a time.
CREATE TABLE nba_orchestration.incidents (
    incident_id VARCHAR PRIMARY KEY,      -- the fingerprint and the key of the failure that opened it
    fingerprint VARCHAR NOT NULL,
    component VARCHAR NOT NULL,           -- a processor, a gate, a source
    error_class VARCHAR NOT NULL,         -- an exception class, Class:FailureKind, RetryBudgetExhausted, ...
    game_date DATE NOT NULL,
    status VARCHAR NOT NULL,              -- open, resolved
    opened_at TIMESTAMP NOT NULL,         -- the first failing attempt started
    detected_at TIMESTAMP NOT NULL,       -- the first failure was seen (the attempt ended)
    last_failure_at TIMESTAMP NOT NULL,
    failures INTEGER NOT NULL,
    failure_keys VARCHAR[] NOT NULL,      -- each failure once, so a replayed step counts nothing twice
    last_error VARCHAR,
    resolved_at TIMESTAMP,
    resolved_by VARCHAR,                  -- auto (the system recovered), manual (an operator's command)
    root_cause VARCHAR, suggested_fix VARCHAR, diagnosis_rule VARCHAR,
    remediation VARCHAR NOT NULL,         -- JSON list: what the system did (retries, refusals, ...)
    alerts VARCHAR NOT NULL,              -- JSON list: the alerts sent about it
    workflow_id VARCHAR,                  -- the workflow that saw the last failure
    recorded_utc TIMESTAMP NOT NULL
);

-- Operator commands that change state: resume, cancel, re-run, regrade.
CREATE TABLE nba_orchestration.interventions (
    intervention_id VARCHAR PRIMARY KEY,
    command VARCHAR NOT NULL,             -- resume, cancel, rerun, regrade
    target VARCHAR NOT NULL,              -- the workflow ID or the game_date acted on
    game_date DATE,
    intervened_at TIMESTAMP NOT NULL,     -- the one clock
    details VARCHAR NOT NULL,
    recorded_utc TIMESTAMP NOT NULL
);
