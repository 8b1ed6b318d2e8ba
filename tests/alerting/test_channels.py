"""Channels against real servers on loopback: SMTP (aiosmtpd), an HTTP webhook receiver, a closed
port and a server that never answers; plus the console and JSON-lines channels and redaction."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pydantic import SecretStr
from tests.alerting.helpers import START, make_alert

from nbaprops.alerting import (
    AlertingConfig,
    AlertStore,
    Severity,
    build_channel,
    build_engine,
)
from nbaprops.alerting.config import ChannelConfig
from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.errors import AlertingError
from nbaprops.home import Home
from nbaprops.warehouse import Warehouse

# apprise's e-mail plugin imports the stdlib's deprecated imghdr; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")

ODDS_KEY = "odds-key-5f3c9a1e77"
HOOK_PASSWORD = "hookPassw0rd-91"
HOOK_TOKEN = "T0kenPath1234567890"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpInbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox() -> Iterator[SmtpInbox]:
    inbox = SmtpInbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class HttpReceiver:
    port: int
    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def http_receiver() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
            )
            self.send_response(receiver.status)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return  # keep test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections (through the backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


def settings_with(*channels: dict[str, Any], **alerting: Any) -> Settings:
    return Settings.model_validate(
        {
            "sources": {"odds_api": {"api_key": ODDS_KEY}},
            "alerting": {
                "group_wait_seconds": 0,
                "channels": list(channels),
                "delivery": {"attempts": 3, "backoff_seconds": 1.0, "timeout_seconds": 5.0},
                **alerting,
            },
        }
    )


def engine_for(settings: Settings, warehouse: Warehouse, home: Home, clock: VirtualClock) -> Any:
    return build_engine(
        settings.alerting, warehouse=warehouse, home_root=home.root, clock=clock, settings=settings
    )


def test_an_email_reaches_a_real_smtp_server(
    smtp_inbox: SmtpInbox, warehouse: Warehouse, home: Home
) -> None:
    # Plain SMTP on a custom port, no TLS, no login: `mailto://` (not mailtos) with from= and to=.
    url = f"mailto://127.0.0.1:{smtp_inbox.port}?from=alerts@example.com&to=ops@example.com"
    settings = settings_with({"name": "mail", "url": url})
    engine = engine_for(settings, warehouse, home, VirtualClock(START))
    result = engine.process([make_alert("phase3_data_stale")])
    assert [(s.channel, s.ok) for s in result.sent] == [("mail", True)]
    [message] = smtp_inbox.messages
    assert smtp_inbox.envelopes == [("alerts@example.com", ["ops@example.com"])]
    assert message["Subject"] == "[FIRING:1] warning component=phase3"
    plain = message.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "phase3_data_stale fired for the test." in text
    [row] = AlertStore(warehouse).deliveries()
    assert (row["channel"], row["channel_label"], row["ok"]) == (
        "mail",
        f"mailto://127.0.0.1:{smtp_inbox.port}",
        True,
    )


def test_a_json_webhook_reaches_a_real_http_receiver(
    http_receiver: HttpReceiver, warehouse: Warehouse, home: Home
) -> None:
    url = f"json://127.0.0.1:{http_receiver.port}/hooks/nbaprops"
    engine = engine_for(
        settings_with({"name": "hook", "url": url}), warehouse, home, VirtualClock(START)
    )
    engine.process([make_alert("source_down", severity=Severity.CRITICAL, source="odds_api")])
    [request] = http_receiver.requests
    assert request["path"] == "/hooks/nbaprops"
    assert request["json"]["title"] == "[FIRING:1] critical component=phase3"
    assert request["json"]["type"] == "failure"
    assert "source_down fired for the test." in request["json"]["message"]


def test_a_channel_on_a_closed_port_is_retried_recorded_and_does_not_block(
    warehouse: Warehouse, home: Home
) -> None:
    closed = free_port()
    settings = settings_with(
        {"name": "hook", "url": f"json://127.0.0.1:{closed}/x"},
        {"name": "mail", "url": f"mailto://127.0.0.1:{closed}?from=a@example.com&to=b@example.com"},
    )
    clock = VirtualClock(START)
    engine = engine_for(settings, warehouse, home, clock)
    started = time.monotonic()
    result = engine.process([make_alert("phase3_data_stale")])
    assert time.monotonic() - started < 3.0
    assert [(s.channel, s.ok) for s in result.sent] == [("hook", False), ("mail", False)]
    assert (clock.now() - START).total_seconds() == 2 * (1 + 2)  # backoff went through the clock
    rows = AlertStore(warehouse).deliveries()
    assert [(r["channel"], r["attempt"], r["ok"]) for r in rows] == [
        ("hook", 1, False),
        ("hook", 2, False),
        ("hook", 3, False),
        ("mail", 1, False),
        ("mail", 2, False),
        ("mail", 3, False),
    ]
    assert rows[0]["error"].startswith(
        f"AlertingError: Channel hook (json://127.0.0.1:{closed}) did not accept"
    )
    assert rows[3]["error"].startswith(
        f"AlertingError: Channel mail (mailto://127.0.0.1:{closed}) did not accept"
    )


def test_a_server_that_never_answers_costs_the_timeout_only(
    silent_server: int, warehouse: Warehouse, home: Home
) -> None:
    settings = settings_with(
        {"name": "hook", "url": f"json://127.0.0.1:{silent_server}/x"},
        delivery={"attempts": 2, "backoff_seconds": 0, "timeout_seconds": 0.3},
    )
    engine = engine_for(settings, warehouse, home, VirtualClock(START))
    started = time.monotonic()
    result = engine.process([make_alert("phase3_data_stale")])
    assert time.monotonic() - started < 3.0
    assert [s.ok for s in result.sent] == [False]
    assert len(AlertStore(warehouse).deliveries()) == 2


def test_an_http_error_is_recorded_with_its_status(
    http_receiver: HttpReceiver, warehouse: Warehouse, home: Home
) -> None:
    http_receiver.status = 500
    settings = settings_with(
        {"name": "hook", "url": f"json://127.0.0.1:{http_receiver.port}/x"},
        delivery={"attempts": 2, "backoff_seconds": 0},
    )
    engine_for(settings, warehouse, home, VirtualClock(START)).process([make_alert()])
    assert len(http_receiver.requests) == 2
    errors = [r["error"] for r in AlertStore(warehouse).deliveries()]
    assert all("500" in error for error in errors), errors


def test_secrets_never_reach_files_console_or_tables(
    http_receiver: HttpReceiver,
    warehouse: Warehouse,
    home: Home,
    capsys: pytest.CaptureFixture[str],
) -> None:
    closed = free_port()
    settings = settings_with(
        {"name": "log", "url": "jsonl://alerts.jsonl", "min_severity": "info"},
        {"name": "screen", "url": "console://", "min_severity": "info"},
        {
            "name": "hook",
            "url": f"json://ops:{HOOK_PASSWORD}@127.0.0.1:{http_receiver.port}/{HOOK_TOKEN}",
        },
        {"name": "down", "url": f"json://ops:{HOOK_PASSWORD}@127.0.0.1:{closed}/{HOOK_TOKEN}"},
    )
    engine = engine_for(settings, warehouse, home, VirtualClock(START))
    leaky = replace(
        make_alert("source_down", severity=Severity.CRITICAL, source="odds_api"),
        message=f"GET /v4/sports?apiKey={ODDS_KEY} returned 401; hook {HOOK_TOKEN} unused.",
        details={"request": f"https://ops:{HOOK_PASSWORD}@odds.example.com/?apiKey={ODDS_KEY}"},
    )
    engine.process([leaky])
    engine.send_test()

    assert http_receiver.requests[0]["path"] == f"/{HOOK_TOKEN}"  # the secret path is still used
    jsonl = (home.root / "alerts.jsonl").read_text()
    console = capsys.readouterr()
    store = AlertStore(warehouse)
    tables = json.dumps(
        [store.deliveries(), store.events(), [s.to_json() for s in store.list_states()]],
        default=str,
    )
    for where, text in {
        "jsonl": jsonl,
        "console": console.err + console.out,
        "tables": tables,
    }.items():
        for secret in (ODDS_KEY, HOOK_PASSWORD, HOOK_TOKEN):
            assert secret not in text, f"{secret} leaked into the {where}"
    assert "source_down" in jsonl and "[critical] source_down" in console.err
    labels = {r["channel"]: r["channel_label"] for r in store.deliveries()}
    assert labels["hook"] == f"json://127.0.0.1:{http_receiver.port}"
    assert labels["log"] == f"jsonl://{home.root / 'alerts.jsonl'}"


def test_jsonl_lines_are_whole_notifications(warehouse: Warehouse, home: Home) -> None:
    settings = settings_with(
        {"name": "log", "url": "jsonl://logs/alerts.jsonl", "min_severity": "info"}
    )
    clock = VirtualClock(START)
    engine = engine_for(settings, warehouse, home, clock)
    engine.process([make_alert()])
    clock.sleep(600)
    engine.process([])
    lines = [
        json.loads(line) for line in (home.root / "logs" / "alerts.jsonl").read_text().splitlines()
    ]
    assert [(len(n["firing"]), len(n["resolved"])) for n in lines] == [(1, 0), (0, 1)]
    assert lines[0]["firing"][0]["name"] == "phase3_data_stale"
    assert lines[1]["title"] == "[RESOLVED:1] warning component=phase3"


def test_alerts_test_reaches_every_channel_whatever_its_severity(
    http_receiver: HttpReceiver, smtp_inbox: SmtpInbox, warehouse: Warehouse, home: Home
) -> None:
    settings = settings_with(
        {
            "name": "pager",
            "url": f"mailto://127.0.0.1:{smtp_inbox.port}?from=a@example.com&to=b@example.com",
            "min_severity": "critical",
        },
        {"name": "hook", "url": f"json://127.0.0.1:{http_receiver.port}/t"},
        {"name": "down", "url": f"json://127.0.0.1:{free_port()}/t"},
        delivery={"attempts": 2, "backoff_seconds": 0},
    )
    results = engine_for(settings, warehouse, home, VirtualClock(START)).send_test()
    assert [(r.channel, r.ok, r.attempts) for r in results] == [
        ("pager", True, 1),
        ("hook", True, 1),
        ("down", False, 2),
    ]
    assert smtp_inbox.messages[0]["Subject"] == "[TEST] nbaprops alerting"
    assert http_receiver.requests[0]["json"]["title"] == "[TEST] nbaprops alerting"
    test_events = [e for e in AlertStore(warehouse).events() if e["event"] == "test"]
    assert len(test_events) == 1


def test_an_unusable_url_is_refused_at_start(home: Home) -> None:
    config = ChannelConfig(name="odd", url=SecretStr("nosuchscheme://token123/abc"))
    with pytest.raises(
        AlertingError, match=r"Channel odd has a URL apprise cannot use \(nosuchscheme://\)"
    ):
        build_channel(config, home_root=home.root)
    with pytest.raises(AlertingError, match=r"Channel log: jsonl:// needs a file path"):
        build_channel(ChannelConfig(name="log", url=SecretStr("jsonl://")), home_root=home.root)


def test_alerting_config_refuses_duplicate_channel_names() -> None:
    with pytest.raises(ValueError, match=r"channel names must be unique; repeated: a"):
        AlertingConfig.model_validate(
            {"channels": [{"name": "a", "url": "console://"}, {"name": "a", "url": "console://"}]}
        )
