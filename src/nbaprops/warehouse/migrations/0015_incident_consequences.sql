-- The failures that followed from an incident's root cause (a processor short of the rows a failed
-- one upstream did not write, a gate failing on it): they join the incident instead of opening their
-- own and paging again. JSON list of components.
ALTER TABLE nba_orchestration.incidents ADD COLUMN consequences VARCHAR DEFAULT '[]';
