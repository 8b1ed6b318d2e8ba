"""What the dashboard reads for each page: one `WarehouseReader` reading a page, keyed by the
page and its parameters, so the JSON API and the HTML page of one request share one reading."""

from __future__ import annotations

from datetime import date
from typing import Any

from nbaprops.clock import Clock
from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_report
from nbaprops.state import eastern_date
from nbaprops.web.pages.overview import overview_data
from nbaprops.web.pages.pipeline import pipeline_data
from nbaprops.web.pages.predictions import predictions_data
from nbaprops.web.pages.system import system_data
from nbaprops.web.pages.today import today_data
from nbaprops.web.reader import Reading, WarehouseReader

Page = dict[str, Any]


class DashboardReadings:
    """The pages' data over one home, read through one `WarehouseReader`."""

    def __init__(self, home: Home, settings: Settings, *, clock: Clock) -> None:
        self.home = home
        self.settings = settings
        self.clock = clock
        self.reader = WarehouseReader(
            home.warehouse_target,
            # Not the SQLite -wal: every reader's open touches it. Breaker writes reach the main file at
            # its checkpoints, and a reading is kept `cache_seconds` at most anyway.
            watched=(home.orchestration_db_path,),
            wait_seconds=settings.dashboard.read_wait_seconds,
            cache_seconds=settings.dashboard.cache_seconds,
            threads=settings.warehouse.threads,
        )

    def overview(self) -> Reading[Page]:
        return self.reader.read(("overview",), overview_data)

    def pipeline(self, game_date: date | None) -> Reading[Page]:
        return self.reader.read(("pipeline", game_date), lambda w: pipeline_data(w, game_date=game_date))

    def predictions(self, market: str | None) -> Reading[Page]:
        config = self.settings.dashboard
        return self.reader.read(("predictions", market), lambda w: predictions_data(
            w, market=market, trend_days=config.trend_days, starting_bankroll_units=config.starting_bankroll_units))

    def today(self, game_date: date | None, system_id: str | None = None) -> Reading[Page]:
        today = eastern_date(self.clock.now())
        system = system_id or self.settings.picks.system_id
        return self.reader.read(("today", game_date, today, system),
                                lambda w: today_data(w, game_date=game_date, today=today, system_id=system))

    def system(self, slo_since: date | None = None) -> Reading[Page]:
        return self.reader.read(("system", slo_since), lambda w: system_data(
            w, settings=self.settings, breakers=breaker_report(self.home, self.settings), wall_now=self.clock.now(),
            slo_since=slo_since, raw_dir=self.home.raw_dir))
