"""Self-diagnosis: a catalog of rules from symptoms to a root cause and a suggested fix.

Each rule is one small pure function in its own module; `diagnose` asks them in catalog order
(the most specific first) and returns the first answer, or an `unknown` diagnosis.
"""

from nbaprops.reliability.diagnosis._model import Diagnosis, Rule, Symptoms
from nbaprops.reliability.diagnosis.accuracy_drop import accuracy_drop
from nbaprops.reliability.diagnosis.breaker_open import breaker_open
from nbaprops.reliability.diagnosis.empty_payload import empty_payload
from nbaprops.reliability.diagnosis.forbidden_after_move import forbidden_after_move
from nbaprops.reliability.diagnosis.injected_fault import injected_fault
from nbaprops.reliability.diagnosis.late_data import late_data
from nbaprops.reliability.diagnosis.missing_module import missing_module
from nbaprops.reliability.diagnosis.no_games_yet import no_games_yet
from nbaprops.reliability.diagnosis.quota_exhausted import quota_exhausted
from nbaprops.reliability.diagnosis.schema_drift import schema_drift
from nbaprops.reliability.diagnosis.short_history import short_history
from nbaprops.reliability.diagnosis.source_down import source_down
from nbaprops.reliability.diagnosis.timed_out import timed_out

CATALOG: tuple[Rule, ...] = (
    injected_fault,
    missing_module,
    no_games_yet,
    quota_exhausted,
    forbidden_after_move,
    empty_payload,
    schema_drift,
    breaker_open,
    source_down,
    timed_out,
    short_history,
    late_data,
    accuracy_drop,
)


def diagnose(symptoms: Symptoms, catalog: tuple[Rule, ...] = CATALOG) -> Diagnosis:
    """The first rule's diagnosis; `unknown` (not a known cause) when none applies."""
    for rule in catalog:
        found = rule(symptoms)
        if found is not None:
            return found
    what = symptoms.error_class or "an unclassified failure"
    return Diagnosis(
        rule="unknown",
        root_cause=f"{symptoms.component} failed with {what}; no diagnosis rule knows this cause.",
        suggested_fix="Read the error in the incident and the run history; add a rule once the cause is known.",
        known=False,
    )


__all__ = ["CATALOG", "Diagnosis", "Rule", "Symptoms", "diagnose"]
