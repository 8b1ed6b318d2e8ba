"""`nbaprops alerts ...` through the real entry point, against a real home and warehouse."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tests.alerting.helpers import make_alert

from nbaprops.alerting import AlertingConfig, AlertStore, build_engine
from nbaprops.cli.main import run
from nbaprops.clock import VirtualClock
from nbaprops.home import Home
from nbaprops.warehouse import Warehouse

# apprise's e-mail plugin imports the stdlib's deprecated imghdr; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def nbaprops(
    home: Home, *args: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["nbaprops", "--home", str(home.root), *args])
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps tables to the terminal width
    code = 0
    try:
        run()
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cli(home: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    return lambda *args: nbaprops(home, *args, capsys=capsys, monkeypatch=monkeypatch)


@pytest.fixture
def http_sink() -> Iterator[int]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def write_config(home: Home, text: str) -> None:
    home.config_path.write_text(text, encoding="utf-8")


def test_list_with_nothing_recorded(cli: Any) -> None:
    code, out, _ = cli("alerts", "list", "--json")
    assert code == 0
    assert json.loads(out) == {"alerts": [], "silences": []}
    code, out, _ = cli("alerts", "list")
    assert (code, out.strip()) == (0, "No active alerts.")


def test_list_shows_what_the_engine_recorded(cli: Any, home: Home) -> None:
    clock = VirtualClock(datetime(2025, 1, 10, 18, 0, tzinfo=UTC))
    with Warehouse.open(home.warehouse_path) as warehouse:
        engine = build_engine(
            AlertingConfig(), warehouse=warehouse, home_root=home.root, clock=clock
        )
        engine.process([make_alert("phase3_data_stale"), make_alert("stuck_work", phase="phase3")])
        clock.sleep(120)
        engine.process([make_alert("phase3_data_stale")])
    code, out, _ = cli("alerts", "list", "--json")
    assert code == 0
    [alert] = json.loads(out)["alerts"]
    assert (alert["name"], alert["status"], alert["seen_count"]) == (
        "phase3_data_stale",
        "firing",
        2,
    )
    assert alert["first_seen_utc"] == "2025-01-10T18:00:00+00:00"
    assert alert["last_seen_utc"] == "2025-01-10T18:02:00+00:00"
    code, out, _ = cli("alerts", "list", "--all", "--json")
    assert sorted((a["name"], a["status"]) for a in json.loads(out)["alerts"]) == [
        ("phase3_data_stale", "firing"),
        ("stuck_work", "resolved"),
    ]
    code, out, _ = cli("alerts", "list")
    assert "phase3_data_stale" in out and "stuck_work" not in out


def test_silence_list_and_unsilence(cli: Any, home: Home) -> None:
    code, out, _ = cli(
        "alerts",
        "silence",
        "phase3_data_stale",
        "component=~phase3.*",
        "--for",
        "2h",
        "--comment",
        "Phase 3 backfill",
        "--by",
        "ops",
        "--json",
    )
    assert code == 0
    created = json.loads(out)
    assert created["matchers"] == ["name=phase3_data_stale", "component=~phase3.*"]
    assert created["state"] == "active" and created["created_by"] == "ops"
    length = datetime.fromisoformat(created["ends_utc"]) - datetime.fromisoformat(
        created["starts_utc"]
    )
    assert length.total_seconds() == 7200

    code, out, _ = cli("alerts", "list", "--json")
    assert [s["silence_id"] for s in json.loads(out)["silences"]] == [created["silence_id"]]

    code, out, _ = cli("alerts", "unsilence", created["silence_id"], "--json")
    assert code == 0 and json.loads(out)["state"] == "expired"
    code, out, _ = cli("alerts", "list", "--json")
    assert json.loads(out)["silences"] == []
    code, out, _ = cli("alerts", "list", "--all", "--json")
    assert [s["state"] for s in json.loads(out)["silences"]] == ["expired"]
    with Warehouse.open(home.warehouse_path) as warehouse:
        [stored] = AlertStore(warehouse).silences(now=datetime.now(UTC), include_expired=True)
    assert stored.comment == "Phase 3 backfill"


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (
            ("silence", "x", "--for", "2q"),
            2,
            "error: --for: Duration '2q' is not valid; write a number and a unit",
        ),
        (("silence", "na me=x"), 2, "error: MATCHERS: Matcher 'na me=x' is not valid; write label=value"),
        (("unsilence", "nope"), 3, "error: No silence with id 'nope'; `nbaprops alerts list` shows"),
        (("test",), 3, "error: No alert channels are configured; add a [[alerting.channels]] table"),
    ],
)
def test_mistakes_get_one_line_and_an_exit_code(
    cli: Any, args: tuple[str, ...], exit_code: int, message: str
) -> None:
    code, out, err = cli("alerts", *args)
    assert code == exit_code and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_alerts_test_reports_each_channel_and_fails_when_one_fails(
    cli: Any, home: Home, http_sink: int
) -> None:
    write_config(
        home,
        f"""
[alerting.delivery]
attempts = 2
backoff_seconds = 0

[[alerting.channels]]
name = "hook"
url = "json://ops:s3cr3t-hook-pass@127.0.0.1:{http_sink}/hook"
min_severity = "critical"

[[alerting.channels]]
name = "down"
url = "json://127.0.0.1:9/hook"
""",
    )
    code, out, err = cli("alerts", "test", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert [(c["channel"], c["label"], c["ok"], c["attempts"]) for c in report["channels"]] == [
        ("hook", f"json://127.0.0.1:{http_sink}", True, 1),
        ("down", "json://127.0.0.1:9", False, 2),
    ]
    assert "s3cr3t-hook-pass" not in out + err

    write_config(
        home,
        f"""
[[alerting.channels]]
name = "hook"
url = "json://127.0.0.1:{http_sink}/hook"
""",
    )
    code, out, _ = cli("alerts", "test")
    assert code == 0 and "hook" in out and "ok" in out


def test_alerts_test_names_channels_configured_without_names(
    cli: Any, home: Home, http_sink: int
) -> None:
    write_config(
        home,
        f"""
[[alerting.channels]]
url = "json://ops:s3cr3t-hook-pass@127.0.0.1:{http_sink}/hook"
min_severity = "critical"

[[alerting.channels]]
url = "jsonl://alerts.jsonl"
min_severity = "info"
""",
    )
    code, out, err = cli("alerts", "test", "--json")
    assert code == 0, err
    assert [(c["channel"], c["ok"]) for c in json.loads(out)["channels"]] == [("json-0", True), ("jsonl-1", True)]
    code, out, err = cli("alerts", "test")
    assert code == 0 and "json-0" in out and "jsonl-1" in out
    assert "s3cr3t-hook-pass" not in out + err


def test_the_installed_script_runs_alerts_list(home: Home) -> None:
    script = Path(sys.executable).with_name("nbaprops")
    executable = str(script) if script.exists() else shutil.which("nbaprops")
    assert executable, "the nbaprops console script is not installed in this environment"
    done = subprocess.run(
        [executable, "--home", str(home.root), "alerts", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"alerts": [], "silences": []}
