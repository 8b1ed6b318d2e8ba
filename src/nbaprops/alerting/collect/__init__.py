"""The signals the alert rules look at, built from the pipeline's state (`nbaprops.state`) and
the run-history reads only alerting needs, as things stood at an instant.

Each job lives in its own private module: `_runs` (run-history reads, each beside its pure
rule) and `_signals` (the `AlertSignals`).
"""

from nbaprops.alerting.collect._runs import (
    PHASE_COMPONENTS,
    components_of,
    down_sources,
    first_phase4_start,
    phase4_started,
    predictions_due,
)
from nbaprops.alerting.collect._signals import collect_signals

__all__ = [
    "PHASE_COMPONENTS",
    "collect_signals",
    "components_of",
    "down_sources",
    "first_phase4_start",
    "phase4_started",
    "predictions_due",
]
