"""The application version workflows record: `[orchestration] application_version`, else the
package version plus a hash of the orchestration code.

DBOS recovers and dequeues a workflow only on an executor of the version it started under; a
version that changes whenever the orchestration code does keeps a replay from running new code
over old step records unnoticed (`_recovery` carries older versions' work over explicitly).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from nbaprops.config import Settings

_ORCHESTRATION = Path(__file__).resolve().parents[1]


def application_version(settings: Settings) -> str:
    """The version this process's executor runs under, fixed for its lifetime."""
    configured = settings.orchestration.application_version
    return configured if configured is not None else default_version()


@cache
def default_version() -> str:
    """`<package version>+<12 hex digits of the orchestration code's hash>`."""
    try:
        package = metadata.version("nbaprops")
    except metadata.PackageNotFoundError:
        package = "0"
    return f"{package}+{code_hash(_ORCHESTRATION)}"


def code_hash(folder: Path) -> str:
    """A hash of every Python file under `folder`, by path relative to it and content."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
