"""accuracy_drop: the verdict of `investigate grading` is the cause; NORMAL and VARIANCE are none."""

from datetime import date

import pytest

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.accuracy_drop import accuracy_drop


def test_model_drift() -> None:
    found = accuracy_drop(Symptoms("grading", date(2024, 11, 12), grading_verdict="MODEL_DRIFT",
                                   grading_action="Retrain the models."))
    assert found is not None and "models drifted" in found.root_cause
    assert found.suggested_fix.startswith("Retrain the models.")
    assert "`nbaprops investigate grading --date 2024-11-12`" in found.suggested_fix


@pytest.mark.parametrize("verdict", ["NORMAL", "VARIANCE", None])
def test_quiet_without_a_cause(verdict: str | None) -> None:
    assert accuracy_drop(Symptoms("grading", grading_verdict=verdict)) is None
