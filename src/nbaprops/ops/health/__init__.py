"""`nbaprops health`: one verdict on a game_date's pipeline that cron can act on.

Sections (predictions, Phase 3, grading, recent errors, data freshness, stuck work, and the
orchestrator's gates when its tables exist) each get a status and a one-line reason; the alerts
the rules fire on the collected signals raise the status of the section they are about. The
report's status is the worst section's: exit 0 healthy, 1 warning, 2 critical.

Each job lives in its own private module: `_report` (the report model), `_facts` (what the
check reads beyond the pipeline's state, `nbaprops.state`), `_check` (reading and judging one
game_date), `_sections` and `_freshness` (the pure section judges), `_phrases`
(how reasons read) and `_alerts` (sending the report's alerts). Printing is the CLI's.
"""

from nbaprops.ops.health._alerts import send_health_alerts
from nbaprops.ops.health._check import check_health, choose_game_date
from nbaprops.ops.health._facts import HealthFacts, SourceFreshness, load_health_facts
from nbaprops.ops.health._report import HealthReport, HealthSection, HealthStatus
from nbaprops.ops.health._sections import ALERT_SECTIONS, judge_health, no_data_section

__all__ = [
    "ALERT_SECTIONS",
    "HealthFacts",
    "HealthReport",
    "HealthSection",
    "HealthStatus",
    "SourceFreshness",
    "check_health",
    "choose_game_date",
    "judge_health",
    "load_health_facts",
    "no_data_section",
    "send_health_alerts",
]
