"""Loopback by default; anywhere else only with a token, and then every request must carry it."""

from __future__ import annotations

import httpx
import pytest
from tests.cli.sim_cli import cli
from tests.web.served import served

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.web.app import create_app
from nbaprops.web.auth import COOKIE, TokenMiddleware, is_loopback


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.53", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("dashboard.example.com", False),
])
def test_only_loopback_addresses_count_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_binding_beyond_loopback_without_a_token_is_refused(empty_home: Home) -> None:
    done = cli(empty_home, "dashboard", "--host", "0.0.0.0", "--port", "8351")
    assert done.returncode == 2
    assert "--host 0.0.0.0 is reachable from other machines; set NBAPROPS_DASHBOARD_TOKEN" in done.stderr


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="token must not be empty"):
        TokenMiddleware(create_app(Home(__import__("pathlib").Path("/nonexistent")), Settings()), token="")


def test_with_a_token_every_request_must_carry_it(demo_home: Home, demo_settings: Settings) -> None:
    with served(create_app(demo_home, demo_settings, token="s3cret")) as base:
        for path in ("/", "/api/overview", "/static/dashboard.css"):
            refused = httpx.get(base + path)
            assert refused.status_code == 401, path
            assert "NBAPROPS_DASHBOARD_TOKEN" in refused.text
        assert httpx.get(base + "/api/overview", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert httpx.get(base + "/api/overview", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        with httpx.Client(base_url=base) as browser:
            first = browser.get("/?token=s3cret")
            assert first.status_code == 200 and first.cookies.get(COOKIE) == "s3cret"
            assert browser.get("/pipeline").status_code == 200  # the cookie carries it on


def test_without_a_token_on_loopback_pages_answer(demo_home: Home, demo_settings: Settings) -> None:
    with served(create_app(demo_home, demo_settings)) as base:
        answer = httpx.get(base + "/")
    assert answer.status_code == 200
    assert "default-src 'self'" in answer.headers["content-security-policy"]


def test_a_home_without_a_warehouse_says_so(empty_home: Home) -> None:
    with served(create_app(empty_home, Settings())) as base:
        page, api = httpx.get(base + "/pipeline"), httpx.get(base + "/api/pipeline")
    assert (page.status_code, api.status_code) == (503, 503)
    assert "no warehouse at" in page.text and "no warehouse at" in api.json()["error"]
