"""Where notifications go: the console, a JSON-lines file, or an apprise URL (mail, chat, hooks)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import SecretStr
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from nbaprops.alerting.config import AlertingConfig, ChannelConfig
from nbaprops.alerting.model import Notification, Severity
from nbaprops.alerting.redaction import SecretScrubber, safe_url_label, url_secret_parts
from nbaprops.errors import AlertingError

if TYPE_CHECKING:
    from apprise import NotifyBase, NotifyType

CONSOLE_SCHEME = "console://"
JSONL_SCHEME = "jsonl://"

_CONSOLE_STYLE = {Severity.INFO: "blue", Severity.WARNING: "yellow", Severity.CRITICAL: "red"}


class Channel(Protocol):
    """A destination. `label` is safe to log; `send` raises on failure."""

    name: str
    label: str
    min_severity: Severity
    send_resolved: bool

    def send(self, notification: Notification, *, timeout_seconds: float) -> None: ...


def accepts(channel: Channel, severity: Severity) -> bool:
    """Severity routing: a channel takes alerts at or above its `min_severity`."""
    return severity.rank >= channel.min_severity.rank


class ConsoleChannel:
    """A rich panel on stderr."""

    def __init__(
        self,
        name: str,
        *,
        min_severity: Severity = Severity.INFO,
        send_resolved: bool = True,
        console: Console | None = None,
    ) -> None:
        self.name = name
        self.label = CONSOLE_SCHEME
        self.min_severity = min_severity
        self.send_resolved = send_resolved
        self._console = console

    def send(self, notification: Notification, *, timeout_seconds: float) -> None:
        console = self._console or Console(stderr=True)
        style = "green" if not notification.firing else _CONSOLE_STYLE[notification.severity]
        # Text, not markup: alert text such as "[info]" must print as written.
        console.print(
            Panel(
                Text(notification.body or notification.title),
                title=Text(notification.title),
                border_style=style,
                title_align="left",
            )
        )


class JsonlChannel:
    """One JSON document per notification, appended to a file."""

    def __init__(
        self,
        name: str,
        path: Path,
        *,
        min_severity: Severity = Severity.INFO,
        send_resolved: bool = True,
    ) -> None:
        self.name = name
        self.path = path
        self.label = f"{JSONL_SCHEME}{path}"
        self.min_severity = min_severity
        self.send_resolved = send_resolved

    def send(self, notification: Notification, *, timeout_seconds: float) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(notification.to_json(), sort_keys=True) + "\n")


class AppriseChannel:
    """Any apprise URL: `mailto://`/`mailtos://` (SMTP), `slack://`, `discord://`, `json://`/`jsons://`..."""

    def __init__(
        self,
        name: str,
        url: SecretStr,
        *,
        min_severity: Severity = Severity.WARNING,
        send_resolved: bool = True,
    ) -> None:
        self.name = name
        self.label = safe_url_label(url.get_secret_value())
        self.min_severity = min_severity
        self.send_resolved = send_resolved
        self._url = url
        self._own_secrets = SecretScrubber(url_secret_parts(url.get_secret_value()))
        self._instantiate(timeout_seconds=1.0)  # fail at start-up, not at the first alert

    def send(self, notification: Notification, *, timeout_seconds: float) -> None:
        import apprise

        with apprise.LogCapture(level=logging.WARNING) as captured:
            # A fresh plugin per try: apprise throttles repeated sends through one instance.
            plugin = self._instantiate(timeout_seconds=timeout_seconds)
            ok = plugin.notify(
                body=notification.body or notification.title,
                title=notification.title,
                notify_type=_notify_type(notification),
            )
        if not ok:
            log_lines = [line for line in captured.getvalue().splitlines() if line.strip()]
            reason = (
                log_lines[-1].split(" - ", 2)[-1] if log_lines else "apprise reported a failure"
            )
            raise AlertingError(
                self._own_secrets.scrub(
                    f"Channel {self.name} ({self.label}) did not accept the notification: {reason}"
                )
            )

    def _instantiate(self, *, timeout_seconds: float) -> NotifyBase:
        # apprise is imported on use: config loading imports this package and should stay light.
        import apprise

        with apprise.LogCapture(level=logging.WARNING):
            plugin = apprise.Apprise.instantiate(self._url.get_secret_value())
        if plugin is None:
            raise AlertingError(
                f"Channel {self.name} has a URL apprise cannot use ({self.label}); "
                "check the scheme and its fields against https://github.com/caronc/apprise/wiki."
            )
        plugin.socket_connect_timeout = timeout_seconds
        plugin.socket_read_timeout = timeout_seconds
        return plugin


def build_channels(config: AlertingConfig, *, home_root: Path) -> list[Channel]:
    """The configured channels; `jsonl://` paths that are relative are taken under `home_root`."""
    return [build_channel(channel, home_root=home_root) for channel in config.channels]


def build_channel(config: ChannelConfig, *, home_root: Path) -> Channel:
    """One channel from its `[[alerting.channels]]` table."""
    url = config.url.get_secret_value().strip()
    severity, resolved = config.min_severity, config.send_resolved
    if url.startswith(CONSOLE_SCHEME):
        return ConsoleChannel(config.name, min_severity=severity, send_resolved=resolved)
    if url.startswith(JSONL_SCHEME):
        raw_path = url.removeprefix(JSONL_SCHEME)
        if not raw_path:
            raise AlertingError(
                f"Channel {config.name}: jsonl:// needs a file path, e.g. jsonl://alerts.jsonl."
            )
        path = Path(raw_path).expanduser()
        path = path if path.is_absolute() else home_root / path
        return JsonlChannel(config.name, path, min_severity=severity, send_resolved=resolved)
    return AppriseChannel(config.name, config.url, min_severity=severity, send_resolved=resolved)


def _notify_type(notification: Notification) -> NotifyType:
    import apprise

    if not notification.firing:
        return apprise.NotifyType.SUCCESS
    return {
        Severity.INFO: apprise.NotifyType.INFO,
        Severity.WARNING: apprise.NotifyType.WARNING,
        Severity.CRITICAL: apprise.NotifyType.FAILURE,
    }[notification.severity]
