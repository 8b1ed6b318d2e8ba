"""`nba_orchestration.config_history`: each config once, when it was first and last in effect, and the
runs (`phase_completions.config_hash`) made under it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nbaprops.errors import UsageError
from nbaprops.ops.config_history._snapshot import ConfigSnapshot, canonical_json
from nbaprops.state import table_exists
from nbaprops.suggestions import config_history as history_command
from nbaprops.warehouse import Warehouse

CONFIG_HISTORY = "nba_orchestration.config_history"

_UPSERT = f"""
    INSERT INTO {CONFIG_HISTORY} (hash, first_seen_at, last_seen_at, config_json, toml_text)
    VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (hash) DO UPDATE SET last_seen_at = greatest(last_seen_at, excluded.last_seen_at)
"""
_HISTORY = f"""
    SELECT c.hash, c.first_seen_at, c.last_seen_at,
           (SELECT count(DISTINCT p.workflow_id) FROM nba_orchestration.phase_completions AS p
            WHERE p.config_hash = c.hash) AS runs
    FROM {CONFIG_HISTORY} AS c ORDER BY c.first_seen_at, c.hash
"""


@dataclass(frozen=True)
class ConfigUse:
    """One config of the history: when it was first and last in effect (wall clock), runs made under it."""

    hash: str
    first_seen_at: datetime
    last_seen_at: datetime
    runs: int

    def to_json(self) -> dict[str, Any]:
        return {"hash": self.hash, "first_seen_at": self.first_seen_at.isoformat(),
                "last_seen_at": self.last_seen_at.isoformat(), "runs": self.runs}


def record_config(warehouse: Warehouse, config: ConfigSnapshot, *, seen_utc: datetime | None = None) -> None:
    """Store `config` the first time it is seen; move its last_seen_at on afterwards."""
    seen = (seen_utc or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    warehouse.execute(_UPSERT, [config.hash, seen, seen, canonical_json(config.data), config.toml_text])


def config_history(warehouse: Warehouse) -> list[ConfigUse]:
    """Every stored config, oldest first (none on a warehouse without the table yet)."""
    if not table_exists(warehouse, CONFIG_HISTORY):
        return []
    return [
        ConfigUse(row["hash"], row["first_seen_at"].replace(tzinfo=UTC), row["last_seen_at"].replace(tzinfo=UTC),
                  int(row["runs"]))
        for row in warehouse.query(_HISTORY)
    ]


def stored_config(warehouse: Warehouse, hash_or_prefix: str, *, argument: str = "HASH") -> ConfigSnapshot:
    """The stored config whose hash starts with `hash_or_prefix` (which must name exactly one)."""
    prefix = hash_or_prefix.strip().lower()
    if not prefix or any(c not in "0123456789abcdef" for c in prefix):
        raise UsageError(f"{argument} {hash_or_prefix!r} is not a config hash; {history_command()} lists them.")
    rows = [] if not table_exists(warehouse, CONFIG_HISTORY) else warehouse.query(
        f"SELECT hash, config_json, toml_text FROM {CONFIG_HISTORY} WHERE starts_with(hash, ?) ORDER BY hash",
        [prefix],
    )
    if not rows:
        raise UsageError(f"{argument} {hash_or_prefix!r} matches no stored config; {history_command()} lists them.")
    if len(rows) > 1:
        matches = ", ".join(row["hash"][:12] for row in rows)
        raise UsageError(f"{argument} {hash_or_prefix!r} matches {len(rows)} configs ({matches}); give more digits.")
    row = rows[0]
    return ConfigSnapshot(row["hash"], json.loads(row["config_json"]), row["toml_text"])
