"""Walk-forward backtests on the replay source: no look-ahead, day by day."""

from nbaprops.backtest.report import BacktestReport, build_report
from nbaprops.backtest.runner import BacktestRun, run_backtest

__all__ = ["BacktestReport", "BacktestRun", "build_report", "run_backtest"]
