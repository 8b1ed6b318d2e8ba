"""Label matchers in Alertmanager's syntax: `l=value`, `l!=value`, `l=~regex`, `l!~regex`.

Regexes match the whole value (`component=~phase3.*` matches `phase3` and `phase3_gate`, not
`prephase3`). A bare word is shorthand for `name=word`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from nbaprops.errors import AlertingError

Operator = Literal["=", "!=", "=~", "!~"]

_MATCHER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$")
_BARE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_OPERATORS: dict[str, Operator] = {"=": "=", "!=": "!=", "=~": "=~", "!~": "!~"}


@dataclass(frozen=True)
class Matcher:
    """One condition on one label; a missing label has the value ''."""

    label: str
    operator: Operator
    value: str

    def __str__(self) -> str:
        return f"{self.label}{self.operator}{self.value}"

    def matches(self, labels: Mapping[str, str]) -> bool:
        actual = labels.get(self.label, "")
        if self.operator == "=":
            return actual == self.value
        if self.operator == "!=":
            return actual != self.value
        found = re.fullmatch(self.value, actual) is not None
        return found if self.operator == "=~" else not found


def parse_matcher(text: str) -> Matcher:
    """Parse `label=value` (or `!=`, `=~`, `!~`, or a bare alert name)."""
    stripped = text.strip()
    if _BARE_NAME.match(stripped):
        return Matcher("name", "=", stripped)
    found = _MATCHER.match(text)
    if not found:
        raise AlertingError(
            f"Matcher {text!r} is not valid; write label=value, label!=value, label=~regex "
            "or label!~regex "
            "(e.g. name=phase3_data_stale or component=~phase3.*)."
        )
    label, operator, value = found.group(1), _OPERATORS[found.group(2)], found.group(3)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    if operator in ("=~", "!~"):
        try:
            re.compile(value)
        except re.error as e:
            raise AlertingError(f"Matcher {text!r} has an invalid regular expression: {e}.") from e
    return Matcher(label, operator, value)


def parse_matchers(texts: Iterable[str]) -> tuple[Matcher, ...]:
    return tuple(parse_matcher(text) for text in texts)


def matches_all(matchers: Iterable[Matcher], labels: Mapping[str, str]) -> bool:
    """True when every matcher matches `labels` (an empty list matches everything)."""
    return all(matcher.matches(labels) for matcher in matchers)
