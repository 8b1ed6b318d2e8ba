"""A prediction system's version: the code version, its training window and a hash of its parameters.

`system_version(system, code_version="0.1.0", training_days=400)` -> "0.1.0+w400d+p3f2a9c1e": two
predictions with the same version came from the same code, look-back and settings.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from nbaprops.predictions.systems.base import PredictionSystem

# State a system keeps between days (counters, fitted models) is no parameter of it.
_STATE_ATTRIBUTES = frozenset({"trainings"})


def _plain(value: Any) -> Any:
    if isinstance(value, PredictionSystem):
        return value.system_id
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in sorted(value.items())}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def system_parameters(system: PredictionSystem) -> dict[str, Any]:
    """The system's public settings (its configs, windows, members), as plain JSON values."""
    return {name: _plain(value) for name, value in sorted(vars(system).items())
            if not name.startswith("_") and name not in _STATE_ATTRIBUTES}


def system_version(system: PredictionSystem, *, code_version: str, training_days: int) -> str:
    """`<code version>+w<training days>d+p<parameter hash>`, stored on each of the system's predictions."""
    blob = json.dumps({"system_id": system.system_id, **system_parameters(system)}, sort_keys=True, default=str)
    digest = hashlib.sha1(blob.encode()).hexdigest()[:8]
    return f"{code_version}+w{training_days}d+p{digest}"
