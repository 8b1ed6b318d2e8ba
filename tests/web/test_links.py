"""Health, its alerts and `status` link to the dashboard page of the date they speak about."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nbaprops.alerting.model import Alert, Notification, Severity
from nbaprops.config import DashboardConfig, Settings
from nbaprops.ops.health._check import with_dashboard_link


@pytest.mark.parametrize(("base_url", "page", "game_date", "url"), [
    ("http://127.0.0.1:8350", "pipeline", date(2025, 1, 10), "http://127.0.0.1:8350/pipeline?date=2025-01-10"),
    ("https://ops.example.com/nba/", "/today", date(2025, 2, 1), "https://ops.example.com/nba/today?date=2025-02-01"),
    ("http://127.0.0.1:8350", "system", None, "http://127.0.0.1:8350/system"),
])
def test_page_urls_join_the_base_the_page_and_the_date(
    base_url: str, page: str, game_date: date | None, url: str
) -> None:
    assert DashboardConfig(base_url=base_url).page_url(page, game_date) == url


def test_the_base_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBAPROPS_DASHBOARD__BASE_URL", "http://dash.internal:9000")
    assert Settings().dashboard.page_url("pipeline", date(2025, 1, 10)) == (
        "http://dash.internal:9000/pipeline?date=2025-01-10")


def test_an_alert_about_a_date_links_to_its_pipeline_page_in_the_notification() -> None:
    alert = Alert("phase3_incomplete", Severity.WARNING, "phase3", "2 of 5 processors",
                  labels={"game_date": "2025-01-10"})
    linked = with_dashboard_link(alert, Settings())
    assert linked.details["dashboard_url"] == "http://127.0.0.1:8350/pipeline?date=2025-01-10"
    assert linked.fingerprint == alert.fingerprint  # the same alert, deduplicated as before
    body = Notification("g", (linked,), (), datetime(2025, 1, 10, tzinfo=UTC)).body
    assert "  dashboard: http://127.0.0.1:8350/pipeline?date=2025-01-10" in body.splitlines()


def test_an_alert_about_no_date_stays_as_it_is() -> None:
    alert = Alert("breaker_open", Severity.WARNING, "sources", "odds_api is open", labels={"source": "odds_api"})
    assert with_dashboard_link(alert, Settings()) is alert
