"""Where log records go: `<home>/logs/nbaprops.log` (rotating), and stderr too only with --verbose.

Configured once, at the command line's edge; library code only logs.
"""

from __future__ import annotations

import logging
import sys
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
MAX_LOG_BYTES = 5_000_000
LOG_BACKUPS = 3  # nbaprops.log.1 .. .3 kept after rotation
_FILE_HANDLER = "nbaprops-log-file"
_STDERR_HANDLER = "nbaprops-log-stderr"


class _LazyRotatingFile(RotatingFileHandler):
    """Creates the log folder with the first record, so a command that logs nothing creates nothing."""

    def _open(self) -> TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def configure_logging(log_path: Path, *, verbose: bool, level: int = logging.INFO) -> None:
    """Send every record of `level` or above (ours, DBOS's, other libraries') to `log_path`; with
    `verbose`, to stderr as well. Calling it again replaces what an earlier call set up."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.name in (_FILE_HANDLER, _STDERR_HANDLER)]:
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    to_file = _LazyRotatingFile(
        log_path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
    )
    handlers: list[logging.Handler] = [to_file]
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler, name in zip(handlers, (_FILE_HANDLER, _STDERR_HANDLER), strict=False):
        handler.name = name
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
