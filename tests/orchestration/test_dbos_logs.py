"""DBOS's logger propagates to the application's handlers instead of printing on its own."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from dbos._logger import init_logger  # what DBOS() calls to add its stderr handler

from nbaprops.orchestration.dbos_logs import DBOS_CONSOLE_HANDLER, DBOS_LOGGER, keep_dbos_off_the_terminal


@pytest.fixture
def dbos_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger(DBOS_LOGGER)
    handlers, propagate = list(logger.handlers), logger.propagate
    for handler in handlers:
        logger.removeHandler(handler)
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    for handler in handlers:
        logger.addHandler(handler)
    logger.propagate = propagate


def test_dbos_adds_no_console_handler_and_its_records_propagate(
    dbos_logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    keep_dbos_off_the_terminal()
    init_logger()
    assert DBOS_CONSOLE_HANDLER not in [h.name for h in dbos_logger.handlers]
    dbos_logger.warning("Workflow already exists in queue")
    assert [r.getMessage() for r in caplog.records] == ["Workflow already exists in queue"]


def test_a_console_handler_from_an_earlier_launch_is_dropped(dbos_logger: logging.Logger) -> None:
    init_logger()
    assert dbos_logger.propagate is False
    keep_dbos_off_the_terminal()
    assert [type(h) for h in dbos_logger.handlers] == [logging.NullHandler]
    assert dbos_logger.propagate is True
