"""Reading a live payload strictly: an empty body or a missing field is a failure that names itself.

Parsers call these instead of indexing, so that a field renamed upstream fails with one message
naming the source, the endpoint and the field, and a 200 without data is never taken for success.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from nbaprops.errors import EmptyPayloadError, FailureKind, SourceSchemaError

T = TypeVar("T")


@dataclass(frozen=True)
class Endpoint:
    """Which call a payload answered: named in every failure message."""

    source: str
    endpoint: str

    def __str__(self) -> str:
        return f"{self.source} {self.endpoint}"

    def field(self, obj: Any, name: str, kind: type[T], *, at: str = "") -> T:
        """`obj[name]`, which must exist and be a `kind`; else SourceSchemaError naming `at.name`."""
        path = f"{at}.{name}" if at else name
        if not isinstance(obj, Mapping) or name not in obj:
            raise self.drift(path, "is missing from the payload")
        value = obj[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.drift(path, f"is a {type(value).__name__}, not a {kind.__name__}")
        return value

    def optional(self, obj: Any, name: str, kind: type[T], *, at: str = "") -> T | None:
        """`obj[name]` if present and not null (then it must be a `kind`), else None."""
        if isinstance(obj, Mapping) and obj.get(name) is None:
            return None
        return self.field(obj, name, kind, at=at)

    def number(self, obj: Any, name: str, *, at: str = "") -> float:
        """`obj[name]` as a float; it must be a JSON number (not a string, not a boolean)."""
        path = f"{at}.{name}" if at else name
        value = self.field(obj, name, object, at=at)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.drift(path, f"is a {type(value).__name__}, not a number")
        return float(value)

    def drift(self, field: str, problem: str) -> SourceSchemaError:
        """The SourceSchemaError for `field` (its path in the payload): `problem` says what is wrong with it.

        Every live parser's schema errors come from here (`PayloadReader` included), in one wording.
        """
        return SourceSchemaError(
            f"{self}: the field {field!r} {problem}; the upstream schema changed (a field renamed or gone), "
            f"so update the {self.source} parser in nbaprops.sources.live.",
            source=self.source, endpoint=self.endpoint, field=field,
        )

    def json(self, content: bytes) -> Any:
        """The JSON document in `content`; an empty body is EmptyPayloadError, a non-JSON one drift."""
        if not content.strip():
            raise self.empty("the 200 response has an empty body")
        try:
            return json.loads(content)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            excerpt = content[:80].decode("utf-8", errors="replace")
            raise SourceSchemaError(
                f"{self}: the body is not JSON ({e}; it starts {excerpt!r}); the endpoint now serves "
                "another format (an error page, a login wall). Check the URL in a browser.",
                source=self.source, endpoint=self.endpoint, field="(body)",
            ) from e

    def empty(self, what: str) -> EmptyPayloadError:
        """An EmptyPayloadError: a 200 that should have held data and did not."""
        return EmptyPayloadError(
            f"{self}: {what}; a 200 without data where data must exist is a failure. "
            "The source may be lagging: retry later or use a fallback source.",
            kind=FailureKind.EMPTY, source=self.source, endpoint=self.endpoint, status_code=200,
        )

    def non_empty(self, items: Sequence[T], what: str) -> Sequence[T]:
        """`items`, unless it is empty: then EmptyPayloadError saying `what` was expected."""
        if not items:
            raise self.empty(f"the 200 response holds no {what}")
        return items
