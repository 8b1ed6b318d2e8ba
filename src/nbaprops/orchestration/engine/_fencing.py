"""Fencing a gone executor off the shared PostgreSQL databases before its work is recovered.

A host that is lost (powered off, its network namespace torn down) closes none of its TCP
connections: PostgreSQL keeps its sessions until TCP keepalive gives up, hours later, and a
session caught inside a transaction keeps its row locks, so the re-run of the same partition and
the UPDATE that abandons the gone executor's runs would wait on them indefinitely. Every
connection an executor opens carries `session_name(executor_id)` as its `application_name`; the
worker that claims a gone executor's recovery ends those sessions first (`end_sessions`), and
PostgreSQL rolls their transactions back and releases their locks at once.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from nbaprops.errors import OrchestrationError

PREFIX = "nbaprops:"
MAX_BYTES = 63
"""PostgreSQL keeps the first 63 bytes of an application_name (NAMEDATALEN - 1)."""

WAIT_MILLISECONDS = 5000
"""How long `end_sessions` waits for each session to be gone, its locks released."""

_END_SESSIONS = """
    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, %s)) FROM pg_stat_activity
    WHERE application_name = %s AND datname = current_database() AND pid <> pg_backend_pid()
"""


def session_name(executor_id: str) -> str:
    """The application_name of every PostgreSQL session of `executor_id`: `nbaprops:<executor_id>`.

    PostgreSQL truncates the name to 63 bytes and shows any character outside printable ASCII as
    `?`, so an ID that would not survive either is shortened and suffixed with its own digest:
    two executors never share a name, and the name read back from `pg_stat_activity` is this one.
    """
    name = PREFIX + executor_id
    if len(name.encode()) <= MAX_BYTES and all(" " <= character <= "~" for character in name):
        return name
    digest = hashlib.sha1(executor_id.encode()).hexdigest()[:12]
    readable = "".join(character if " " <= character <= "~" else "?" for character in executor_id)
    return f"{PREFIX}{readable[:MAX_BYTES - len(PREFIX) - len(digest) - 1]}~{digest}"


def end_sessions(url: str, *, application_name: str, connect_timeout_seconds: int = 10) -> int:
    """End every session of the database at `url` named `application_name` (but the caller's own),
    waiting up to WAIT_MILLISECONDS for each to be gone; returns how many ended. A session of the
    caller's role is ended without superuser rights; one of another role needs `pg_signal_backend`,
    else OrchestrationError."""
    import psycopg  # only a PostgreSQL home fences, and only it needs psycopg

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout_seconds) as connection:
            row = connection.execute(_END_SESSIONS, [WAIT_MILLISECONDS, application_name]).fetchone()
    except psycopg.Error as e:
        where = sa.make_url(url).render_as_string(hide_password=True)
        raise OrchestrationError(
            f"Cannot end the sessions named {application_name} on {where} ({str(e).strip()}); grant the "
            "role pg_signal_backend, or connect as the role of those sessions."
        ) from e
    return int(row[0]) if row is not None else 0
