"""`nbaprops quarantine list`: the lines ingest refused and why."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from nbaprops import suggestions
from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.ingest_cmd import common_folder
from nbaprops.cli.output import emit, table
from nbaprops.ingest import WHOLE_LINE, Quarantine, held_lines

SHOWN_LINES = 50  # lines listed without --limit (--json lists all)

app = typer.Typer(help="What ingest holds in quarantine, and why.", no_args_is_help=True)


@app.command("list")
def list_quarantine(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Option(
            "--file", metavar="F",
            help="Only this file, or the files under this folder, as given to ingest; or any "
                 "ingested file whose path contains F (a basename such as props_pra.csv.gz).",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=0,
            help=f"List at most this many lines (0: all); default {SHOWN_LINES}, all with --json.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List quarantined lines by file and line: line number, column, reason. Exits 0 whatever
    is held (2 only on bad usage)."""
    context = app_context(ctx)
    shown = limit if limit is not None else (None if as_json else SHOWN_LINES)
    if not context.home.warehouse_exists:
        held = Quarantine(held_per_file={}, lines=[], files_ingested=0)
    else:
        with context.warehouse(read_only=True) as warehouse:
            held = held_lines(
                warehouse, wanted=file,
                resolved=Path(file).expanduser().resolve() if file is not None else None,
                limit=shown or None,
            )
    data = {"file": file, **held.to_json()}
    emit(data, as_json=as_json, render=lambda console: _render(console, held, file))


def _render(console: Console, held: Quarantine, file: str | None) -> None:
    if not held.held_per_file:
        if not held.files_ingested and file is None:
            console.print("Nothing has been ingested into this home yet, so nothing is held.")
        elif file is None:
            console.print("Nothing is held in quarantine: every ingested line loaded.")
        elif held.files_ingested:
            console.print(
                f"{held.files_ingested} ingested file(s) match {escape(file)!r}; none has "
                "quarantined lines.")
        else:
            console.print(
                f"No ingested file matches {escape(file)!r}; {suggestions.list_quarantine()} shows "
                "every file with quarantined lines.")
        return
    folder = common_folder([Path(path) for path in held.held_per_file])

    def shown(path: str) -> str:
        return escape(str(Path(path).relative_to(folder)) if folder else path)

    under = f" under {escape(str(folder))}" if folder else ""
    console.print(
        f"{held.total} quarantined line(s) in {len(held.held_per_file)} file(s){under}.")
    console.print(table(
        "Per file", ["file", "lines"], [(shown(path), n) for path, n in held.held_per_file.items()],
    ))
    more = held.total - len(held.lines)
    console.print(table(
        f"Quarantined lines, by file and line: {len(held.lines)} of {held.total}"
        + (" (--limit 0 lists all)" if more else ""),
        ["file", "line", "field", "reason"],
        [(shown(q.path), q.line_number, q.field or WHOLE_LINE, q.reason) for q in held.lines],
    ))
