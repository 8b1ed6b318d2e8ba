"""The home folder: one place for config, warehouse, orchestration state and raw payloads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = Path(".nbaprops")
HOME_ENV_VAR = "NBAPROPS_HOME"


@dataclass(frozen=True)
class Home:
    """Paths inside one nbaprops home folder."""

    root: Path

    @classmethod
    def resolve(cls, explicit: Path | str | None = None) -> Home:
        """Pick the home from the explicit argument, then `NBAPROPS_HOME`, then `./.nbaprops`."""
        chosen = explicit or os.environ.get(HOME_ENV_VAR) or DEFAULT_HOME
        return cls(Path(chosen).expanduser().resolve())

    @property
    def config_path(self) -> Path:
        return self.root / "nbaprops.toml"

    @property
    def warehouse_path(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def warehouse_target(self) -> Path | str:
        """Where the warehouse lives: `[warehouse] url` of the home's config when set (a PostgreSQL
        database), else `warehouse_path` (DuckDB)."""
        from nbaprops.config import load_settings  # config imports most of the package

        return load_settings(self.config_path).warehouse.url or self.warehouse_path

    @property
    def warehouse_exists(self) -> bool:
        """True when the warehouse was created: a PostgreSQL database always exists."""
        target = self.warehouse_target
        return isinstance(target, str) or target.exists()

    @property
    def orchestration_db_path(self) -> Path:
        return self.root / "orchestration.sqlite"

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def log_path(self) -> Path:
        """Library log records (DBOS, HTTP clients, ...) of every command run on this home."""
        return self.root / "logs" / "nbaprops.log"

    def ensure(self) -> Home:
        """Create the folder layout if it is missing; return self."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.raw_dir.mkdir(exist_ok=True)
        return self
