"""The dashboard's FastAPI app: pages, JSON API, packaged static files, token check, errors."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from nbaprops.clock import Clock, SystemClock
from nbaprops.config import Settings
from nbaprops.errors import WarehouseBusyError, WarehouseError
from nbaprops.home import Home
from nbaprops.web import api, html
from nbaprops.web.auth import TokenMiddleware
from nbaprops.web.readings import DashboardReadings

STATIC = Path(__file__).parent / "static"
# Everything the pages use comes from the app itself: nothing from another origin may load.
CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"


def create_app(home: Home, settings: Settings, *, token: str | None = None, clock: Clock | None = None) -> FastAPI:
    """The dashboard over `home`, read-only; every request must carry `token` when one is given."""
    app = FastAPI(title="nbaprops dashboard", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.readings = DashboardReadings(home, settings, clock=clock or SystemClock())
    app.state.templates = html.compiled_templates()
    app.include_router(api.router)
    app.include_router(html.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    if token is not None:
        app.add_middleware(TokenMiddleware, token=token)

    @app.exception_handler(WarehouseBusyError)
    async def busy(request: Request, error: WarehouseBusyError) -> Response:
        return _error(request, 503, f"{error} The dashboard has no earlier reading of this page to show.",
                      retry_after=True)

    @app.exception_handler(WarehouseError)
    async def unreadable(request: Request, error: WarehouseError) -> Response:
        return _error(request, 503, str(error))

    return app


def _error(request: Request, status: int, message: str, *, retry_after: bool = False) -> Response:
    headers = {"Retry-After": "5"} if retry_after else {}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    return PlainTextResponse(message, status_code=status, headers=headers)
