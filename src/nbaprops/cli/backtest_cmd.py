"""`nbaprops backtest`: walk a real season forward on the replay source and report per system."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from nbaprops.backtest import BacktestReport, SystemResult, build_report, run_backtest
from nbaprops.backtest.picks_report import SystemPicks, build_picks_report
from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.context import app_context
from nbaprops.cli.output import emit, progress, table
from nbaprops.cli.parsing import parse_date, parse_market
from nbaprops.errors import ConfigError
from nbaprops.ingest import ingest_paths
from nbaprops.metrics import CalibrationBin, LineComparison, PickSummary
from nbaprops.metrics.paired import MarketComparison
from nbaprops.predictions.odds import STANDARD_PRICE
from nbaprops.sources.replay import ReplaySource
from nbaprops.warehouse import Warehouse


def backtest(
    ctx: typer.Context,
    data: Annotated[
        Path, typer.Option("--data", exists=True, help="Folder or file of real data to ingest and replay.")
    ],
    market: Annotated[str, typer.Option("--market", help="points, rebounds, assists, threes or pra.")],
    start: Annotated[str | None, typer.Option("--start", help="First game date (default: first line).")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last game date (default: last line).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest DATA if needed, walk forward day by day with no look-ahead, and report per system."""
    market = parse_market(market)
    first_given = parse_date(start, "--start") if start is not None else None
    last_given = parse_date(end, "--end") if end is not None else None
    context = app_context(ctx)
    started = time.perf_counter()
    with context.warehouse() as warehouse:
        ingest_report = ingest_paths(warehouse, [data])
        first, last = _line_dates(warehouse, data, market)
        first, last = first_given or first, last_given or last
        source = ReplaySource(warehouse, context.settings.replay)
        days = source.game_dates(first, last)
        with progress(f"backtest {market}", len(days), enabled=not as_json) as advance:
            run = run_backtest(warehouse=warehouse, source=source, settings=context.settings, market=market,
                               start=first, end=last, on_day=lambda _day: advance(1))
        report = build_report(warehouse, market=market, start=first, end=last, game_days=len(run.game_dates))
        gated = build_picks_report(warehouse, market=market, start=first, end=last)
    elapsed = time.perf_counter() - started
    data_json = {
        **report.to_json(),
        "elapsed_seconds": round(elapsed, 2),
        "failed_runs": [f"{r.processor} {r.game_date}" for r in run.failed_runs],
        "ingest": ingest_report.to_json()["totals"],
        "picks": {system_id: result.to_json() for system_id, result in gated.items()},
    }

    def render(console: Console) -> None:
        _render(console, report, data_json)
        _render_picks(console, gated)

    emit(data_json, as_json=as_json, render=render)


def _line_dates(warehouse: Warehouse, data: Path, market: str) -> tuple[date, date]:
    prefix = str(data.resolve())
    row = warehouse.query(
        "SELECT min(game_date) AS first, max(game_date) AS last FROM nba_raw.history_prop_lines "
        "WHERE market = $market AND starts_with(source_key, $prefix)", {"market": market, "prefix": prefix})[0]
    if row["first"] is None:
        raise ConfigError(f"No {market} prop lines found under {data}; pick a market the data has lines for.")
    return row["first"], row["last"]


def _render(console: Console, report: BacktestReport, data: dict[str, Any]) -> None:
    systems = report.systems.items()
    console.print(table(
        f"Backtest {report.market} {report.start} .. {report.end} ({report.game_days} game days, "
        f"{data['elapsed_seconds']} s): each system on its own picks, never added together",
        ["system", "predictions", "picks", "hit rate [95% CI]", "break-even", "ROI", "units"],
        [[system_id, r.picks.predictions, r.picks.picks, _hit_rate(r.picks), _rate(r.prices.break_even_hit_rate),
          _signed(r.picks.roi), f"{r.picks.profit_units:+.1f}"] for system_id, r in systems],
    ))
    console.print(table(
        f"Prices the ROI was taken at: the picked side's offered American odds, 1 unit a pick "
        f"(a pick without a price at {STANDARD_PRICE}); break-even = their mean implied probability",
        ["system", "picks", "median", f"at {STANDARD_PRICE}", "range", "no price", "books"],
        [[system_id, r.prices.picks, _price(r.prices.median_price), _rate(r.prices.share_at_standard),
          _range(r.prices.shortest_price, r.prices.longest_price), r.prices.unpriced, _books(r.prices.books)]
         for system_id, r in systems],
    ))
    console.print(table(
        "Against the line, each system on the rows where it and the line both exist "
        "(Brier: p_over vs the vig-free market's)",
        ["system", "rows", "MAE", "line MAE", "Brier rows", "Brier", "market Brier", "beats the line"],
        [[system_id, v.rows, v.mae, v.line_mae, v.brier_rows, _brier(v.brier), _brier(v.market_brier), _verdict(v)]
         for system_id, v in ((system_id, r.versus_line) for system_id, r in systems)],
    ))
    console.print(table(
        "Calibration: observed over rate (count) per predicted p_over decile",
        ["p_over", *report.systems],
        [[f"{bins[0].bin_low:.1f}-{bins[0].bin_high:.1f}", *(_observed(b) for b in bins)]
         for bins in zip(*(r.picks.calibration for r in report.systems.values()), strict=True)],
    ))
    console.print(table(
        "Against the vig-free market on the same rows (no push): Brier and log loss, and the Brier "
        "difference (system - market, below 0 is better) with its paired bootstrap 95% interval",
        ["system", "coverage", "rows", "Brier", "market", "log loss", "market", "Brier difference [95% CI]"],
        [[system_id, _coverage(r), r.market.rows, _brier(r.market.brier), _brier(r.market.market_brier),
          _brier(r.market.log_loss), _brier(r.market.market_log_loss), _difference(r.market)]
         for system_id, r in systems if r.market is not None],
    ))
    beat = report.beat_line
    console.print("Beating the line on the same rows (MAE and Brier): " + (", ".join(beat) if beat else "none"))


def _render_picks(console: Console, gated: dict[str, SystemPicks]) -> None:
    console.print(table(
        "Gated picks (EV threshold and the system's walk-forward Brier record), fractional Kelly stakes: "
        "ROI per 1-unit pick at the best price shopped vs the same side at the preferred book; "
        "CLV = closing vig-free probability of the side minus the implied probability taken",
        ["system", "picks", "hit rate [95% CI]", "ROI best", "ROI preferred", "bankroll", "max drawdown",
         "CLV (n)", "passes"],
        [[system_id, g.returns.picks, _interval(g.returns.hit_rate, g.returns.hit_rate_interval),
          _signed(g.returns.roi_best_price), _signed(g.returns.roi_preferred_book), f"{g.bankroll.final:.3f}",
          _rate(g.bankroll.max_drawdown), _clv(g), _books(g.pass_reasons) if g.pass_reasons else "-"]
         for system_id, g in gated.items()],
    ))


def _interval(rate: float | None, interval: tuple[float, float]) -> str:
    return "-" if rate is None else f"{rate:.1%} [{interval[0]:.1%}, {interval[1]:.1%}]"


def _clv(g: SystemPicks) -> str:
    return "-" if g.clv.mean_clv is None else f"{g.clv.mean_clv:+.2%} ({g.clv.with_close})"


def _hit_rate(s: PickSummary) -> str:
    low, high = s.hit_rate_interval
    return "-" if s.hit_rate is None else f"{s.hit_rate:.1%} [{low:.1%}, {high:.1%}]"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1%}"


def _price(price: int | None) -> str:
    return "-" if price is None else f"{price:+d}"


def _range(shortest: int | None, longest: int | None) -> str:
    return "-" if shortest is None or longest is None else f"{shortest:+d} .. {longest:+d}"


def _books(books: dict[str, int]) -> str:
    total = sum(books.values())
    shown = [f"{book} {count / total:.0%}" for book, count in list(books.items())[:2]]
    more = len(books) - len(shown)
    return ", ".join(shown) + (f", +{more} more" if more > 0 else "")


def _brier(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _verdict(v: LineComparison) -> str:
    mae = "MAE yes" if v.beats_line_mae else "MAE no"
    brier = "Brier -" if v.brier is None else "Brier yes" if v.beats_market_brier else "Brier no"
    return f"{'yes' if v.beats_line else 'no'} ({mae}, {brier})"


def _coverage(r: SystemResult) -> str:
    if r.coverage is None or r.coverage.share is None:
        return "-"
    return f"{r.coverage.share:.1%} ({r.coverage.predicted}/{r.coverage.lined})"


def _difference(m: MarketComparison) -> str:
    d = m.brier_difference
    return "-" if d is None else f"{d.value:+.4f} [{d.ci_low:+.4f}, {d.ci_high:+.4f}]"


def _observed(b: CalibrationBin) -> str:
    return "-" if b.observed_rate is None else f"{b.observed_rate:.2f} ({b.count})"
