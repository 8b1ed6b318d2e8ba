"""Printing reports: one JSON document with --json, a readable table otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

T = TypeVar("T")


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    return json.dumps(data, default=_default, indent=2, sort_keys=False)


def emit(data: Any, *, as_json: bool, render: Callable[[Console], None]) -> None:
    """Print `data` as one JSON document, or call `render` for people."""
    if as_json:
        print(to_json(data))
    else:
        render(report_console())


def report_console() -> Console:
    """A console for reports: the terminal's width, or 140 columns when piped to a file or cron mail."""
    console = Console()
    return console if console.is_terminal else Console(width=140)


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    result = Table(title=title, title_justify="left")
    for column in columns:
        result.add_column(column)
    for row in rows:
        result.add_row(*(_cell(value) for value in row))
    return result


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if isinstance(value, float) else escape(str(value))


@contextmanager
def progress(description: str, total: int | None, *, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr; a no-op in --json mode. Yields `advance(n)`."""
    if not enabled:

        def ignore(n: int = 1) -> None:
            return None

        yield ignore
        return
    bar = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


def track(items: Sequence[T], description: str, *, enabled: bool) -> Iterator[T]:
    """Iterate `items` with a progress bar unless disabled."""
    with progress(description, len(items), enabled=enabled) as advance:
        for item in items:
            yield item
            advance(1)
