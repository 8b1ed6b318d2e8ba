"""One effective config as it is stored: redacted JSON data, its canonical hash, its TOML text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from nbaprops.config import Settings, redacted
from nbaprops.ops.config_history._toml import changed_from, to_toml

REDACTED = "**********"  # what pydantic writes for a set SecretStr, as `config show` prints it


@dataclass(frozen=True)
class ConfigSnapshot:
    """`data`: the settings as `config show --json` prints them; `hash`: sha256 of their canonical form."""

    hash: str
    data: dict[str, Any]
    toml_text: str

    @property
    def short_hash(self) -> str:
        return self.hash[:12]


def canonical_json(data: dict[str, Any]) -> str:
    """Sorted keys, no spaces: the same settings always give the same text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot(settings: Settings) -> ConfigSnapshot:
    """The stored form of `settings` (secrets redacted before hashing, so a key rotation is not a change)."""
    data = redacted(settings)
    digest = hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
    return ConfigSnapshot(digest, data, to_toml(changed_from(data, default_data())))


def default_data() -> dict[str, Any]:
    """Every default, as redacted JSON data (no file, no environment)."""
    return json.loads(Settings.model_construct().model_dump_json())
