-- Prediction systems' versions and roles (issue 18). Each prediction carries the version of the
-- system that made it (code version, training window, parameter hash), the system's role in the
-- market when it predicted (champion, canary, shadow, retired) and whether its pick is one of the
-- day's picks (the champion's, or the canary's share of the rows; a shadow's never).
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN system_version VARCHAR;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN system_role VARCHAR;
ALTER TABLE nba_predictions.player_prop_predictions ADD COLUMN makes_pick BOOLEAN;

-- The current role of each system in each market: seeded from `[systems]` the first time a market is
-- predicted, then changed only by promotions, rollbacks and operators. `picks_disabled` holds why a
-- champion stopped picking (decay with auto_disable); NULL while it picks.
CREATE TABLE nba_predictions.system_roles (
    market VARCHAR NOT NULL,
    system_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,                -- champion, canary, shadow, retired
    since TIMESTAMP NOT NULL,             -- the run's clock when the role began
    since_game_date DATE,                 -- the game_date of the decision (NULL: the config's initial role)
    picks_disabled VARCHAR,
    PRIMARY KEY (market, system_id)
);

-- Every decision on a system's role or picks, with its evidence: automatic promotions, rollbacks and
-- decay alerts, and operators' promotions and rollbacks. `alerted_at` is set once the alert (and, for
-- a rollback or a decay, the incident) is raised.
CREATE TABLE nba_predictions.system_decisions (
    decision_id VARCHAR PRIMARY KEY,      -- the game_date, market, system and action: one decision each
    game_date DATE NOT NULL,
    market VARCHAR NOT NULL,
    system_id VARCHAR NOT NULL,
    champion_id VARCHAR,                  -- the champion it was compared with
    action VARCHAR NOT NULL,              -- promote, rollback, decay, disable
    from_role VARCHAR,
    to_role VARCHAR,
    actor VARCHAR NOT NULL,               -- auto or manual
    reason VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,            -- JSON: rows, days, Brier scores, the difference and its bounds
    decided_at TIMESTAMP NOT NULL,
    alerted_at TIMESTAMP
);
