"""Alerting fixtures: a virtual clock and the store over a fresh warehouse."""

from __future__ import annotations

import pytest
from tests.alerting.helpers import START

from nbaprops.alerting import AlertStore
from nbaprops.clock import VirtualClock
from nbaprops.warehouse import Warehouse


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def store(warehouse: Warehouse) -> AlertStore:
    return AlertStore(warehouse)
