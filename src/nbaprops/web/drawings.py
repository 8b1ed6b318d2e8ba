"""The charts of each page, drawn from the page's JSON data (so a chart shows the API's numbers)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

from markupsafe import Markup

from nbaprops.predictions.odds import STANDARD_PRICE, implied_probability
from nbaprops.web.charts import (
    Format,
    Series,
    Span,
    TimelineRow,
    bar_chart,
    hbar_chart,
    interval_chart,
    line_chart,
    timeline_chart,
)

_STATUS_CSS = {
    "complete": "ok", "success": "ok", "proceed": "ok", "applied": "ok",
    "degraded": "warn", "partial": "warn", "proceed_degraded": "warn", "wait": "warn", "retry": "warn",
    "failed": "bad", "fail": "bad", "give_up": "bad", "timeout": "bad",
    "running": "run",
}


def _css(status: str) -> str:
    return _STATUS_CSS.get(status, "muted")


def _seconds(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def _clock(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%H:%M")


def _elapsed(start: float, end: float) -> Format:
    """Ticks as time since `start`, in the unit the span needs."""
    span = end - start
    if span < 120:
        return lambda at: f"+{at - start:.1f} s"
    if span < 7200:
        return lambda at: f"+{(at - start) / 60:.0f} min"
    return _clock


def _day(ordinal: float) -> str:
    return date.fromordinal(round(ordinal)).strftime("%b %d")


def _ordinal(text: str) -> float:
    return float(date.fromisoformat(text).toordinal())


def pct(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value * 100:.{digits}f}%"


def num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


FORMATS = {"pct": pct, "num": num}


def pipeline_charts(data: dict[str, Any]) -> dict[str, Markup]:
    """The day's timeline (each workflow's phases, their processors finishing, each decision,
    on the wall clock) and each processor's records against expected."""
    timeline = data.get("timeline") or {"phases": [], "decisions": []}
    rows: list[TimelineRow] = []
    for phase in timeline["phases"]:
        kind = phase["workflow_id"].split(":")[0]
        marks = [(f"{f['processor']}: {f['state']}, attempt {f['attempt']}, {f['records']}/{f['expected']}",
                  _seconds(f["finished_utc"]), _css(f["state"]))
                 for f in phase["processors"] if f["finished_utc"] is not None]
        rows.append(TimelineRow(f"{kind} {phase['phase']}", [Span(
            _seconds(phase["started_utc"]), _seconds(phase["completed_utc"]), _css(phase["status"]),
            f"{phase['workflow_id']} {phase['phase']} {phase['status']}: {phase['wall_seconds']} s, "
            f"waited {phase['waited_seconds']} s on the run's clock")], marks))
    decisions = timeline["decisions"]
    if decisions:
        rows.append(TimelineRow("decisions", marks=[
            (f"{d['gate'] or d['processor'] or d['kind']}: {d['decision']}: {d['reason']}",
             _seconds(d["recorded_utc"]), _css(d["decision"])) for d in decisions]))
    instants = [s for row in rows for span in row.spans for s in (span.start, span.end)]
    instants += [at for row in rows for _label, at, _css_name in row.marks]
    completeness = [(p["processor"], p["completeness"]) for p in data.get("processors", [])
                    if p["completeness"] is not None]
    start, end = min(instants, default=0.0), max(instants, default=1.0)
    return {
        "timeline": timeline_chart(
            f"Wall clock from {_clock(start)} UTC: phases, processors finishing (diamonds), decisions",
            rows, start=start, end=end, x_format=_elapsed(start, end)),
        "completeness": hbar_chart("Records written, share of expected", completeness),
    }


def predictions_charts(data: dict[str, Any]) -> dict[str, Markup]:
    """Volume, hit rates with their intervals, MAE and Brier trends, calibration, bankroll."""
    volume = data["volume"]
    trends = data["trends"]
    reference = next(iter(trends), None)

    def trend_series(key: str, market_key: str, market_name: str) -> list[Series]:
        series = [Series(system_id, [(_ordinal(p["start"]), p[key]) for p in points if p[key] is not None])
                  for system_id, points in trends.items()]
        if reference is not None:
            series.append(Series(f"{market_name} ({reference}'s rows)", [
                (_ordinal(p["start"]), p[market_key]) for p in trends[reference] if p[market_key] is not None],
                dashed=True))
        return series

    return {
        "volume": bar_chart("Predictions per game day", [(p["game_date"][5:], p["predictions"]) for p in volume],
                            label_every=max(1, len(volume) // 10)),
        "hit_rate": interval_chart(
            "Hit rate per system, 95% Wilson interval (line: break-even at -110)",
            [(s["system_id"], s["hit_rate"], s["hit_rate_low"], s["hit_rate_high"])
             for s in data["systems"] if s["hit_rate"] is not None],
            reference=implied_probability(STANDARD_PRICE)),
        "mae": line_chart(f"MAE per {data['trend_days']} days against the line's (dashed)",
                          trend_series("mae", "line_mae", "line"), x_format=_day),
        "brier": line_chart(f"Brier score per {data['trend_days']} days against the market's (dashed)",
                            trend_series("brier", "market_brier", "market"), x_format=_day),
        "calibration": line_chart(
            "Calibration: mean p_over against how often it went over", [
                Series(system_id, [(b["mean_predicted"], b["observed_rate"]) for b in bins])
                for system_id, bins in data["calibration"].items()],
            x_format=pct_tick, y_format=pct_tick, y_low=0.0, y_high=1.0, diagonal=True),
        "bankroll": line_chart(
            f"Bankroll from {data['bankroll']['starting_units']:g} units, 1 unit a pick", [
                Series(system_id, [(_ordinal(p["game_date"]), p["bankroll_units"]) for p in curve])
                for system_id, curve in data["bankroll"]["curves"].items()],
            x_format=_day, y_format=lambda v: f"{v:.0f}"),
    }


def pct_tick(value: float) -> str:
    return f"{value:.0%}"


def count_axis_high(counts: list[tuple[str, int]]) -> int:
    """The top of a count axis: the largest count rounded up to a multiple of 4, so the five ticks
    of `hbar_chart` fall on whole numbers."""
    return 4 * max(1, math.ceil(max((count for _, count in counts), default=1) / 4))


def today_charts(data: dict[str, Any]) -> dict[str, Markup]:
    """The day's picks per market, and why the other predictions passed."""
    markets = list(data["per_market"].items())
    reasons = list(data["pass_reasons"].items())
    return {
        "per_market": hbar_chart(f"Picks per market ({data['system_id']})", markets, x_format=lambda v: f"{v:.0f}",
                                 x_high=count_axis_high(markets)),
        "pass_reasons": hbar_chart("Why the other predictions passed", reasons, x_format=lambda v: f"{v:.0f}",
                                   x_high=count_axis_high(reasons)),
    }


def system_charts(data: dict[str, Any]) -> dict[str, Markup]:
    """End-to-end latency per day, per-phase latency, retries per processor."""
    latency = data["latency"]
    retries = [(r["processor"], r["retries"]) for r in data["retries"]["by_processor"]]
    return {
        "end_to_end": line_chart("End-to-end latency per workflow (wall clock, seconds)", [
            Series(kind, [(_ordinal(r["game_date"]), r["seconds"]) for r in latency["end_to_end"]
                          if r["workflow_id"].split(":")[0] == kind])
            for kind in dict.fromkeys(r["workflow_id"].split(":")[0] for r in latency["end_to_end"])],
            x_format=_day, y_format=lambda v: f"{v:.1f}"),
        "phases": bar_chart("Median seconds per phase (wall clock)",
                            [(p["phase"], p["median_seconds"]) for p in latency["phases"]],
                            y_format=lambda v: f"{v:.2f}"),
        "retries": hbar_chart("Completeness retries per processor", retries, x_format=lambda v: f"{v:.0f}",
                              x_high=count_axis_high(retries)),
        **usage_charts(data["usage"]),
    }


def usage_charts(usage: dict[str, Any]) -> dict[str, Markup]:
    """Processor CPU and wall seconds per day, cost per day, cost per phase (`nbaprops usage`'s numbers)."""
    days, currency = usage["by_day"], usage["currency"]
    return {
        "usage_day": line_chart("Processor runs per day: CPU and wall seconds (days on the run's clock)", [
            Series("cpu seconds", [(_ordinal(d["key"]), d["cpu_seconds"]) for d in days]),
            Series("wall seconds", [(_ordinal(d["key"]), d["wall_seconds"]) for d in days]),
        ], x_format=_day, y_format=lambda v: f"{v:.1f}"),
        "cost_day": line_chart(f"Cost per day ({currency}): CPU and source credits", [
            Series("cpu", [(_ordinal(d["key"]), d["cpu_cost"]) for d in days]),
            Series("credits", [(_ordinal(d["key"]), d["credit_cost"]) for d in days]),
        ], x_format=_day, y_format=lambda v: f"{v:.4f}"),
        "cost_phase": bar_chart(f"Cost per phase ({currency})", [(p["key"], p["cost"]) for p in usage["by_phase"]],
                                y_format=lambda v: f"{v:.4f}"),
    }
