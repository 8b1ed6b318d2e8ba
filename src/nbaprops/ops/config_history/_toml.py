"""Plain JSON config data as `nbaprops.toml` text, and the part of it that differs from the defaults."""

from __future__ import annotations

import json
from typing import Any


def changed_from(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The keys of `data` whose values differ from `defaults`, tables compared key by key."""
    changed: dict[str, Any] = {}
    for key, value in data.items():
        default = defaults.get(key)
        if isinstance(value, dict) and isinstance(default, dict):
            inner = changed_from(value, default)
            if inner:
                changed[key] = inner
        elif value != default:
            changed[key] = value
    return changed


def unwritable_keys(data: dict[str, Any], path: tuple[str, ...] = ()) -> list[str]:
    """Dotted keys whose value is null: TOML cannot say null, so such a key falls back to its default."""
    found: list[str] = []
    for key, value in data.items():
        if value is None:
            found.append(".".join((*path, key)))
        elif isinstance(value, dict):
            found += unwritable_keys(value, (*path, key))
    return found


def to_toml(data: dict[str, Any]) -> str:
    """TOML text of nested tables of JSON values (null values are left out)."""
    lines: list[str] = []
    _table(data, (), lines)
    return "\n".join(lines).strip() + "\n" if lines else ""


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _table(table: dict[str, Any], path: tuple[str, ...], lines: list[str]) -> None:
    scalars = {k: v for k, v in table.items() if v is not None and not isinstance(v, dict) and not _is_table_array(v)}
    if scalars:
        if path:
            lines.append(f"[{'.'.join(_key(part) for part in path)}]")
        lines += [f"{_key(k)} = {_value(v)}" for k, v in scalars.items()]
        lines.append("")
    for key, value in table.items():
        if isinstance(value, dict):
            _table(value, (*path, key), lines)
    for key, value in table.items():
        if _is_table_array(value):
            header = ".".join(_key(part) for part in (*path, key))
            for item in value:
                lines.append(f"[[{header}]]")
                lines += [f"{_key(k)} = {_value(v)}" for k, v in item.items() if v is not None]
                lines.append("")


def _key(key: str) -> str:
    bare = key and all(c.isalnum() or c in "_-" for c in key) and key.isascii()
    return key if bare else _string(key)


def _string(text: str) -> str:
    # JSON's escapes are TOML's, but JSON leaves DEL as it is, which a TOML basic string must escape.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value if item is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None) + "}"
    raise TypeError(f"Cannot write a {type(value).__name__} as a TOML value.")
