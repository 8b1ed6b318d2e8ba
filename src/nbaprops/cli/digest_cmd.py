"""`nbaprops digest --date D [--json]`: the morning message the worker sends, printed."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit
from nbaprops.cli.parsing import parse_date
from nbaprops.clock import SystemClock
from nbaprops.ops import home_clock
from nbaprops.ops.digest import build_digest, digest_text, digest_title


def digest(
    ctx: typer.Context,
    game_date: Annotated[str, typer.Option("--date", help="The digest's day (today's picks), YYYY-MM-DD.")],
    top: Annotated[
        int | None, typer.Option("--top", min=1, max=100, help="Today's picks listed.", show_default="[digest] top_n")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Yesterday's graded picks per system with the rolling record (n, hit rate and its Wilson interval,
    ROI), today's top picks by expected value, the health verdict, the open incidents, the dashboard link."""
    day = parse_date(game_date, "--date")
    context = app_context(ctx)
    settings = context.settings
    if top is not None:
        settings = settings.model_copy(update={"digest": settings.digest.model_copy(update={"top_n": top})})
    with context.warehouse(read_only=True) as warehouse:
        clock = home_clock(warehouse, wall_now=SystemClock().now(), as_of=None, game_date=day)
        result = build_digest(warehouse, settings=settings, game_date=day, now_utc=clock.now_utc)
    data = {"title": digest_title(result), **result.to_json(), "clock": clock.to_json()}

    def render(console: Console) -> None:
        console.print(digest_title(result), highlight=False, markup=False)
        console.print(digest_text(result), highlight=False, markup=False, soft_wrap=True)

    emit(data, as_json=as_json, render=render)
