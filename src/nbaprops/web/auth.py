"""Who may read the dashboard: anyone on loopback; with a token, only requests that carry it.

A browser gives the token once as `?token=...`; the answer sets it as an HttpOnly cookie, so the
page's links work without it. Scripts send `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac
import ipaddress

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp

TOKEN_ENV_VAR = "NBAPROPS_DASHBOARD_TOKEN"
COOKIE = "nbaprops_dashboard_token"


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the dashboard on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


class TokenMiddleware(BaseHTTPMiddleware):
    """401 for every request that does not carry `token` (header, cookie or query)."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        super().__init__(app)
        if not token:
            raise ValueError("token must not be empty.")
        self._token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        header = request.headers.get("authorization", "")
        bearer = header[7:] if header.lower().startswith("bearer ") else None
        from_query = request.query_params.get("token")
        if not (_matches(bearer, self._token) or _matches(request.cookies.get(COOKIE), self._token)
                or _matches(from_query, self._token)):
            return PlainTextResponse(
                f"This dashboard needs its token: send Authorization: Bearer <{TOKEN_ENV_VAR}>, "
                "or open it once with ?token=<token>.",
                status_code=401, headers={"WWW-Authenticate": "Bearer"},
            )
        response = await call_next(request)
        if _matches(from_query, self._token):
            response.set_cookie(COOKIE, self._token, httponly=True, samesite="strict")
        return response
