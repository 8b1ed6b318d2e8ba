-- A token per (table, game_date), replaced by every write of one of that table's partitions of the date,
-- in the write's own transaction. A reader that keeps rows of earlier dates between runs (`DatedReads`)
-- re-reads a date only when a token of it moved. Dates written before this table existed have no token:
-- they have not changed since, and any later write gives them one.
CREATE TABLE IF NOT EXISTS nba_orchestration.partition_versions (
    table_name VARCHAR NOT NULL,
    game_date DATE NOT NULL,
    version VARCHAR NOT NULL,
    PRIMARY KEY (table_name, game_date)
);
