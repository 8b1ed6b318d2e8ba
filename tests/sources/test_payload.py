"""Strict payload reading: drift names source, endpoint and field; an empty 200 is a failure."""

from __future__ import annotations

import pytest

from nbaprops.errors import EmptyPayloadError, FailureKind, SourceSchemaError
from nbaprops.sources.payload import Endpoint

EVENTS = Endpoint("odds_api", "events")


def test_a_present_field_is_returned() -> None:
    assert EVENTS.field({"data": [1]}, "data", list) == [1]
    assert EVENTS.optional({"x": None}, "x", str) is None
    assert EVENTS.optional({}, "x", str) is None


def test_a_missing_field_is_drift_naming_source_endpoint_and_field() -> None:
    message = (
        r"^odds_api events: the field 'data\[\]\.home_team' is missing from the payload; the upstream schema "
        r"changed \(a field renamed or gone\), so update the odds_api parser in nbaprops\.sources\.live\.$"
    )
    with pytest.raises(SourceSchemaError, match=message) as caught:
        EVENTS.field({"homeTeam": "x"}, "home_team", str, at="data[]")
    assert caught.value.kind is FailureKind.SCHEMA_DRIFT and caught.value.field == "data[].home_team"
    assert (caught.value.source, caught.value.endpoint) == ("odds_api", "events")


def test_a_field_of_another_type_is_drift() -> None:
    with pytest.raises(SourceSchemaError, match=r"field 'price' is a str, not a int"):
        EVENTS.field({"price": "-110"}, "price", int)
    with pytest.raises(SourceSchemaError, match=r"field 'count' is a bool, not a int"):
        EVENTS.field({"count": True}, "count", int)


@pytest.mark.parametrize("body", [b"", b"  \n"])
def test_an_empty_body_is_an_empty_payload(body: bytes) -> None:
    message = r"^odds_api events: the 200 response has an empty body; a 200"
    with pytest.raises(EmptyPayloadError, match=message) as caught:
        EVENTS.json(body)
    assert caught.value.kind is FailureKind.EMPTY and caught.value.status_code == 200


def test_html_where_json_belongs_is_drift() -> None:
    with pytest.raises(SourceSchemaError, match=r"odds_api events: the body is not JSON .*starts '<html>") as caught:
        EVENTS.json(b"<html>captcha</html>")
    assert caught.value.field == "(body)"


def test_non_empty_refuses_an_empty_list() -> None:
    assert EVENTS.non_empty([1], "events") == [1]
    with pytest.raises(EmptyPayloadError, match=r"the 200 response holds no events for 2025-01-10"):
        EVENTS.non_empty([], "events for 2025-01-10")


def test_drift_for_a_value() -> None:
    error = EVENTS.drift("status", "holds 'Suspended', a value the parser does not know")
    assert str(error).startswith("odds_api events: the field 'status' holds 'Suspended'")
