"""`nbaprops chaos`: replay the real failures on the synthetic league and judge how it heals
(exit 1: a scenario missed its target)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, progress, table
from nbaprops.cli.parsing import UsageError
from nbaprops.orchestration.chaos_run import play_all
from nbaprops.reliability.chaos import CATALOG, Scenario, scenario

EXIT_MISSED = 1


def chaos(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Option("--scenario", help="One scenario by name (see --all for every one).")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every scenario of the catalog.")] = False,
    data: Annotated[
        bool,
        typer.Option(
            "--data",
            help="A real season from replay instead of the synthetic league: [chaos] data_days game days from "
            "data_start, out of the season ingested into the home's warehouse (nbaprops ingest).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Run the synthetic league fault-free once and once per scenario with its fault injected, compare each
    final warehouse with the fault-free one row for row, and report recovery, duplicates, time to recovery,
    remediation, alerts and diagnosis, with the SLOs of the runs. Exits 1 when a scenario misses its target."""
    context = app_context(ctx)
    scenarios = _chosen(name, every=every)
    season = _season(context.home.warehouse_path) if data else None
    with (
        tempfile.TemporaryDirectory(prefix="nbaprops-chaos-") as folder,
        progress("Chaos scenarios", len(scenarios), enabled=not as_json) as advance,
    ):
        report = play_all(
            Path(folder), context.settings, scenarios, on_scenario=lambda _name: advance(1), season=season
        )
    data_out = report.to_json()
    emit(data_out, as_json=as_json, render=lambda console: _render(console, data_out))
    if not report.ok:
        raise typer.Exit(EXIT_MISSED)


def _season(warehouse: Path) -> Path:
    if not warehouse.exists():
        raise UsageError(
            f"--data replays the season ingested into {warehouse}, which does not exist: "
            "run nbaprops ingest ../shared/data/2024-25 first."
        )
    return warehouse


def _chosen(name: str | None, *, every: bool) -> list[Scenario]:
    if every == (name is not None):
        raise UsageError("Give either --scenario NAME or --all.")
    if every:
        return list(CATALOG)
    assert name is not None
    found = scenario(name)
    if found is None:
        raise UsageError(f"--scenario {name!r} is not one of {', '.join(s.name for s in CATALOG)}.")
    return [found]


def _render(console: Console, data: dict[str, Any]) -> None:
    def yes(value: bool) -> str:
        return "yes" if value else "NO"

    rows = [
        (
            s["name"],
            "yes" if s["recoverable"] else "no",
            yes(s["recovered"]),
            yes(s["identical"]),
            s["duplicates"],
            "-" if s["mttr_minutes"] is None else f"{s['mttr_minutes']:g}",
            "; ".join(s["remediation"]) or "-",
            ", ".join(f"{k} x{v}" for k, v in s["alerts"].items()) or "-",
            s["diagnosis"] or "-",
            "ok" if s["ok"] else "; ".join(s["problems"]),
        )
        for s in data["scenarios"]
    ]
    console.print(table(
        "Chaos scenarios",
        ["scenario", "recoverable", "recovered", "identical", "dups", "MTTR min", "remediation", "alerts",
         "diagnosis", "verdict"],
        rows,
    ))
    targets = data["targets"]
    console.print(
        f"Recoverable: {targets['recovered']} of {targets['recoverable']} recovered, {targets['identical']} identical, "
        f"{targets['duplicates']} duplicates, {targets['interventions']} interventions, MTTR p95 "
        f"{targets['mttr_p95_minutes']} min (target <= {targets['mttr_p95_minutes_max']:g}). Unrecoverable rightly "
        f"alerted and diagnosed: {targets['unrecoverable_right']} of {targets['unrecoverable']}."
    )
    slo = data["slo"]
    console.print(table(
        "SLOs of the recoverable scenarios' runs",
        ["objective", "value", "target", "met"],
        [(m["name"], "-" if m["value"] is None else m["value"], m["target"], "yes" if m["met"] else "MISSED")
         for m in slo["metrics"]],
    ))
    console.print(f"{data['wall_seconds']} s in all.")
    if targets["missed"]:
        console.print(f"Missed their targets: {', '.join(targets['missed'])}.")
