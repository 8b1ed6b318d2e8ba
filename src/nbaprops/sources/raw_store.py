"""Every payload a live source answered, kept under `<home>/raw/<source>/<game_date>/` exactly as received.

Each payload file has a sidecar `<name>.meta.json`: the URL with its secrets removed, the fetch
time, the HTTP status, the kept response headers (quota counters among them) and the SHA-256
of the bytes. The sidecar is written last, so a payload without one was cut off mid-write.
Each response also appends one line to `<home>/raw/requests.jsonl`, the request ledger usage is
accounted from: two identical answers at one instant (a virtual clock) share a payload file, not a line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "REDACTED"
# Query parameters that carry credentials in the sources we read (The Odds API's `apiKey`).
SECRET_PARAMS = frozenset({"apikey", "api_key", "key", "token", "access_token", "secret", "password", "signature"})
# Response headers never stored: they identify us, not the payload.
_DROPPED_HEADERS = frozenset({"set-cookie", "authorization"})
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
META_SUFFIX = ".meta.json"
REQUEST_LEDGER = "requests.jsonl"


def redact_url(url: str, *, secrets: Iterable[str] = ()) -> str:
    """`url` with credentials replaced by REDACTED: secret query parameters, a userinfo password,
    and any of `secrets` wherever it appears (a key in the path)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{REDACTED}@{host}" if ":" in userinfo else f"{REDACTED}@{host}"
    query = urlencode(
        [
            (name, REDACTED if name.lower() in SECRET_PARAMS else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="[]:,",
    )
    clean = urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    for secret in secrets:
        if secret:
            clean = clean.replace(secret, REDACTED)
    return clean


@dataclass(frozen=True)
class StoredPayload:
    """Where one payload landed and what its sidecar says."""

    payload_path: Path
    meta: dict[str, Any]

    @property
    def meta_path(self) -> Path:
        return self.payload_path.with_name(self.payload_path.name + META_SUFFIX)


class RawStore:
    """The `raw/` folder of a home."""

    def __init__(self, raw_dir: Path) -> None:
        self._raw_dir = raw_dir

    def save(
        self,
        *,
        source: str,
        endpoint: str,
        game_date: date,
        url: str,
        status_code: int,
        fetched_utc: datetime,
        content: bytes,
        headers: Mapping[str, str],
    ) -> StoredPayload:
        """Write `content` byte for byte and its sidecar; `url` must already be redacted."""
        digest = hashlib.sha256(content).hexdigest()
        folder = self._raw_dir / _safe(source) / game_date.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = fetched_utc.strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{stamp}-{_safe(endpoint)}-{digest[:12]}.{_extension(headers.get('content-type', ''))}"
        meta = {
            "source": source,
            "endpoint": endpoint,
            "game_date": game_date.isoformat(),
            "url": url,
            "fetched_utc": fetched_utc.isoformat(),
            "status_code": status_code,
            "sha256": digest,
            "bytes": len(content),
            "headers": {k.lower(): v for k, v in headers.items() if k.lower() not in _DROPPED_HEADERS},
        }
        stored = StoredPayload(folder / name, meta)
        _write_atomically(stored.payload_path, content)
        _write_atomically(stored.meta_path, json.dumps(meta, indent=2, sort_keys=True).encode())
        self._log_request(meta)
        return stored

    @property
    def ledger_path(self) -> Path:
        return self._raw_dir / REQUEST_LEDGER

    def _log_request(self, meta: Mapping[str, Any]) -> None:
        """One ledger line: what was asked and answered, its size, and the `x-` headers (quota counters)."""
        line = {key: meta[key] for key in ("source", "endpoint", "game_date", "fetched_utc", "status_code", "bytes")}
        line["headers"] = {k: v for k, v in meta["headers"].items() if k.startswith("x-")}
        # One short write in append mode: lines of several processes never interleave.
        with self.ledger_path.open("a", encoding="utf-8") as ledger:
            ledger.write(json.dumps(line, sort_keys=True) + "\n")

    def entries(self, source: str, game_date: date) -> list[StoredPayload]:
        """The complete payloads (those with a sidecar) of `source` on `game_date`, oldest first."""
        folder = self._raw_dir / _safe(source) / game_date.isoformat()
        if not folder.is_dir():
            return []
        # Same-instant fetches (a virtual clock) keep the order they were written in.
        meta_paths = sorted(
            folder.glob(f"*{META_SUFFIX}"), key=lambda path: (path.name[:23], path.stat().st_mtime_ns, path.name)
        )
        return [
            StoredPayload(path.with_name(path.name.removesuffix(META_SUFFIX)), json.loads(path.read_text()))
            for path in meta_paths
        ]


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("_") or "unnamed"


def _extension(content_type: str) -> str:
    for marker, extension in (("json", "json"), ("pdf", "pdf"), ("html", "html"), ("text", "txt")):
        if marker in content_type.lower():
            return extension
    return "bin"


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
