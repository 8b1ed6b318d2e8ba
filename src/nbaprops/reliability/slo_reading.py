"""The SLO report of a warehouse: the window `nbaprops slo` judges (from `--since`, default the
`DEFAULT_DAYS` game dates up to the latest one with a phase completion or an incident) and the report
`compute_slo` makes of its rows; the dashboard's System page reads the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from nbaprops.reliability.config import SloConfig
from nbaprops.reliability.slo import SloReport, compute_slo
from nbaprops.state import latest_reliability_date, reliability_rows
from nbaprops.warehouse import Warehouse

DEFAULT_DAYS = 28


@dataclass(frozen=True)
class SloReading:
    """The report and the rows it was computed from (incidents, interventions, phases)."""

    report: SloReport
    rows: dict[str, list[dict[str, Any]]]


def read_slo(warehouse: Warehouse, *, since: date | None, config: SloConfig, today: date) -> SloReading:
    """The SLO report of game dates from `since` (default: `DEFAULT_DAYS` before the latest date
    with reliability rows, or before `today` without any) to that latest date."""
    until = latest_reliability_date(warehouse) or today
    first = since if since is not None else until - timedelta(days=DEFAULT_DAYS - 1)
    rows = reliability_rows(warehouse, since=first)
    report = compute_slo(
        incidents=rows["incidents"],
        interventions=rows["interventions"],
        phases=rows["phases"],
        since=first,
        until=max(until, first),
        config=config,
    )
    return SloReading(report, rows)
