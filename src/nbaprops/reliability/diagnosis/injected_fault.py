"""A failure injected on purpose (`--inject`, a chaos drill): a known cause with nothing to fix."""

from __future__ import annotations

import re

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms

_SPEC = re.compile(r"injected fault ([^\s)]+)")


def injected_fault(symptoms: Symptoms) -> Diagnosis | None:
    """The error names the `--inject` spec that caused it."""
    found = _SPEC.search(symptoms.error or "")
    if found is None:
        return None
    return Diagnosis(
        rule="injected_fault",
        root_cause=f"{symptoms.component} failed because of the injected fault {found.group(1)} (a drill).",
        suggested_fix="Nothing to fix: run without --inject; the retries show how the pipeline recovers.",
    )
