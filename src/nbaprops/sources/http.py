"""The shared HTTP discipline of live sources: timeouts, retries (tenacity), classified failures.

Only what may heal on its own is retried: 429 (waiting what Retry-After asks, up to a cap), 5xx,
timeouts and connection errors, with exponential backoff, jitter and a cap. 401, 403, 404, 400 and
422 fail at once, each as its own error class with a `kind` that self-diagnosis reads. Every
response received, failed ones too, goes to the raw store. Waits go through the injected clock,
so tests never sleep; the network is replaced by passing an httpx transport or a base_url.
A `CallGuard` (the source's circuit breaker, from `reliability`) may wrap each call, retries included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, TypeVar

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random
from tenacity.wait import wait_base

from nbaprops.clock import Clock
from nbaprops.config import SourceEndpointConfig
from nbaprops.errors import (
    FailureKind,
    SourceAuthError,
    SourceBadRequestError,
    SourceBlockedError,
    SourceFailure,
    SourceMovedError,
    SourceRateLimitedError,
    SourceServerError,
    SourceStatusError,
    SourceUnreachableError,
)
from nbaprops.sources.raw_store import RawStore, redact_url

Params = Mapping[str, str | int | float | list[str]]
_BODY_EXCERPT_CHARS = 200
T = TypeVar("T")


class CallGuard(Protocol):
    """What may guard each call of a source: run `fetch`, or refuse it without a request.

    Declared here so sources never import the reliability layer above them, which implements it.
    """

    def call(self, fetch: Callable[[], T]) -> T: ...


@dataclass(frozen=True)
class Fetched:
    """One successful response: what was asked (URL without secrets), what came back, and when."""

    source: str
    endpoint: str
    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    fetched_utc: datetime


class SourceClient:
    """GETs for one source under its config: base_url, key, timeouts, retry policy."""

    def __init__(
        self,
        source: str,
        config: SourceEndpointConfig,
        *,
        clock: Clock,
        raw_store: RawStore,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        guard: CallGuard | None = None,
    ) -> None:
        self.source = source
        self._guard = guard
        self._config = config
        self._clock = clock
        self._raw_store = raw_store
        self._secrets = [config.api_key.get_secret_value()] if config.api_key else []
        timeout = httpx.Timeout(
            config.read_timeout_seconds, connect=config.connect_timeout_seconds
        )
        self._client = httpx.Client(
            base_url=config.base_url,
            timeout=timeout,
            headers={"user-agent": "nbaprops", **(headers or {})},
            transport=transport,
            follow_redirects=True,
        )

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        endpoint: str,
        path: str,
        *,
        game_date: date,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fetched:
        """GET `path` (relative to base_url, or absolute), retrying what may heal; raise a `SourceFailure`.

        `endpoint` names the call in messages and stored files; the payload is stored under `game_date`.
        `headers` are added to the client's for this request only. Under a guard, the whole call
        (retries included) is one call to it.
        """
        if self._guard is None:
            return self._get(endpoint, path, game_date, params, headers)
        return self._guard.call(lambda: self._get(endpoint, path, game_date, params, headers))

    def _get(
        self, endpoint: str, path: str, game_date: date, params: Params | None, headers: Mapping[str, str] | None
    ) -> Fetched:
        policy = self._config.retry
        retrying = Retrying(
            stop=stop_after_attempt(policy.max_attempts),
            wait=_RetryAfterOrBackoff(
                wait_exponential(multiplier=policy.backoff_initial_seconds, max=policy.backoff_max_seconds)
                + wait_random(0, policy.jitter_seconds),
                cap_seconds=policy.backoff_max_seconds,
            ),
            retry=retry_if_exception(self._may_heal),
            sleep=self._clock.sleep,
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                number = attempt.retry_state.attempt_number
                return self._attempt(
                    endpoint, path, game_date, params, headers, f"attempt {number} of {policy.max_attempts}"
                )
        raise AssertionError("tenacity ends with a return or a raise")  # pragma: no cover

    def _may_heal(self, error: BaseException) -> bool:
        if isinstance(error, SourceRateLimitedError):
            wait = error.retry_after_seconds
            return wait is None or wait <= self._config.retry.retry_after_max_seconds
        return isinstance(error, SourceServerError | SourceUnreachableError)

    def _attempt(
        self,
        endpoint: str,
        path: str,
        game_date: date,
        params: Params | None,
        headers: Mapping[str, str] | None,
        attempt: str,
    ) -> Fetched:
        where = f"{self.source} {endpoint}"
        request = self._client.build_request("GET", path, params=params, headers=headers)
        url = redact_url(str(request.url), secrets=self._secrets)
        try:
            response = self._client.send(request)
        except httpx.TimeoutException as e:
            raise SourceUnreachableError(
                f"{where} timed out at {url} ({type(e).__name__}, {attempt}); the source is slow or down: "
                f"raise [sources.{self.source}] read_timeout_seconds or try a fallback source.",
                kind=FailureKind.TIMEOUT, source=self.source, endpoint=endpoint,
            ) from e
        except httpx.TransportError as e:
            raise SourceUnreachableError(
                f"{where} could not connect to {url} ({type(e).__name__}: {e}, {attempt}); "
                f"check [sources.{self.source}] base_url and the network.",
                kind=FailureKind.CONNECTION, source=self.source, endpoint=endpoint,
            ) from e
        fetched = Fetched(
            source=self.source, endpoint=endpoint, url=url, status_code=response.status_code,
            headers=response.headers, content=response.content, fetched_utc=self._clock.now(),
        )
        self._raw_store.save(
            source=self.source, endpoint=endpoint, game_date=game_date, url=url,
            status_code=response.status_code, fetched_utc=fetched.fetched_utc,
            content=response.content, headers=response.headers,
        )
        if response.is_success:
            return fetched
        raise self._classify(fetched, attempt)

    def _classify(self, fetched: Fetched, attempt: str) -> SourceFailure:
        status = fetched.status_code
        where = f"{self.source} {fetched.endpoint} answered {status}"
        at = f"at {fetched.url}"
        body = fetched.content[:_BODY_EXCERPT_CHARS].decode("utf-8", errors="replace").strip()
        ids: dict[str, Any] = {"source": self.source, "endpoint": fetched.endpoint}
        key_setting = f"[sources.{self.source}] api_key (or NBAPROPS_SOURCES__{self.source.upper()}__API_KEY)"
        if status == 429:
            wait = retry_after_seconds(fetched.headers.get("retry-after"), now=fetched.fetched_utc)
            cap = self._config.retry.retry_after_max_seconds
            if wait is not None and wait > cap:
                advice = f"it asks to wait {wait:.0f} s, more than retry_after_max_seconds={cap:.0f}; try later"
            else:
                advice = f"rate limited ({attempt}); slow the polling or raise the plan's limit"
            return SourceRateLimitedError(f"{where} {at}: {advice}.", retry_after_seconds=wait, **ids)
        if status >= 500:
            return SourceServerError(
                f"{where} {at} ({attempt}): the source is failing; try a fallback source or later.",
                kind=FailureKind.SERVER_ERROR, status_code=status, **ids,
            )
        if status == 401:
            return SourceAuthError(
                f"{where} {at}: the API key is missing or wrong; set {key_setting}.",
                kind=FailureKind.AUTH, status_code=status, **ids,
            )
        if status == 403:
            return SourceBlockedError(
                f"{where} {at}: the source refuses us (blocked, the key's plan lacks this endpoint, or the URL "
                f"changed); check [sources.{self.source}] base_url and {key_setting}, or use a fallback source.",
                kind=FailureKind.BLOCKED, status_code=status, **ids,
            )
        if status == 404:
            return SourceMovedError(
                f"{where} {at}: the endpoint moved or is gone; check [sources.{self.source}] base_url "
                f"and the path in nbaprops/sources/live/{self.source}.py.",
                kind=FailureKind.MOVED, status_code=status, **ids,
            )
        if status in (400, 422):
            return SourceBadRequestError(
                f"{where} {at}: the source rejects the request ({body!r}); fix the parameters built in "
                f"nbaprops/sources/live/{self.source}.py.",
                kind=FailureKind.BAD_REQUEST, status_code=status, **ids,
            )
        return SourceStatusError(
            f"{where} {at}: unexpected status ({body!r}).",
            kind=FailureKind.UNEXPECTED_STATUS, status_code=status, **ids,
        )


class _RetryAfterOrBackoff(wait_base):
    """Wait what a 429's Retry-After asks; otherwise the exponential backoff with jitter, capped."""

    def __init__(self, backoff: wait_base, *, cap_seconds: float) -> None:
        self._backoff = backoff
        self._cap_seconds = cap_seconds

    def __call__(self, retry_state: Any) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, SourceRateLimitedError) and error.retry_after_seconds is not None:
            return error.retry_after_seconds
        return min(self._cap_seconds, float(self._backoff(retry_state)))


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date); None if absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())
