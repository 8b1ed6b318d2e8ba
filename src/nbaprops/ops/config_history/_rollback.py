"""Writing a stored config back to `nbaprops.toml`: only what differs from today's defaults, with the
secrets (stored redacted) taken from the current file, which is kept as a timestamped backup."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nbaprops.errors import ConfigError
from nbaprops.ops.config_history._snapshot import REDACTED, ConfigSnapshot, default_data
from nbaprops.ops.config_history._toml import changed_from, to_toml, unwritable_keys


@dataclass(frozen=True)
class RollbackPlan:
    """The file text to write; `kept_secrets`: redacted keys given the current file's values;
    `missing_secrets`: redacted keys the current file lacks (left out: set them, or their variable);
    `unwritable`: keys whose stored value is null, which TOML cannot say (they take their default)."""

    text: str
    kept_secrets: list[str] = field(default_factory=list)
    missing_secrets: list[str] = field(default_factory=list)
    unwritable: list[str] = field(default_factory=list)


def plan_rollback(target: ConfigSnapshot, current_file: dict[str, Any]) -> RollbackPlan:
    """The `nbaprops.toml` that gives `target`'s settings (environment overrides aside)."""
    changed = changed_from(target.data, default_data())
    kept: list[str] = []
    missing: list[str] = []
    restored = _restore_secrets(changed, current_file, (), kept, missing)
    return RollbackPlan(to_toml(restored), kept, missing, unwritable_keys(restored))


def _restore_secrets(
    value: Any, current: Any, path: tuple[str, ...], kept: list[str], missing: list[str]
) -> Any:
    if isinstance(value, dict):
        restored = {}
        for key, inner in value.items():
            here = current.get(key) if isinstance(current, dict) else None
            result = _restore_secrets(inner, here, (*path, key), kept, missing)
            if result is not _DROP:
                restored[key] = result
        return restored
    if isinstance(value, list):
        items = []
        for index, inner in enumerate(value):
            here = current[index] if isinstance(current, list) and index < len(current) else None
            result = _restore_secrets(inner, here, (*path, str(index)), kept, missing)
            if result is not _DROP:
                items.append(result)
        return items
    if value == REDACTED:
        if isinstance(current, str) and current != REDACTED:
            kept.append(".".join(path))
            return current
        missing.append(".".join(path))
        return _DROP
    return value


_DROP = object()


def read_config_file(path: Path) -> dict[str, Any]:
    """The current file's TOML data ({} when there is none)."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"Cannot read {path}: {e}. Fix the TOML syntax before rolling back.") from e


def write_rollback(path: Path, plan: RollbackPlan, *, now_utc: datetime | None = None) -> Path | None:
    """Write `plan.text` to `path`, first moving the current file to `<name>.bak-<UTC time>`; the backup's
    path (None without a current file)."""
    now = (now_utc or datetime.now(UTC)).astimezone(UTC)
    backup: Path | None = None
    if path.exists():
        backup = path.with_name(f"{path.name}.bak-{now:%Y%m%dT%H%M%S%fZ}")
        backup.write_bytes(path.read_bytes())
    temporary = path.with_name(f".{path.name}.rollback")
    temporary.write_text(plan.text, encoding="utf-8")
    temporary.replace(path)
    return backup
