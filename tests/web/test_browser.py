"""The dashboard in a real browser: headless Chromium (Debian's `chromium` package) driven by
Playwright loads every page over loopback from a demo home, and finds the charts drawn, the
numbers the JSON API serves (the Today page's are `nbaprops picks --json`'s, the System page's
SLOs `nbaprops slo --json`'s), working links, sorting and the CSV downloads, and no console error.

`playwright install` is never needed: the browser is the system's, at /usr/bin/chromium
(`.ci/run` installs it). Under CI=true a missing browser fails these tests.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, sync_playwright
from tests.cli.sim_cli import cli
from tests.web.served import served

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.state import PICK_CSV_COLUMNS
from nbaprops.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
# Charts each page must draw (inline SVG), at least.
PAGES = {"/": 0, "/pipeline": 2, "/predictions": 6, "/predictions?market=threes": 6, "/today": 2, "/system": 6}


@pytest.fixture(scope="module")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"{CHROMIUM} is missing; install Debian's browser: apt-get install -y chromium"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
    pytest.skip(message)


@pytest.fixture(scope="module")
def base_url(picked_home: Home, demo_settings: Settings) -> Iterator[str]:
    with served(create_app(picked_home, demo_settings)) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(chromium), headless=True, accept_downloads=True,
            args=["--headless", "--no-sandbox", "--disable-gpu"], viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


class Watched:
    """A tab that records console errors, page errors and failed requests."""

    def __init__(self, context: BrowserContext) -> None:
        self.page: Page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(f"request failed: {request.url}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")


@pytest.fixture
def tab(browser: BrowserContext) -> Iterator[Watched]:
    watched = Watched(browser)
    yield watched
    watched.page.close()
    assert watched.problems == []


def lookup(document: Any, path: str) -> Any:
    """`systems.0.hit_rate` in the API's JSON."""
    for part in path.split("."):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def shows(text: str, value: Any, number_format: str) -> bool:
    """Whether the page's `text` shows the API's `value`, to the digits the page prints."""
    if value is None:
        return text == "-"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return text == str(value)
    shown = text.removesuffix("%")
    scale = 100.0 if number_format == "pct" else 1.0
    digits = len(shown.partition(".")[2])
    return abs(float(shown) - value * scale) <= 0.5 * 10.0 ** -digits + 1e-9


def shown_metrics_match(page: Page, api: Any) -> int:
    """How many numbers the page marks with `data-metric`, each checked against the API's `api`."""
    metrics = page.eval_on_selector_all(
        "[data-metric]", "nodes => nodes.map(n => [n.dataset.metric, n.dataset.format || '', n.textContent.trim()])")
    assert metrics, f"{page.url} shows no number to check"
    wrong = [(key, text, lookup(api, key)) for key, number_format, text in metrics
             if not shows(text, lookup(api, key), number_format)]
    assert wrong == []
    return len(metrics)


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_draws_its_charts_and_the_apis_numbers(tab: Watched, base_url: str, path: str) -> None:
    answer = tab.page.goto(base_url + path, wait_until="load")
    assert answer is not None and answer.status == 200
    charts = tab.page.locator("svg.chart")
    assert charts.count() >= PAGES[path]
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.is_visible()
        drawn = chart.locator("rect, polyline, circle, path").count()
        assert drawn > 0 or "empty-chart" in (chart.get_attribute("class") or ""), chart.get_attribute("aria-label")
    api = httpx.get(f"{base_url}/api/{path.lstrip('/') or 'overview'}").json()
    assert shown_metrics_match(tab.page, api)


def test_the_home_page_links_to_every_page(tab: Watched, base_url: str) -> None:
    tab.page.goto(base_url + "/", wait_until="load")
    for title, path in (("Pipeline", "/pipeline"), ("Predictions", "/predictions"), ("Today", "/today"),
                        ("System", "/system")):
        tab.page.locator("ul.pages").get_by_role("link", name=title).click()
        tab.page.wait_for_load_state("load")
        assert tab.page.url.split("?")[0] == base_url + path
        assert tab.page.locator("h1").is_visible()
        tab.page.go_back(wait_until="load")


def test_picks_sort_by_a_clicked_column_and_download_as_csv(tab: Watched, base_url: str) -> None:
    tab.page.goto(base_url + "/today", wait_until="load")
    heading = tab.page.locator("#picks th", has_text="price")
    heading.click()
    prices = [float(text) for text in tab.page.locator("#picks tbody td:nth-child(7)").all_inner_texts()
              if text != "-"]
    assert prices == sorted(prices) and len(set(prices)) > 1
    heading.click()
    again = [float(text) for text in tab.page.locator("#picks tbody td:nth-child(7)").all_inner_texts()
             if text != "-"]
    assert again == sorted(prices, reverse=True)
    with tab.page.expect_download() as download:
        tab.page.get_by_role("link", name="Download CSV").click()
    lines = Path(download.value.path()).read_text().splitlines()
    count = int(tab.page.locator("[data-metric=count]").inner_text())
    assert lines[0] == ",".join(PICK_CSV_COLUMNS) and len(lines) == count + 1


def test_the_today_page_shows_what_picks_json_prints(tab: Watched, base_url: str, picked_home: Home) -> None:
    tab.page.goto(base_url + "/today", wait_until="load")
    api = httpx.get(base_url + "/api/today").json()
    day = api["game_date"]
    bets = json.loads(cli(picked_home, "picks", "--date", day, "--json").stdout)
    every = json.loads(cli(picked_home, "picks", "--date", day, "--all", "--json").stdout)
    assert api["picks"] == bets["picks"] and api["picks"] + api["passes"] == every["picks"]
    assert shown_metrics_match(tab.page, {**api, "picks": bets["picks"]}) > 10 * len(bets["picks"]) > 0
    players = tab.page.locator("#picks tbody td:nth-child(1)").all_inner_texts()
    assert players == [pick["player"] for pick in bets["picks"]]
    passes = tab.page.locator("#pass-table tbody tr")
    assert not passes.first.is_visible()  # folded until asked for
    tab.page.locator("#passes summary").click()
    assert passes.first.is_visible() and passes.count() == len(every["picks"]) - len(bets["picks"])
    reasons = tab.page.locator("#pass-table tbody td:nth-child(12)").all_inner_texts()
    assert reasons == [pick["pass_reason"] for pick in every["picks"][len(bets["picks"]):]]
    with tab.page.expect_download() as download:
        tab.page.get_by_role("link", name="CSV with passes").click()
    printed = cli(picked_home, "picks", "--date", day, "--all", "--csv").stdout
    assert Path(download.value.path()).read_text() == printed


def test_the_system_page_shows_the_slos_of_slo_json(tab: Watched, reliable_home: Home,
                                                    tmp_path: Path) -> None:
    with served(create_app(reliable_home, Settings())) as base:
        tab.page.goto(base + "/system", wait_until="load")
        api = httpx.get(base + "/api/system").json()
    slo = json.loads(cli(reliable_home, "slo", "--json").stdout)
    assert api["incidents"]["slo"] == slo
    assert shown_metrics_match(tab.page, api) > 0
    cards = {key: tab.page.locator(f"[data-metric='incidents.{key}']").inner_text()
             for key in ("count", "open", "recovery_rate", "time_to_recovery_p50_minutes",
                         "time_to_recovery_p95_minutes")}
    metrics = {metric["name"]: metric["value"] for metric in slo["metrics"]}
    assert cards["count"] == str(slo["incidents"]["total"]) and cards["open"] == str(slo["incidents"]["open"])
    assert shows(cards["recovery_rate"], metrics["recovery_rate"], "pct")
    assert shows(cards["time_to_recovery_p50_minutes"], metrics["time_to_recovery_p50"], "")
    assert shows(cards["time_to_recovery_p95_minutes"], metrics["time_to_recovery_p95"], "")
    assert tab.page.locator("#breakers tr.open").count() == 1
    assert tab.page.locator("#polls tbody tr").count() == len(api["polls"]) == 2


def test_the_pipeline_page_moves_between_dates(tab: Watched, base_url: str) -> None:
    dates = httpx.get(base_url + "/api/pipeline").json()["dates"]
    tab.page.goto(f"{base_url}/pipeline?date={dates[-1]}", wait_until="load")
    tab.page.get_by_role("link", name=f"← {dates[-2]}").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("[data-metric=game_date]").inner_text() == dates[-2]
