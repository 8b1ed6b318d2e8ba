"""`nbaprops dashboard` through the real entry point: it serves the home's pages until stopped."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx
from tests.cli.sim_cli import NBAPROPS

from nbaprops.home import Home


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_command_serves_the_pages_and_asks_for_its_token(demo_home: Home) -> None:
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "NBAPROPS_DASHBOARD_TOKEN": "t0ken"}
    with subprocess.Popen([str(NBAPROPS), "--home", str(demo_home.root), "dashboard", "--port", str(port)],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    refused = httpx.get(base + "/api/overview")
                    break
                except httpx.ConnectError:
                    assert process.poll() is None and time.monotonic() < deadline, "the dashboard did not start"
                    time.sleep(0.2)
            assert refused.status_code == 401
            allowed = httpx.get(base + "/api/overview", headers={"Authorization": "Bearer t0ken"})
            assert allowed.status_code == 200 and allowed.json()["graded"] > 0
        finally:
            process.terminate()
            out, _err = process.communicate(timeout=30)
    assert f"on http://127.0.0.1:{port}/ (token required)" in out
