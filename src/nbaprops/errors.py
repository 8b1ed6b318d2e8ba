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
    ├── ProcessorError         a processor failed for a game_date
    ├── OrchestrationError     a workflow or gate could not proceed
    ├── AlertingError          an alert could not be built or routed
    └── AuditError             the dependency audit could not read a service

Messages are whole sentences: what failed, where, and what to do.
"""

from __future__ import annotations


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


class ProcessorError(NbaPropsError):
    """A processor failed for one game_date."""


class OrchestrationError(NbaPropsError):
    """A workflow or phase gate could not proceed."""


class AlertingError(NbaPropsError):
    """An alert could not be built, routed or delivered."""


class AuditError(NbaPropsError):
    """The dependency audit could not read a service."""
