-- Alerting. JSON columns hold JSON text. Times are UTC.

-- Every alert event: one row per state change of an alert and per notification sent for it.
CREATE TABLE nba_orchestration.alerts (
    event_id VARCHAR NOT NULL, recorded_utc TIMESTAMP NOT NULL,
    event VARCHAR NOT NULL,               -- status_changed, notified, test
    fingerprint VARCHAR NOT NULL, name VARCHAR NOT NULL, severity VARCHAR NOT NULL, component VARCHAR NOT NULL,
    status VARCHAR NOT NULL,              -- firing, resolved, silenced, inhibited, suppressed_retry
    previous_status VARCHAR,              -- NULL for a new alert
    message VARCHAR NOT NULL, details VARCHAR NOT NULL, diagnosis VARCHAR, labels VARCHAR NOT NULL,
    group_key VARCHAR NOT NULL, silence_id VARCHAR, inhibited_by VARCHAR,
    channel VARCHAR                       -- for notified events
);

-- The current state of each alert (one row a fingerprint); an alert that fires again after it
-- resolved starts a new episode (first_seen_utc and seen_count reset).
CREATE TABLE nba_orchestration.alert_state (
    fingerprint VARCHAR NOT NULL, name VARCHAR NOT NULL, severity VARCHAR NOT NULL, component VARCHAR NOT NULL,
    status VARCHAR NOT NULL, message VARCHAR NOT NULL, details VARCHAR NOT NULL, diagnosis VARCHAR,
    labels VARCHAR NOT NULL, retry_pending BOOLEAN NOT NULL, group_key VARCHAR NOT NULL,
    first_seen_utc TIMESTAMP NOT NULL, last_seen_utc TIMESTAMP NOT NULL, seen_count INTEGER NOT NULL,
    status_since_utc TIMESTAMP NOT NULL, resolved_utc TIMESTAMP,
    last_notified_utc TIMESTAMP, notified_count INTEGER NOT NULL,
    silence_id VARCHAR, inhibited_by VARCHAR
);

CREATE TABLE nba_orchestration.alert_silences (
    silence_id VARCHAR NOT NULL, matchers VARCHAR NOT NULL,  -- JSON list of matcher strings, all must match
    created_by VARCHAR NOT NULL, comment VARCHAR NOT NULL,
    starts_utc TIMESTAMP NOT NULL, ends_utc TIMESTAMP NOT NULL,  -- unsilence moves ends_utc to now
    created_utc TIMESTAMP NOT NULL
);

-- Groups that have fired, and what each channel was last told about each group.
CREATE TABLE nba_orchestration.alert_groups (
    group_key VARCHAR NOT NULL, created_utc TIMESTAMP NOT NULL, last_flush_utc TIMESTAMP
);
CREATE TABLE nba_orchestration.alert_notification_log (
    group_key VARCHAR NOT NULL, channel VARCHAR NOT NULL, sent_utc TIMESTAMP NOT NULL,
    firing VARCHAR[] NOT NULL             -- fingerprints notified firing and not yet notified resolved
);

-- Every delivery try; channel_label never carries credentials.
CREATE TABLE nba_orchestration.alert_deliveries (
    attempted_utc TIMESTAMP NOT NULL, channel VARCHAR NOT NULL, channel_label VARCHAR NOT NULL,
    group_key VARCHAR NOT NULL, attempt INTEGER NOT NULL, ok BOOLEAN NOT NULL, error VARCHAR,
    elapsed_seconds DOUBLE NOT NULL, firing INTEGER NOT NULL, resolved INTEGER NOT NULL, is_test BOOLEAN NOT NULL
);
