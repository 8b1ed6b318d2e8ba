"""The one exception hierarchy of nbaprops.

    NbaPropsError
    ├── UsageError             a command-line value is invalid (names the option); exit 2
    ├── NaiveInstantError      an instant without a timezone where UTC is meant (also a ValueError)
    ├── ConfigError            invalid configuration value (names the key)
    ├── WarehouseError         warehouse could not be opened, migrated or written
    │   └── WarehouseBusyError another process holds the warehouse for writing
    ├── IngestError            a file could not be parsed at all (names the file)
    │   ├── UnknownTeamError     a team name, nickname or tricode that is no NBA team
    │   └── UnknownBookmakerError a bookmaker name that is no known sportsbook
    ├── SourceError            a data source failed or returned unusable data
    │   ├── SourceFailure        a live fetch failed; `kind` (a FailureKind) says how
    │   │   ├── SourceUnreachableError  timeout or connection error, after retries
    │   │   ├── SourceRateLimitedError  429, after retries or a Retry-After past the cap
    │   │   ├── SourceServerError       5xx, after retries
    │   │   ├── SourceAuthError         401: the key is missing or wrong
    │   │   ├── SourceBlockedError      403: the source refuses us
    │   │   ├── SourceMovedError        404: the endpoint moved or is gone
    │   │   ├── SourceBadRequestError   400/422: the request we built is wrong
    │   │   ├── SourceStatusError       any other non-2xx status
    │   │   ├── EmptyPayloadError       a 200 without data where data must exist
    │   │   ├── SourceSchemaError       a field renamed or gone: schema drift (names source, endpoint, field)
    │   │   └── QuotaExhaustedError     the request quota fell under the reserve; polling stops
    │   └── SourceCircuitOpenError  the source's breaker is open: refused without a request
    ├── ProcessorError         a processor failed for a game_date
    ├── OrchestrationError     a workflow or gate could not proceed
    ├── AlertingError          an alert could not be built or routed
    └── AuditError             the dependency audit could not read a service

Messages are whole sentences: what failed, where, and what to do.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class NbaPropsError(Exception):
    """Base class of every error nbaprops raises on purpose."""


class UsageError(NbaPropsError):
    """A value given on the command line is invalid; the message names the option and a valid form."""


class NaiveInstantError(NbaPropsError, ValueError):
    """An instant without a timezone was given where an aware one is required."""


class ConfigError(NbaPropsError):
    """A configuration value is invalid or the config file cannot be read."""


class WarehouseError(NbaPropsError):
    """The warehouse could not be opened, migrated or written."""


class WarehouseBusyError(WarehouseError):
    """Another process holds the warehouse for writing."""


class IngestError(NbaPropsError):
    """A file could not be parsed at all; nothing from it was written."""


class UnknownTeamError(IngestError):
    """A value names no NBA team (full name, city, nickname or tricode)."""


class UnknownBookmakerError(IngestError):
    """A value names no known sportsbook (display name or The Odds API key)."""


class SourceError(NbaPropsError):
    """A data source failed or returned unusable data."""


class FailureKind(StrEnum):
    """How a live fetch failed: the machine-readable class self-diagnosis reads."""

    TIMEOUT = "timeout"
    CONNECTION = "connection"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    AUTH = "auth"
    BLOCKED = "blocked"
    MOVED = "moved"
    BAD_REQUEST = "bad_request"
    UNEXPECTED_STATUS = "unexpected_status"
    EMPTY = "empty"
    SCHEMA_DRIFT = "schema_drift"
    QUOTA_EXHAUSTED = "quota_exhausted"
    CIRCUIT_OPEN = "circuit_open"  # the source's breaker refused the call: no request was sent

    @property
    def down(self) -> bool:
        """The source is unreachable or failing on its side, so it may be back later; not refusing us
        or answering wrong."""
        return self in (FailureKind.TIMEOUT, FailureKind.CONNECTION, FailureKind.SERVER_ERROR, FailureKind.CIRCUIT_OPEN)


class SourceFailure(SourceError):
    """A live fetch from `source` at `endpoint` failed; `kind` says how, `status_code` what HTTP said."""

    def __init__(
        self,
        message: str,
        *,
        kind: FailureKind,
        source: str,
        endpoint: str,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.source = source
        self.endpoint = endpoint
        self.status_code = status_code


class ChainExhaustedError(SourceError):
    """Every source of a fallback chain failed; `failures` holds (source, kind, message) of each, in order.

    `kind` is the chain's failure as a whole: the first source's that is down (a whole chain down is an
    outage, waited out like one source's), else the first source's; None for a chain of no source.
    """

    def __init__(self, message: str, *, data_kind: str, failures: tuple[tuple[str, FailureKind, str], ...]) -> None:
        super().__init__(message)
        self.data_kind = data_kind
        self.failures = failures
        kinds = [kind for _, kind, _ in failures]
        self.kind: FailureKind | None = next((kind for kind in kinds if kind.down), kinds[0] if kinds else None)


class SourceUnreachableError(SourceFailure):
    """The source did not answer in time or the connection failed, on every attempt."""


class SourceRateLimitedError(SourceFailure):
    """The source answered 429 on every attempt, or asked to wait longer than we may."""

    def __init__(
        self, message: str, *, source: str, endpoint: str, retry_after_seconds: float | None
    ) -> None:
        super().__init__(
            message, kind=FailureKind.RATE_LIMITED, source=source, endpoint=endpoint, status_code=429
        )
        self.retry_after_seconds = retry_after_seconds


class SourceServerError(SourceFailure):
    """The source answered 5xx on every attempt."""


class SourceAuthError(SourceFailure):
    """401: the API key is missing, wrong or expired."""


class SourceBlockedError(SourceFailure):
    """403: the source refuses our requests (blocked, or a URL change behind a firewall)."""


class SourceMovedError(SourceFailure):
    """404: the endpoint moved or no longer exists."""


class SourceBadRequestError(SourceFailure):
    """400 or 422: the source rejects the request we built."""


class SourceStatusError(SourceFailure):
    """A non-2xx status with no more specific class."""


class EmptyPayloadError(SourceFailure):
    """A 200 without data where data must exist."""


class SourceSchemaError(SourceFailure):
    """A field the parser needs was renamed or is gone."""

    def __init__(self, message: str, *, source: str, endpoint: str, field: str) -> None:
        super().__init__(message, kind=FailureKind.SCHEMA_DRIFT, source=source, endpoint=endpoint)
        self.field = field


class QuotaExhaustedError(SourceFailure):
    """The source's remaining request quota fell under the configured reserve; polling stops."""

    def __init__(self, message: str, *, source: str, endpoint: str, remaining: int, reserve: int) -> None:
        super().__init__(message, kind=FailureKind.QUOTA_EXHAUSTED, source=source, endpoint=endpoint)
        self.remaining = remaining
        self.reserve = reserve


class SourceCircuitOpenError(SourceError):
    """The breaker of `source` is open: the call was refused without a request, until `retry_at`."""

    def __init__(self, message: str, *, source: str, retry_at: datetime) -> None:
        super().__init__(message)
        self.source = source
        self.retry_at = retry_at


class ProcessorError(NbaPropsError):
    """A processor failed for one game_date."""


class OrchestrationError(NbaPropsError):
    """A workflow or phase gate could not proceed."""


class AlertingError(NbaPropsError):
    """An alert could not be built, routed or delivered."""


class AuditError(NbaPropsError):
    """The dependency audit could not read a service."""
