"""DBOS's log records go where the application sends log records, never straight to the terminal."""

from __future__ import annotations

import logging

DBOS_LOGGER = "dbos"
# The name of the stderr handler DBOS adds to its logger (dbos._logger.init_logger).
DBOS_CONSOLE_HANDLER = "__dbos_console_log_handler__"


def keep_dbos_off_the_terminal() -> None:
    """Call before constructing DBOS or a DBOSClient.

    Constructing DBOS adds a stderr handler to the "dbos" logger unless the logger has a handler
    already, and stops its records from propagating. Giving it a NullHandler first (and dropping a
    console handler an earlier launch in this process added) lets its records propagate to the
    handlers the application configured, the CLI's log file, and keeps Python's last-resort
    handler from printing them when none is configured.
    """
    logger = logging.getLogger(DBOS_LOGGER)
    for handler in [h for h in logger.handlers if h.name == DBOS_CONSOLE_HANDLER]:
        logger.removeHandler(handler)
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = True
