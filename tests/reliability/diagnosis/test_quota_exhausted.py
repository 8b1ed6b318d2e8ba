"""quota_exhausted: the quota ran out (or a 429)."""

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.quota_exhausted import quota_exhausted


def test_quota_exhausted() -> None:
    found = quota_exhausted(Symptoms("odds_player_props", error_class="QuotaExhaustedError:quota_exhausted"))
    assert found is not None and "quota is exhausted" in found.root_cause
    assert "`nbaprops sources check`" in found.suggested_fix


def test_rate_limited() -> None:
    found = quota_exhausted(Symptoms("odds_player_props", error_class="SourceRateLimitedError:rate_limited"))
    assert found is not None and "429" in found.root_cause


def test_quiet_otherwise() -> None:
    assert quota_exhausted(Symptoms("odds_player_props", error_class="ProcessorError")) is None
