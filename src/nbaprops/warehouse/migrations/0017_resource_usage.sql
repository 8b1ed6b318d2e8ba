-- What each processor run cost the machine: one row a run attempt, written when it ends (failed ones too).
-- `started_at` is the run's clock (virtual in backfills), as in processor_run_history; the measures are real.
CREATE TABLE IF NOT EXISTS nba_orchestration.processor_run_usage (
    processor VARCHAR NOT NULL,
    phase VARCHAR NOT NULL,
    game_date DATE NOT NULL,
    run_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    source VARCHAR NOT NULL,         -- the source the run read through: replay, sim, live, chaos...
    status VARCHAR NOT NULL,         -- success, partial, failed
    started_at TIMESTAMP NOT NULL,
    wall_seconds DOUBLE NOT NULL,    -- real elapsed time (monotonic clock), whatever the run's clock
    cpu_seconds DOUBLE NOT NULL,     -- process CPU, user + system, every thread (DuckDB's workers count)
    peak_rss_bytes BIGINT NOT NULL,  -- the process's resident-memory high-water mark when the run ended
    rss_grew BOOLEAN NOT NULL,       -- the high-water mark rose during the run: this run set the peak
    rows_read BIGINT NOT NULL,       -- rows the processor's warehouse queries returned
    rows_written BIGINT,             -- rows written to its partition (NULL: it failed before writing)
    recorded_utc TIMESTAMP NOT NULL
);
