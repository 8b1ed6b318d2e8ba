-- Config history (issue 18): every effective config a run ran under, and the hash each run recorded.
-- `hash` is the sha256 of the effective settings serialised canonically (sorted keys, secrets
-- redacted as `config show` redacts them). `first_seen_at` / `last_seen_at` are wall-clock UTC:
-- configs change in real time, whatever clock (virtual in backfills) the runs kept.
CREATE TABLE nba_orchestration.config_history (
    hash VARCHAR PRIMARY KEY,
    first_seen_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    config_json VARCHAR NOT NULL,         -- the redacted effective settings (JSON text)
    toml_text VARCHAR NOT NULL            -- what differs from the defaults, as nbaprops.toml text (redacted)
);

-- The config each phase of each run (day runs, backfill days, results runs) ran under.
ALTER TABLE nba_orchestration.phase_completions ADD COLUMN config_hash VARCHAR;
