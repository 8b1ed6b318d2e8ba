"""`nbaprops dashboard [--host H] [--port P]`: the read-only dashboard over this home."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from nbaprops.cli.context import app_context
from nbaprops.errors import UsageError
from nbaprops.web.auth import TOKEN_ENV_VAR, is_loopback


def dashboard(
    ctx: typer.Context,
    host: Annotated[
        str | None,
        typer.Option("--host", help=f"Interface to bind; any but loopback needs {TOKEN_ENV_VAR}.",
                     show_default="dashboard.host from config (127.0.0.1)"),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="Port to listen on.",
                     show_default="dashboard.port from config (8350)"),
    ] = None,
) -> None:
    """Serve the dashboard (Pipeline, Predictions, Today, System, and their JSON under /api/),
    read-only over the warehouse and the orchestration database, until interrupted."""
    import uvicorn

    from nbaprops.web.app import create_app

    context = app_context(ctx)
    settings = context.settings
    bind = host or settings.dashboard.host
    token = os.environ.get(TOKEN_ENV_VAR) or None
    if token is None and not is_loopback(bind):
        # Anyone who can reach the port would read the pipeline: outside loopback, a token or nothing.
        raise UsageError(
            f"--host {bind} is reachable from other machines; set {TOKEN_ENV_VAR} to a secret token "
            "(requests must then carry it), or bind 127.0.0.1."
        )
    app = create_app(context.home, settings, token=token)
    chosen_port = port or settings.dashboard.port
    typer.echo(f"nbaprops dashboard of {context.home.root} on http://{bind}:{chosen_port}/ "
               f"({'token required' if token else 'loopback only, no token'}); Ctrl-C stops it.")
    uvicorn.run(app, host=bind, port=chosen_port, log_level="warning")
