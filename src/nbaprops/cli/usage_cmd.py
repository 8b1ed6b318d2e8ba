"""`nbaprops usage`: what processor runs and source requests used, and what it cost at `[usage]` prices."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_date
from nbaprops.ops.usage import Grouping, UsageGroup, UsageReport, read_usage

MIB = 1024 * 1024


def usage(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", help="First day, YYYY-MM-DD, on the run's clock (default: all).")
    ] = None,
    by: Annotated[Grouping, typer.Option("--by", help="Group by day, phase, processor or source.")] = Grouping.DAY,
    as_json: JsonOption = False,
) -> None:
    """Wall time, CPU seconds, peak memory and rows read and written of every processor run; requests,
    bytes and credits of every live source request; their cost at the [usage] prices, and the
    warehouse's storage cost a month."""
    context = app_context(ctx)
    first = parse_date(since, "--since") if since is not None else None
    with context.warehouse(read_only=True) as warehouse:
        report = read_usage(warehouse, context.home.raw_dir, by=by, since=first, config=context.settings.usage)
    emit(report.to_json(), as_json=as_json, render=lambda console: _render(report, console))


def _row(group: UsageGroup, currency: str) -> tuple[object, ...]:
    return (
        group.key, group.runs, group.failed_runs, f"{group.wall_seconds:.1f}", f"{group.cpu_seconds:.1f}",
        f"{group.peak_rss_bytes / MIB:.0f}", group.rows_read, group.rows_written, group.requests,
        f"{group.bytes / MIB:.2f}", f"{group.credits:g}", f"{group.cost:.6f} {currency}",
    )


def _render(report: UsageReport, console: Console) -> None:
    since = f" since {report.since}" if report.since else ""
    if not report.groups:
        console.print(f"No processor run or source request recorded{since}.")
    else:
        console.print(table(
            f"Usage by {report.by.value}{since}",
            [report.by.value, "runs", "failed", "wall s", "cpu s", "peak RSS MiB", "rows read", "rows written",
             "requests", "MiB in", "credits", "cost"],
            [*(_row(group, report.currency) for group in report.groups), _row(report.total, report.currency)],
        ))
    prices = report.prices
    credits = ", ".join(f"{name} {m.credit_price:g}" for name, m in sorted(prices.metered.items())) or "none"
    console.print(
        f"Warehouse: {report.warehouse_bytes / 1e9:.3f} GB, {report.storage_cost_per_month:.4f} {report.currency} "
        f"a month. {report.runs_rss_grew} run(s) raised the process's peak memory."
    )
    console.print(
        f"Prices (\\[usage]): CPU hour {prices.cpu_hour_price:g}, GB-month {prices.warehouse_gb_month_price:g}, "
        f"credit: {credits} ({report.currency})."
    )
    for note in report.notes:
        console.print(f"- {escape(note)}")
