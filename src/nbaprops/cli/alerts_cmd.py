"""`nbaprops alerts list | silence | unsilence | test`."""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console

from nbaprops.alerting import (
    AlertState,
    AlertStore,
    Silence,
    build_engine,
)
from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, table
from nbaprops.cli.parsing import parse_duration, parse_matchers
from nbaprops.clock import SystemClock
from nbaprops.errors import AlertingError

app = typer.Typer(help="Alerts, silences and channel tests.", no_args_is_help=True)


@app.command("list")
def list_alerts(
    ctx: typer.Context,
    show_all: Annotated[
        bool, typer.Option("--all", help="Include resolved alerts and ended silences.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show active alerts (firing, silenced, inhibited, suppressed_retry) and active silences."""
    context = app_context(ctx)
    now = SystemClock().now()
    with context.warehouse() as warehouse:
        store = AlertStore(warehouse)
        alerts = store.list_states(include_resolved=show_all)
        silences = store.silences(now=now, include_expired=show_all)
    data = {
        "alerts": [state.to_json() for state in alerts],
        "silences": [_silence_json(silence, now=now) for silence in silences],
    }

    def render(console: Console) -> None:
        if not alerts:
            console.print("No alerts." if show_all else "No active alerts.")
        else:
            console.print(table("Alerts", _ALERT_COLUMNS, [_alert_row(s) for s in alerts]))
        if silences:
            rows = [_silence_row(silence, now=now) for silence in silences]
            console.print(table("Silences", _SILENCE_COLUMNS, rows))

    emit(data, as_json=as_json, render=render)


@app.command("silence")
def silence(
    ctx: typer.Context,
    matchers: Annotated[
        list[str],
        typer.Argument(
            help="All must match: name=phase3_data_stale, component=~phase3.*, source!=odds_api; "
            "a bare word is an alert name."
        ),
    ],
    duration: Annotated[str, typer.Option("--for", help="How long: 30m, 2h, 1d.")] = "2h",
    comment: Annotated[str, typer.Option("--comment", help="Why (shown in `alerts list`).")] = "",
    created_by: Annotated[
        str | None, typer.Option("--by", help="Who silences (default: the login name).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Mute alerts matching MATCHERS for a while; they are still recorded."""
    parsed = parse_matchers(matchers)
    length = parse_duration(duration, "--for")
    context = app_context(ctx)
    now = SystemClock().now()
    with context.warehouse() as warehouse:
        created = AlertStore(warehouse).add_silence(
            parsed,
            starts_utc=now,
            ends_utc=now + length,
            created_by=created_by or _login_name(),
            comment=comment,
            now=now,
        )
    data = _silence_json(created, now=now)

    def render(console: Console) -> None:
        console.print(
            f"silence {created.silence_id}: {' '.join(created.matchers)} until "
            f"{created.ends_utc:%Y-%m-%d %H:%M} UTC"
        )

    emit(data, as_json=as_json, render=render)


@app.command("unsilence")
def unsilence(
    ctx: typer.Context,
    silence_id: Annotated[str, typer.Argument(help="The id `alerts silence` printed.")],
    as_json: JsonOption = False,
) -> None:
    """End a silence now."""
    context = app_context(ctx)
    now = SystemClock().now()
    with context.warehouse() as warehouse:
        ended = AlertStore(warehouse).expire_silence(silence_id, now=now)
    data = _silence_json(ended, now=now)

    def render(console: Console) -> None:
        console.print(f"silence {ended.silence_id} ended at {ended.ends_utc:%Y-%m-%d %H:%M} UTC")

    emit(data, as_json=as_json, render=render)


@app.command("test")
def test_channels(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Send one test notification to every channel; exit 1 if any channel failed."""
    context = app_context(ctx)
    settings = context.settings
    if not settings.alerting.channels:
        raise AlertingError(
            "No alert channels are configured; add a [[alerting.channels]] table with a url "
            f"(and optionally a name) to {context.home.config_path}."
        )
    with context.warehouse() as warehouse:
        engine = build_engine(
            settings.alerting,
            warehouse=warehouse,
            home_root=context.home.root,
            clock=SystemClock(),
            settings=settings,
        )
        results = engine.send_test()
    data = {
        "ok": all(result.ok for result in results),
        "channels": [
            {
                "channel": r.channel,
                "label": r.channel_label,
                "ok": r.ok,
                "attempts": r.attempts,
                "error": r.error,
            }
            for r in results
        ],
    }

    def render(console: Console) -> None:
        rows = [
            (r.channel, r.channel_label, "ok" if r.ok else "FAILED", r.attempts, r.error or "")
            for r in results
        ]
        console.print(table("Channel test", ("channel", "to", "result", "tries", "error"), rows))

    emit(data, as_json=as_json, render=render)
    if not data["ok"]:
        raise typer.Exit(1)


_ALERT_COLUMNS = (
    "id",
    "status",
    "severity",
    "name",
    "labels",
    "first seen",
    "last seen",
    "seen",
    "message",
)
_SILENCE_COLUMNS = ("id", "matchers", "state", "until (UTC)", "by", "comment")


def _alert_row(state: AlertState) -> tuple[Any, ...]:
    labels = ",".join(f"{k}={v}" for k, v in sorted(state.alert.labels.items()))
    return (
        state.fingerprint[:8],
        state.status.value,
        state.alert.severity.value,
        state.alert.name,
        labels,
        f"{state.first_seen_utc:%m-%d %H:%M}",
        f"{state.last_seen_utc:%m-%d %H:%M}",
        state.seen_count,
        state.alert.message,
    )


def _silence_row(silence: Silence, *, now: datetime) -> tuple[Any, ...]:
    return (
        silence.silence_id,
        " ".join(silence.matchers),
        _silence_state(silence, now=now),
        f"{silence.ends_utc:%Y-%m-%d %H:%M}",
        silence.created_by,
        silence.comment,
    )


def _silence_json(silence: Silence, *, now: datetime) -> dict[str, Any]:
    return {
        "silence_id": silence.silence_id,
        "matchers": list(silence.matchers),
        "state": _silence_state(silence, now=now),
        "starts_utc": silence.starts_utc.isoformat(),
        "ends_utc": silence.ends_utc.isoformat(),
        "created_by": silence.created_by,
        "comment": silence.comment,
        "created_utc": silence.created_utc.isoformat(),
    }


def _silence_state(silence: Silence, *, now: datetime) -> str:
    if silence.is_active(now):
        return "active"
    return "pending" if now < silence.starts_utc else "expired"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
