"""Reading one endpoint's payload by path; a missing or malformed field raises one SourceSchemaError.

The reader of the nba.com and ESPN parsers (fields by name under a path, stats.nba.com result
sets, minutes and counts as those sources print them). Its errors are made by
`sources.payload.Endpoint`, the reader of the other adapters, so drift reads the same whichever
parser finds it.

Every error names the source, the endpoint and the field's path in the payload (for example
`leagueSchedule.gameDates[].games[].gameId`), so schema drift upstream is one clear message.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from nbaprops.errors import SourceSchemaError
from nbaprops.sources.payload import Endpoint

Payload = bytes | str | Mapping[str, Any]


class PayloadReader:
    """Field access for one (source, endpoint): the only place live parsers raise schema errors."""

    def __init__(self, source: str, endpoint: str) -> None:
        self.where = Endpoint(source, endpoint)
        self.source = source
        self.endpoint = endpoint

    def drift(self, path: str, problem: str) -> SourceSchemaError:
        """The error for field `path` (`Endpoint.drift`): `problem` says what is wrong with it."""
        return self.where.drift(path, problem)

    def document(self, payload: Payload) -> Mapping[str, Any]:
        """The payload as a JSON object (bytes and text are decoded first)."""
        if isinstance(payload, Mapping):
            return payload
        try:
            decoded = json.loads(payload)
        except (ValueError, UnicodeDecodeError) as error:
            raise self.drift("<body>", f"is not JSON ({error})") from error
        if not isinstance(decoded, dict):
            raise self.drift("<body>", f"is a JSON {type(decoded).__name__}, not an object")
        return decoded

    def get(self, parent: Mapping[str, Any], name: str, path: str) -> Any:
        """`parent[name]`, which must be present (it may be null); `path` is where `parent` sits."""
        if not isinstance(parent, Mapping):
            raise self.drift(path, f"is a {type(parent).__name__}, not an object")
        where = f"{path}.{name}" if path else name
        if name not in parent:
            raise self.drift(where, "is missing")
        return parent[name]

    def mapping(self, parent: Mapping[str, Any], name: str, path: str) -> Mapping[str, Any]:
        value = self.get(parent, name, path)
        if not isinstance(value, Mapping):
            raise self.drift(_join(path, name), f"is a {type(value).__name__}, not an object")
        return value

    def items(self, parent: Mapping[str, Any], name: str, path: str) -> list[Any]:
        value = self.get(parent, name, path)
        if not isinstance(value, list):
            raise self.drift(_join(path, name), f"is a {type(value).__name__}, not a list")
        return value

    def text(self, parent: Mapping[str, Any], name: str, path: str) -> str:
        """A required non-blank string (numbers are turned to text: ids come either way)."""
        value = self.get(parent, name, path)
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            raise self.drift(_join(path, name), f"is {value!r}, not a non-blank text")
        return str(value).strip()

    def count(self, value: Any, path: str) -> int | None:
        """A whole non-negative count, or None when the source leaves it empty."""
        if value is None or value == "":
            return None
        number = self.number(value, path)
        if number is None or number < 0 or not float(number).is_integer():
            raise self.drift(path, f"is {value!r}, not a whole non-negative count")
        return int(number)

    def number(self, value: Any, path: str) -> float | None:
        """A finite number ("+5" and "-3" included), or None when empty."""
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise self.drift(path, f"is {value!r}, not a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise self.drift(path, f"is {value!r}, not a number") from None
        if not math.isfinite(number):
            raise self.drift(path, f"is {value!r}, not a finite number")
        return number

    def minutes(self, value: Any, path: str) -> float | None:
        """Minutes played from 34, "34", "34.5" or "34:30" (minutes:seconds), or None when empty."""
        if isinstance(value, str) and ":" in value:
            whole, _, seconds = value.strip().partition(":")
            minutes, secs = self.count(whole, path), self.count(seconds, path)
            if minutes is None or secs is None or secs >= 60:
                raise self.drift(path, f"is {value!r}, not minutes:seconds")
            return minutes + secs / 60
        return self.number(value, path)

    def utc(self, value: Any, path: str) -> datetime:
        """An ISO instant ("2024-01-15T18:00Z", "...:00Z") as naive UTC, as the warehouse stores it."""
        if not isinstance(value, str):
            raise self.drift(path, f"is {value!r}, not an ISO date-time")
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            raise self.drift(path, f"is {value!r}, not an ISO date-time") from None
        if instant.tzinfo is None:
            raise self.drift(path, f"is {value!r}, an instant without a time zone")
        return instant.astimezone(UTC).replace(tzinfo=None)

    def result_set(
        self, document: Mapping[str, Any], name: str, headers: Sequence[str]
    ) -> list[dict[str, Any]]:
        """The rows of the stats.nba.com result set `name` as dicts; each of `headers` must be there."""
        sets = self.items(document, "resultSets", "")
        for index, found in enumerate(sets):
            if isinstance(found, Mapping) and found.get("name") == name:
                path = f"resultSets[{name}]"
                columns = self.items(found, "headers", path)
                missing = [header for header in headers if header not in columns]
                if missing:
                    raise self.drift(f"{path}.{missing[0]}", "is missing from the headers")
                rows = self.items(found, "rowSet", path)
                for row in rows:
                    if not isinstance(row, list) or len(row) != len(columns):
                        raise self.drift(f"{path}.rowSet", f"has a row {row!r} unlike its headers")
                return [dict(zip(columns, row, strict=True)) for row in rows]
            if not isinstance(found, Mapping):
                raise self.drift(f"resultSets[{index}]", "is not an object")
        raise self.drift(f"resultSets[{name}]", "is missing")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
