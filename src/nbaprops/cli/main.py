"""Entry point: the root `nbaprops` app, its global options and error handling."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from nbaprops.cli import commands
from nbaprops.cli.context import AppContext
from nbaprops.cli.logs import configure_logging
from nbaprops.cli.parsing import parse_home
from nbaprops.errors import NbaPropsError, UsageError
from nbaprops.home import HOME_ENV_VAR

EXIT_USAGE = 2
EXIT_ERROR = 3

app = typer.Typer(
    name="nbaprops",
    help="Self-healing NBA player-prop prediction platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", envvar=HOME_ENV_VAR, help="Home folder (config, warehouse, state).",
            show_default="./.nbaprops",
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Also print log records (DBOS, HTTP, ...) to stderr; they always go to "
            "<home>/logs/nbaprops.log.",
        ),
    ] = False,
) -> None:
    chosen = parse_home(home)
    configure_logging(chosen.log_path, verbose=verbose)
    ctx.obj = AppContext(home=chosen)


commands.register(app)


def run() -> None:
    """Console-script entry: run the app, turning known errors into one line and an exit code."""
    try:
        # Outside standalone mode click returns a typer.Exit's code instead of exiting with it.
        exit_code = app(standalone_mode=False)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except NbaPropsError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(EXIT_ERROR)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        print("aborted", file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.TyperException as e:  # usage errors: bad option values, unknown commands
        show = getattr(e, "show", None)
        if show is not None:
            show()
        sys.exit(getattr(e, "exit_code", 2))
    except Exception as e:  # noqa: BLE001 - the last line of defence against a bare traceback
        if os.environ.get("NBAPROPS_DEBUG"):
            raise
        print(
            f"error: unexpected {type(e).__name__}: {e}. This is a bug in nbaprops; "
            f"rerun with NBAPROPS_DEBUG=1 for the traceback.",
            file=sys.stderr,
        )
        sys.exit(EXIT_ERROR)
    sys.exit(exit_code if isinstance(exit_code, int) else 0)
