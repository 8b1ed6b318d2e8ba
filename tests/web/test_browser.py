"""The dashboard in a real browser: headless Chromium (Debian's `chromium` package) driven by
Playwright loads every page over loopback from a demo home, and finds the charts drawn, the
numbers the JSON API serves, working links, sorting and the CSV download, and no console error.

`playwright install` is never needed: the browser is the system's, at /usr/bin/chromium
(`.ci/run` installs it). Under CI=true a missing browser fails these tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, sync_playwright
from tests.web.served import served

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
# Charts each page must draw (inline SVG), at least.
PAGES = {"/": 0, "/pipeline": 2, "/predictions": 6, "/predictions?market=threes": 6, "/today": 1, "/system": 3}


@pytest.fixture(scope="module")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"{CHROMIUM} is missing; install Debian's browser: apt-get install -y chromium"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
    pytest.skip(message)


@pytest.fixture(scope="module")
def base_url(demo_home: Home, demo_settings: Settings) -> Iterator[str]:
    with served(create_app(demo_home, demo_settings)) as base:
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
    metrics = tab.page.eval_on_selector_all(
        "[data-metric]", "nodes => nodes.map(n => [n.dataset.metric, n.dataset.format || '', n.textContent.trim()])")
    assert metrics, f"{path} shows no number to check"
    wrong = [(key, text, lookup(api, key)) for key, number_format, text in metrics
             if not shows(text, lookup(api, key), number_format)]
    assert wrong == []


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
    assert lines[0].startswith("game_date,player,market") and len(lines) == count + 1


def test_the_pipeline_page_moves_between_dates(tab: Watched, base_url: str) -> None:
    dates = httpx.get(base_url + "/api/pipeline").json()["dates"]
    tab.page.goto(f"{base_url}/pipeline?date={dates[-1]}", wait_until="load")
    tab.page.get_by_role("link", name=f"← {dates[-2]}").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("[data-metric=game_date]").inner_text() == dates[-2]
