"""Walk-forward backtests on the replay source: no look-ahead, day by day."""

from nbaprops.backtest.report import BacktestReport, SystemResult, build_report, system_result
from nbaprops.backtest.runner import BacktestRun, run_backtest

__all__ = [
    "BacktestReport",
    "BacktestRun",
    "SystemResult",
    "build_report",
    "run_backtest",
    "system_result",
]
