"""Environment overrides applied over `nbaprops.toml`, list entries included.

`NBAPROPS_<SECTION>__<KEY>` sets one key; `NBAPROPS_<SECTION>__<LIST>__<N>__<KEY>` sets a key of
entry N (from 0) of a list, e.g. `NBAPROPS_ALERTING__CHANNELS__0__URL`; N one past the last entry
adds an entry. A JSON value replaces a whole list or table: `NBAPROPS_ALERTING__CHANNELS='[...]'`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from nbaprops.errors import ConfigError

ENV_PREFIX = "NBAPROPS_"
ENV_DELIMITER = "__"

KeyPath = tuple[str, ...]


def env_name(path: Sequence[str | int]) -> str:
    """The environment variable of the config key at `path`: ("alerting", "channels", 0, "url") ->
    NBAPROPS_ALERTING__CHANNELS__0__URL."""
    return ENV_PREFIX + ENV_DELIMITER.join(str(part).upper() for part in path)


def annotation_at(model: type[BaseModel], path: KeyPath) -> Any:
    """The type of the config value at `path` below `model` (digit keys step into list entries);
    None where `path` names no field."""
    current: Any = model
    for key in path:
        current = _without_none(current)
        if key.isdigit() and get_origin(current) is list:
            current = get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel) and key in current.model_fields:
            current = current.model_fields[key].annotation
        else:
            return None
    return _without_none(current)


def default_at(model: type[BaseModel], path: KeyPath) -> Any:
    """The default value of the field at `path` below `model` (a list of plain data for a list of
    models); None where `path` names no field or passes through a list entry."""
    current: Any = model
    value: Any = None
    for key in path:
        current = _without_none(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or key not in current.model_fields:
            return None
        field = current.model_fields[key]
        value = field.get_default(call_default_factory=True)
        current = field.annotation
    if isinstance(value, list):
        return [item.model_dump() if isinstance(item, BaseModel) else item for item in value]
    return value


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, UnionType):
        others = [arg for arg in get_args(annotation) if arg is not type(None)]
        return others[0] if len(others) == 1 else annotation
    return annotation


def _is_structured(annotation: Any) -> bool:
    return get_origin(annotation) in (list, dict) or (
        isinstance(annotation, type) and issubclass(annotation, BaseModel)
    )


def apply_overrides(base: Any, overrides: Any, *, model: type[BaseModel], path: KeyPath = ()) -> Any:
    """`base` (the file's values) with `overrides` (the environment's, nested by key) applied on top.

    A table of digit keys over a list (the file's, else the field's default) sets those entries.
    A string for a list or table below a list entry is read as JSON, as pydantic-settings reads it
    elsewhere.
    """
    if isinstance(overrides, str):
        return _decoded(overrides) if _is_structured(annotation_at(model, path)) else overrides
    if not isinstance(overrides, dict):
        return overrides
    if overrides and all(key.isdigit() for key in overrides):
        entries = base if base is not None else default_at(model, path)
        if isinstance(entries, list):
            return _apply_to_entries(entries, overrides, model=model, path=path)
    merged = dict(base) if isinstance(base, dict) else {}
    for key, value in overrides.items():
        merged[key] = apply_overrides(merged.get(key), value, model=model, path=(*path, key))
    return merged


def _decoded(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text  # validation then names the key and says what it should be


def _apply_to_entries(
    entries: list[Any], overrides: dict[str, Any], *, model: type[BaseModel], path: KeyPath
) -> list[Any]:
    result = list(entries)
    for key in sorted(overrides, key=int):
        index = int(key)
        if index > len(result):
            raise ConfigError(
                f"{env_name((*path, key))} sets entry {index} of {'.'.join(path)}, which has {len(result)} "
                f"entries; number new entries on from {len(result)}, or set the whole list as JSON in "
                f"{env_name(path)}."
            )
        current = result[index] if index < len(result) else None
        value = apply_overrides(current, overrides[key], model=model, path=(*path, key))
        result[index:index + 1] = [value]
    return result


class FileWithEnvOverrides(PydanticBaseSettingsSource):
    """One source: the file's values (given as init values) with the environment's applied on top."""

    def __init__(
        self, settings_cls: type[BaseSettings], file: PydanticBaseSettingsSource, env: PydanticBaseSettingsSource
    ) -> None:
        super().__init__(settings_cls)
        self._file = file
        self._env = env

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ builds every value at once

    def __call__(self) -> dict[str, Any]:
        merged = apply_overrides(self._file(), self._env(), model=self.settings_cls)
        return merged if isinstance(merged, dict) else {}
