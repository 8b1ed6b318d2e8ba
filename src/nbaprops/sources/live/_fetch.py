"""Sending a live adapter's `Request`s through the shared HTTP discipline, and reading the body each got."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

import httpx

from nbaprops.clock import Clock
from nbaprops.config import SourceEndpointConfig
from nbaprops.sources.http import CallGuard, Fetched, SourceClient
from nbaprops.sources.live._request import Request
from nbaprops.sources.payload import Endpoint
from nbaprops.sources.raw_store import RawStore

C = TypeVar("C", bound=SourceEndpointConfig)


class RequestSource(Generic[C]):
    """A live source whose endpoint modules build `Request`s: each sent, kept in the raw store, its body handed over."""

    name: str

    def __init__(
        self,
        config: C,
        *,
        clock: Clock,
        raw_store: RawStore,
        transport: httpx.BaseTransport | None = None,
        guard: CallGuard | None = None,
    ) -> None:
        self._config = config
        self._client = SourceClient(self.name, config, clock=clock, raw_store=raw_store, transport=transport,
                                    guard=guard)

    def close(self) -> None:
        self._client.close()

    def _body(self, request: Request, game_date: date) -> bytes:
        """The body `request` got, stored under `game_date`; an empty 200 is EmptyPayloadError."""
        return body(fetch(self._client, request, game_date=game_date))

    def _endpoint(self, endpoint: str) -> Endpoint:
        return Endpoint(self.name, endpoint)


def fetch(client: SourceClient, request: Request, *, game_date: date) -> Fetched:
    """GET `request` (retried, classified, stored under `game_date` in the raw store)."""
    return client.get(
        request.endpoint, request.url, game_date=game_date, params=request.params, headers=request.headers
    )


def body(fetched: Fetched) -> bytes:
    """The bytes of a 200 that must hold a document; an empty body is EmptyPayloadError."""
    if not fetched.content.strip():
        raise Endpoint(fetched.source, fetched.endpoint).empty("the 200 response has an empty body")
    return fetched.content
