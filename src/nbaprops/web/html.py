"""The HTML pages: each draws the same reading its `/api/` route serves, charts as inline SVG."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from nbaprops.web import drawings
from nbaprops.web.api import readings
from nbaprops.web.reader import Reading

TEMPLATE_DIR = Path(__file__).parent / "templates"
router = APIRouter(default_response_class=HTMLResponse)


def compiled_templates() -> Jinja2Templates:
    """The page templates, each compiled now so the first request does not pay for it."""
    templates = Jinja2Templates(directory=TEMPLATE_DIR)
    for name in templates.env.list_templates():
        templates.get_template(name)
    return templates


def _page(request: Request, template: str, reading: Reading[dict[str, Any]], **extra: Any) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, {"data": reading.value, "reading": reading, "fmt": drawings.FORMATS, **extra}
    )


@router.get("/")
def home(request: Request) -> HTMLResponse:
    return _page(request, "home.html", readings(request).overview())


@router.get("/pipeline")
def pipeline(request: Request, date: date | None = None) -> HTMLResponse:
    reading = readings(request).pipeline(date)
    return _page(request, "pipeline.html", reading, charts=drawings.pipeline_charts(reading.value))


@router.get("/predictions")
def predictions(request: Request, market: str | None = None) -> HTMLResponse:
    reading = readings(request).predictions(market)
    return _page(request, "predictions.html", reading, charts=drawings.predictions_charts(reading.value))


@router.get("/today")
def today(request: Request, date: date | None = None, system: str | None = None) -> HTMLResponse:
    reading = readings(request).today(date, system)
    return _page(request, "today.html", reading, charts=drawings.today_charts(reading.value))


@router.get("/system")
def system(request: Request, since: date | None = None) -> HTMLResponse:
    reading = readings(request).system(since)
    return _page(request, "system.html", reading, charts=drawings.system_charts(reading.value))
