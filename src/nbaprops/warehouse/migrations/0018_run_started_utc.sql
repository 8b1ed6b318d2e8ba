-- When each processor run began on the wall clock. `started_at` is the run's own clock, virtual in
-- backfills (a season replayed in minutes starts its runs in the past): the stuck-work sweep measures how
-- long a run has been 'running' from this column, so a virtual run is not stuck just for starting in 2024.
ALTER TABLE nba_orchestration.processor_run_history ADD COLUMN started_utc TIMESTAMP;
