"""`[digest]`: when the worker first looks, and the next send time after each send."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from nbaprops.ops.digest_config import DigestConfig


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "expected"),
    [(at(10, 9), at(10, 15)), (at(10, 15), at(11, 15)), (at(10, 15, 1), at(11, 15)), (at(10, 23), at(11, 15))],
)
def test_the_next_send_is_strictly_after(after: datetime, expected: datetime) -> None:
    assert DigestConfig(enabled=True).next_after(after) == expected


def test_a_worker_started_late_looks_at_once_and_an_off_digest_never() -> None:
    assert DigestConfig(enabled=True).first_due(at(10, 18)) == at(10, 15)
    assert DigestConfig(enabled=False).first_due(at(10, 18)) is None


def test_the_send_time_is_utc_without_an_offset() -> None:
    with pytest.raises(ValidationError, match="at_utc is always UTC"):
        DigestConfig(at_utc="15:00+02:00")  # type: ignore[arg-type]
