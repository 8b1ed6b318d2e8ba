"""Keeping secrets out of logs, alert text and tables: safe channel labels and a secret scrubber."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from pydantic import BaseModel, SecretStr

REDACTED = "**********"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)
_HOST_PORT = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[^:]*)(?::(\d{1,5}))?$")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$")
_URL_USERINFO = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#@]+@")
_SECRET_QUERY_KEY = re.compile(r"token|key|secret|pass|auth|sig", re.IGNORECASE)
_MIN_SECRET_CHARS = 4
# Local channel URLs name a stream or a file path, not a credential; scrubbing their parts
# would only mangle alert text.
_LOCAL_SCHEMES = ("console://", "jsonl://")


def safe_url_label(url: str) -> str:
    """`scheme://host[:port]` when the host is a real host name or address, else `scheme://`.

    User, password, path and query are always dropped: many apprise URLs carry their tokens
    there, and some (slack://, discord://) even in the host position, which is why a host that
    does not look like a host name is dropped too.
    """
    found = _SCHEME.match(url.strip())
    if not found:
        return "(unparsable url)"
    scheme, rest = found.group(1).lower(), found.group(2)
    host, port = _host_and_port(rest)
    if host is None or not _is_real_host(host):
        return f"{scheme}://"
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def url_secret_parts(url: str) -> list[str]:
    """Parts of a URL that may be secret: the URL, user, password, token-like parts."""
    found = _SCHEME.match(url.strip())
    if not found:
        return [url]
    parsed = urlsplit(url.strip())
    parts = [url.strip()]
    userinfo, _, _ = parsed.netloc.rpartition("@")
    if userinfo:
        user, _, password = userinfo.partition(":")
        parts += [unquote(user), unquote(password), user, password]
    host, _ = _host_and_port(found.group(2))
    if host and not _is_real_host(host):
        parts.append(host)
    parts += [segment for segment in parsed.path.split("/") if _looks_like_token(segment)]
    parts += [v for k, v in parse_qsl(parsed.query) if _SECRET_QUERY_KEY.search(k)]
    return [part for part in parts if len(part) >= _MIN_SECRET_CHARS]


class SecretScrubber:
    """Replaces known secret values, and the credentials of any URL, with `**********`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        unique = {secret for secret in secrets if len(secret) >= _MIN_SECRET_CHARS}
        # Longest first, so a URL is replaced whole before its password alone is.
        self._secrets = sorted(unique, key=len, reverse=True)

    @classmethod
    def from_config(cls, *models: BaseModel) -> SecretScrubber:
        """Every `SecretStr` in the given config models (and a URL secret's secret parts)."""
        secrets: list[str] = []
        for model in models:
            for value in _secret_values(model):
                if value.startswith(_LOCAL_SCHEMES):
                    continue
                secrets.append(value)
                if "://" in value:
                    secrets.extend(url_secret_parts(value))
        return cls(secrets)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _URL_USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)

    def scrub_data(self, value: Any) -> Any:
        """`scrub` applied to every string (keys too) inside dicts, lists and tuples."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {self.scrub(str(k)): self.scrub_data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub_data(v) for v in value]
        return value


def _secret_values(value: Any) -> Iterator[str]:
    if isinstance(value, SecretStr):
        yield value.get_secret_value()
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _secret_values(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _secret_values(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _secret_values(item)


def _host_and_port(rest: str) -> tuple[str | None, str | None]:
    netloc = re.split(r"[/?#]", rest, maxsplit=1)[0]
    hostport = netloc.rsplit("@", 1)[-1]
    found = _HOST_PORT.match(hostport)
    if not found:
        return None, None
    return found.group(1) or None, found.group(2)


def _looks_like_token(segment: str) -> bool:
    return len(segment) >= 12 or (len(segment) >= 8 and any(c.isdigit() for c in segment))


def _is_real_host(host: str) -> bool:
    if host.lower() == "localhost" or _HOSTNAME.match(host):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
