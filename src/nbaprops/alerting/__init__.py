"""Alerting that does not spam: rules over health signals, an Alertmanager-like engine, channels."""

from nbaprops.alerting.channels import (
    AppriseChannel,
    Channel,
    ConsoleChannel,
    JsonlChannel,
    build_channel,
    build_channels,
)
from nbaprops.alerting.collect import collect_signals
from nbaprops.alerting.config import AlertingConfig, ChannelConfig, InhibitRule, RulesConfig
from nbaprops.alerting.delivery import DeliveryAttempt
from nbaprops.alerting.durations import parse_duration
from nbaprops.alerting.engine import (
    AlertEngine,
    ChannelTestResult,
    EngineResult,
    SentNotification,
    build_engine,
)
from nbaprops.alerting.matchers import Matcher, parse_matcher
from nbaprops.alerting.model import Alert, AlertStatus, Notification, Severity
from nbaprops.alerting.redaction import SecretScrubber, safe_url_label
from nbaprops.alerting.rules import evaluate
from nbaprops.alerting.signals import AlertSignals, RunInProgress
from nbaprops.alerting.store import AlertState, AlertStore
from nbaprops.alerting.suppression import Silence

__all__ = [
    "Alert",
    "AlertEngine",
    "AlertSignals",
    "AlertState",
    "AlertStatus",
    "AlertStore",
    "AlertingConfig",
    "AppriseChannel",
    "Channel",
    "ChannelConfig",
    "ChannelTestResult",
    "ConsoleChannel",
    "DeliveryAttempt",
    "EngineResult",
    "InhibitRule",
    "JsonlChannel",
    "Matcher",
    "Notification",
    "RulesConfig",
    "RunInProgress",
    "SecretScrubber",
    "SentNotification",
    "Severity",
    "Silence",
    "build_channel",
    "build_channels",
    "build_engine",
    "collect_signals",
    "evaluate",
    "parse_duration",
    "parse_matcher",
    "safe_url_label",
]
