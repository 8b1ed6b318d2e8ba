from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.source_down import source_down


def test_an_unreachable_or_failing_source_is_an_outage() -> None:
    refused = source_down(Symptoms("nbac_player_boxscores", error_class="SourceUnreachableError:connection"))
    assert refused is not None and refused.rule == "source_down" and "refuses connections" in refused.root_cause
    failing = source_down(Symptoms("nbac_player_boxscores", error_class="SourceServerError:server_error"))
    assert failing is not None and "5xx" in failing.root_cause


def test_other_failures_are_not_outages() -> None:
    assert source_down(Symptoms("nbac_player_boxscores", error_class="SourceUnreachableError:timeout")) is None
    assert source_down(Symptoms("nbac_player_boxscores", error_class="ProcessorError")) is None
