"""breaker_open: a failure while a source's breaker is open, or the breaker's own refusal."""

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.breaker_open import breaker_open


def test_names_the_open_breakers() -> None:
    found = breaker_open(Symptoms("nbac_schedule", error_class="ProcessorError",
                                  breakers={"nbacom": "open", "espn": "closed"}))
    assert found is not None and "nbacom" in found.root_cause and "espn" not in found.root_cause


def test_the_refusal_itself() -> None:
    assert breaker_open(Symptoms("nbac_schedule", error_class="SourceCircuitOpenError")) is not None


def test_quiet_when_every_breaker_is_closed() -> None:
    assert breaker_open(Symptoms("nbac_schedule", error_class="ProcessorError", breakers={"nbacom": "closed"})) is None
