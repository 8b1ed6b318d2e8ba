"""Config history and rollback: every effective config a run ran under, stored once by its hash
(`nba_orchestration.config_history`), the differences between two, and writing one back.

Jobs: `_snapshot` (the redacted data and its canonical hash), `_toml` (data as `nbaprops.toml` text),
`_store` (the table), `_diff` (changed keys), `_rollback` (the file to write back, secrets kept).
"""

from nbaprops.ops.config_history._diff import ConfigChange, diff_configs, flatten
from nbaprops.ops.config_history._rollback import RollbackPlan, plan_rollback, read_config_file, write_rollback
from nbaprops.ops.config_history._snapshot import REDACTED, ConfigSnapshot, canonical_json, default_data, snapshot
from nbaprops.ops.config_history._store import ConfigUse, config_history, record_config, stored_config
from nbaprops.ops.config_history._toml import changed_from, to_toml

__all__ = [
    "REDACTED",
    "ConfigChange",
    "ConfigSnapshot",
    "ConfigUse",
    "RollbackPlan",
    "canonical_json",
    "changed_from",
    "config_history",
    "default_data",
    "diff_configs",
    "flatten",
    "plan_rollback",
    "read_config_file",
    "record_config",
    "snapshot",
    "stored_config",
    "to_toml",
    "write_rollback",
]
