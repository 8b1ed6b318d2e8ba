"""The JSON API: each page's numbers, as the page draws them, under `/api/`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse

from nbaprops.state import DayPick, picks_csv
from nbaprops.web.reader import Reading
from nbaprops.web.readings import DashboardReadings

router = APIRouter(prefix="/api")


def readings(request: Request) -> DashboardReadings:
    found: DashboardReadings = request.app.state.readings
    return found


def as_json(reading: Reading[dict[str, Any]]) -> dict[str, Any]:
    """A page's data with when it was read and whether it is an older reading."""
    return {**reading.value, "reading": {"read_utc": reading.read_utc.isoformat(), "stale": reading.stale}}


@router.get("/overview")
def overview(request: Request) -> dict[str, Any]:
    return as_json(readings(request).overview())


@router.get("/pipeline")
def pipeline(request: Request, date: date | None = None) -> dict[str, Any]:
    return as_json(readings(request).pipeline(date))


@router.get("/predictions")
def predictions(request: Request, market: str | None = None) -> dict[str, Any]:
    return as_json(readings(request).predictions(market))


@router.get("/today")
def today(request: Request, date: date | None = None, system: str | None = None) -> dict[str, Any]:
    return as_json(readings(request).today(date, system))


@router.get("/today.csv", response_class=PlainTextResponse)
def today_csv(request: Request, date: date | None = None, system: str | None = None,
              with_passes: Annotated[bool, Query(alias="all")] = False) -> PlainTextResponse:
    """The day's picks as `picks --csv` prints them (`all`: with the passes, as `picks --all --csv`)."""
    data = readings(request).today(date, system).value
    rows = [*data["picks"], *data["passes"]] if with_passes else data["picks"]
    name = f"picks-{data['game_date'] or 'none'}{'-all' if with_passes else ''}.csv"
    return PlainTextResponse(picks_csv(DayPick(**row) for row in rows), media_type="text/csv",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/system")
def system(request: Request, since: date | None = None) -> dict[str, Any]:
    return as_json(readings(request).system(since))
