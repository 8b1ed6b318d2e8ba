"""A real HTTP server on 127.0.0.1 (random port) serving captured payloads, scriptable per path.

Each route answers a path (and optionally only requests whose query holds given values) with a
sequence of replies: one reply per request, the last one repeated. So a test can say "429 with
Retry-After 7, then the captured file", or "403 forever", or "page 1, then page 2".
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """One HTTP answer."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, document: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(document).encode(), {"content-type": "application/json", **(headers or {})})

    @classmethod
    def file(cls, path: Path) -> Reply:
        """A captured payload, its bytes as stored (a `.gz` capture is served unpacked)."""
        data = path.read_bytes()
        name = path.name.removesuffix(".gz")
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        kinds = {".json": "application/json", ".pdf": "application/pdf", ".html": "text/html"}
        return cls(200, data, {"content-type": kinds.get(Path(name).suffix, "application/octet-stream")})

    @classmethod
    def status_only(cls, status: int, **headers: str) -> Reply:
        return cls(status, f'{{"message": "status {status}"}}'.encode(), {"content-type": "application/json", **{
            name.replace("_", "-"): value for name, value in headers.items()
        }})


@dataclass
class Received:
    """A request the server saw."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class _Route:
    path: str
    when: Mapping[str, str]
    replies: list[Reply]
    served: int = 0

    def matches(self, path: str, query: dict[str, list[str]]) -> bool:
        return path == self.path and all(value in query.get(name, []) for name, value in self.when.items())

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class LoopbackServer:
    """Routes scripted by the test; every request recorded in `received`."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.received: list[Received] = []
        self._routes: list[_Route] = []
        self._lock = threading.Lock()

    def route(self, path: str, *replies: Reply, when: Mapping[str, str] | None = None) -> None:
        """Answer GET `path` (whose query holds every `when` item) with `replies`, in order, the last repeated.

        Routes added later win over earlier ones for the same request.
        """
        if not replies:
            raise ValueError("a route needs at least one reply")
        with self._lock:
            self._routes.insert(0, _Route(path, dict(when or {}), list(replies)))

    def requests_to(self, path: str) -> list[Received]:
        return [request for request in self.received if request.path == path]

    def answer(self, raw_path: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            self.received.append(Received(parts.path, query, headers))
            for route in self._routes:
                if route.matches(parts.path, query):
                    return route.next_reply()
        return Reply.json({"message": f"no route for {parts.path}"}, status=404)


@contextmanager
def serve() -> Iterator[LoopbackServer]:
    """Start a LoopbackServer on 127.0.0.1 with a free port; stop it on exit."""
    holder: dict[str, LoopbackServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
            reply = holder["server"].answer(self.path, {k.lower(): v for k, v in self.headers.items()})
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test output is not the place for an access log."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    host, port = httpd.server_address[:2]
    holder["server"] = LoopbackServer(f"http://{host!s}:{port}")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield holder["server"]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def captured(shared_fixtures: Path, folder: str) -> Path:
    """The one captured payload in `../shared/fixtures/sources/<folder>/`."""
    (path,) = sorted((shared_fixtures / folder).glob("raw_*"))
    return path


LOOPBACK_PASSWORD = "hunter2-secret"


def with_password(base_url: str) -> str:
    """`base_url` carrying the credential `scout:LOOPBACK_PASSWORD`, which no stored file may keep."""
    return base_url.replace("http://", f"http://scout:{LOOPBACK_PASSWORD}@")


def assert_kept_redacted(entry: Any, content: bytes, url_prefix: str) -> None:
    """`entry` (a raw-store StoredPayload) holds `content` byte for byte, its URL starts `url_prefix` redacted."""
    assert entry.payload_path.read_bytes() == content
    assert (entry.meta["sha256"], entry.meta["status_code"]) == (hashlib.sha256(content).hexdigest(), 200)
    assert entry.meta["url"].startswith(url_prefix.replace("http://", "http://scout:REDACTED@"))
    assert LOOPBACK_PASSWORD not in entry.meta_path.read_text()
