"""empty_payload: a 200 with an empty body."""

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.empty_payload import empty_payload


def test_an_empty_200() -> None:
    found = empty_payload(Symptoms("nbac_schedule", error_class="EmptyPayloadError:empty", status_code=200))
    assert found is not None and "200 with an empty body" in found.root_cause
    assert "`nbaprops sources check`" in found.suggested_fix


def test_quiet_for_a_server_error() -> None:
    assert empty_payload(Symptoms("nbac_schedule", error_class="SourceServerError:server_error")) is None
