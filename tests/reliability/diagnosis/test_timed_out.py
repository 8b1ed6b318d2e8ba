"""timed_out: a processor past its timeout, or a source's timeout."""

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.timed_out import timed_out


def test_stuck_processor() -> None:
    found = timed_out(Symptoms("ml_feature_store", error_class="Timeout"))
    assert found is not None and "processor_timeout_minutes" in found.suggested_fix


def test_source_timeout() -> None:
    found = timed_out(Symptoms("nbac_schedule", error_class="SourceUnreachableError:timeout"))
    assert found is not None and "did not answer" in found.root_cause


def test_quiet_otherwise() -> None:
    assert timed_out(Symptoms("nbac_schedule", error_class="ProcessorError")) is None
