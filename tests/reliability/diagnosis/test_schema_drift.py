"""schema_drift: a renamed upstream field."""

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.schema_drift import schema_drift


def test_renamed_field() -> None:
    found = schema_drift(Symptoms("nbac_player_boxscores", error_class="SourceSchemaError:schema_drift"))
    assert found is not None and "renamed" in found.root_cause and "parse()" in found.suggested_fix


def test_quiet_otherwise() -> None:
    assert schema_drift(Symptoms("nbac_player_boxscores", error_class="EmptyPayloadError:empty")) is None
