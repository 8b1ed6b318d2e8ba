"""What every command gets: the home, its settings and an opened warehouse on demand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import typer

from nbaprops.config import Settings, load_settings
from nbaprops.home import Home
from nbaprops.warehouse import Warehouse

WAREHOUSE_WAIT_SECONDS = 60.0


@dataclass
class AppContext:
    home: Home
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.home.config_path)
        return self._settings

    @contextmanager
    def warehouse(self, *, read_only: bool = False) -> Iterator[Warehouse]:
        """Open the home's warehouse, waiting politely if another process is writing."""
        self.home.ensure()
        warehouse = Warehouse.open(
            self.home.warehouse_target, read_only=read_only and self.home.warehouse_exists,
            wait_seconds=WAREHOUSE_WAIT_SECONDS, threads=self.settings.warehouse.threads,
        )
        try:
            yield warehouse
        finally:
            warehouse.close()


def app_context(ctx: typer.Context) -> AppContext:
    """The AppContext the root callback stored on the click context."""
    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, AppContext):
        raise RuntimeError("nbaprops root callback did not run")
    return obj
