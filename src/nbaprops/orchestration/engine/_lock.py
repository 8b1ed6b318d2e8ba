"""`<home>/executor.lock`: held by the one process that executes the home's workflows.

A shared lock (warehouse and system database on PostgreSQL) is never exclusive: any number of
workers execute the home's workflows at once, coordinated by the system database's queues.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from nbaprops.home import Home


class ExecutorLock:
    """An exclusive `flock` on a file that names the holder's pid."""

    def __init__(self, path: Path, *, shared: bool = False) -> None:
        self.path = path
        self.shared = shared
        self._fd: int | None = None

    @classmethod
    def of(cls, home: Home, *, shared: bool = False) -> ExecutorLock:
        """The lock of `home`; `shared`: every process acquires it."""
        return cls(home.root / "executor.lock", shared=shared)

    def acquire(self) -> bool:
        if self.shared:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def holder_pid(self) -> int | None:
        try:
            text = self.path.read_text().strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
