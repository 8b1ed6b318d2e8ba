"""A request a live adapter wants sent: built purely, sent later by the HTTP layer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Request:
    """GET `url` with `params` and `headers`; `source` and `endpoint` name it in errors and the raw store."""

    source: str
    endpoint: str
    url: str
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)


def build(
    source: str,
    endpoint: str,
    base_url: str,
    path: str,
    *,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Request:
    """A `Request` for `path` under `base_url` (one slash between them, whatever either has)."""
    return Request(
        source=source,
        endpoint=endpoint,
        url=f"{base_url.rstrip('/')}/{path.lstrip('/')}",
        params=MappingProxyType(dict(params or {})),
        headers=MappingProxyType(dict(headers or {})),
    )
