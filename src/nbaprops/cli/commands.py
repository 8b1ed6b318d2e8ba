"""Registers every command group on the root app; each group lives in its own module."""

from __future__ import annotations

import typer

from nbaprops.cli import config_cmd, db_cmd


def register(app: typer.Typer) -> None:
    app.add_typer(config_cmd.app, name="config")
    app.add_typer(db_cmd.app, name="db")
