"""The chaos catalog: one real failure a module, replayed on the synthetic league by `nbaprops chaos`."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import (
    ChaosOutcome,
    ChaosResult,
    GlitchKind,
    Scenario,
    SourceGlitch,
    compare_rows,
    judge,
)
from nbaprops.reliability.chaos.accuracy_drop import SCENARIO as ACCURACY_DROP
from nbaprops.reliability.chaos.boxscores_down_a_day import SCENARIO as BOXSCORES_DOWN_A_DAY
from nbaprops.reliability.chaos.duplicate_deliveries import SCENARIO as DUPLICATE_DELIVERIES
from nbaprops.reliability.chaos.empty_200 import SCENARIO as EMPTY_200
from nbaprops.reliability.chaos.forbidden_after_url_change import SCENARIO as FORBIDDEN_AFTER_URL_CHANGE
from nbaprops.reliability.chaos.missing_package import SCENARIO as MISSING_PACKAGE
from nbaprops.reliability.chaos.out_of_order import SCENARIO as OUT_OF_ORDER
from nbaprops.reliability.chaos.phase3_two_of_five import SCENARIO as PHASE3_TWO_OF_FIVE
from nbaprops.reliability.chaos.props_late_21h import SCENARIO as PROPS_LATE_21H
from nbaprops.reliability.chaos.quota_midday import SCENARIO as QUOTA_MIDDAY
from nbaprops.reliability.chaos.renamed_field import SCENARIO as RENAMED_FIELD
from nbaprops.reliability.chaos.stuck_running import SCENARIO as STUCK_RUNNING
from nbaprops.reliability.chaos.two_graders import SCENARIO as TWO_GRADERS
from nbaprops.reliability.chaos.warehouse_write_errors import SCENARIO as WAREHOUSE_WRITE_ERRORS
from nbaprops.reliability.chaos.worker_killed import SCENARIO as WORKER_KILLED

CATALOG: tuple[Scenario, ...] = (
    MISSING_PACKAGE,
    PHASE3_TWO_OF_FIVE,
    PROPS_LATE_21H,
    EMPTY_200,
    FORBIDDEN_AFTER_URL_CHANGE,
    QUOTA_MIDDAY,
    RENAMED_FIELD,
    DUPLICATE_DELIVERIES,
    OUT_OF_ORDER,
    TWO_GRADERS,
    WORKER_KILLED,
    STUCK_RUNNING,
    WAREHOUSE_WRITE_ERRORS,
    BOXSCORES_DOWN_A_DAY,
    ACCURACY_DROP,
)


def scenario(name: str) -> Scenario | None:
    """The scenario called `name`, if any."""
    return next((s for s in CATALOG if s.name == name), None)


__all__ = [
    "CATALOG",
    "ChaosOutcome",
    "ChaosResult",
    "GlitchKind",
    "Scenario",
    "SourceGlitch",
    "compare_rows",
    "judge",
    "scenario",
]
