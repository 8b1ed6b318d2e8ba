"""Times the recovery of a worker whose host is lost mid-backfill: frozen (SIGSTOP, a lost host sends
nothing), its relay silenced without closing a socket (PostgreSQL keeps seeing live TCP peers, as it does
those of a lost host, until keepalive, hours later) and its network namespace torn down, while one of its
warehouse sessions is inside a transaction, holding row locks. Two workers share a PostgreSQL home: A on
this host, B in the namespace of bench_workers.py. Measures, per run, the seconds from the loss to A's claim
of B's work (`recovered_at_ms`) and to the incident A records once B's work is back on the queue, the
sessions A ended (fenced), and the final warehouse against a 1-worker baseline (differing rows,
duplicates). Needs root (`ip netns`).

Usage:
  python benchmarks/bench_host_loss.py [--runs 3] [--days 8] [--no-fence] [--blocked-wait 300] [--freeze-on SQL]
`--kill`: the control, B killed with SIGKILL at the same moment instead (its sockets close).
`--no-fence`: the workers run with `[orchestration.worker] fence_gone_executors = false`; when the claim,
the incident or the backfill's end has not come `--blocked-wait` seconds after the loss, the relay closes
B's sockets (what TCP keepalive would do, hours later) and what was waiting is timed from there.
`--freeze-on 'UPDATE nba_orchestration.processor_run_history'`: B frozen after it recorded its run's
status, uncommitted, so the run's own row is locked (what the abandoning UPDATE needs).
Floats are compared at 12 significant digits (`differing_rows`) and at 9 (`differing_rows_at_9_digits`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

import psycopg
from bench_workers import Namespace, database, network_namespace, start, synthetic_seasons, timed_run, url_of

from nbaprops.config import load_settings
from nbaprops.home import Home
from nbaprops.orchestration.chaos_run import Snapshot, snapshot
from nbaprops.orchestration.distribute import Distributed, run_on_workers
from nbaprops.orchestration.engine._fencing import session_name
from nbaprops.orchestration.requests import Backfill
from nbaprops.orchestration.worker_processes import differences, executors, kill, ready, stop, wait_for, worker_config
from nbaprops.warehouse import Warehouse

HOST, LOST = "worker-a", "worker-b"
WATCHDOG_SECONDS = 8.0

# B's warehouse sessions inside a transaction that has written (so holds row locks), and what they run.
_WRITING = """
    SELECT pid, state, left(query, 60) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = %s AND backend_xid IS NOT NULL
"""
_SESSIONS = """
    SELECT state || ': ' || left(query, 50) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = %s
"""
_INCIDENT = "SELECT remediation FROM nba_orchestration.incidents WHERE component = %s"


def config(*, fence: bool, **urls: str) -> str:
    text = worker_config(heartbeat_interval_seconds=0.5, watchdog_interval_seconds=WATCHDOG_SECONDS,
                         queue_concurrency=1, **urls)
    return text + f"fence_gone_executors = {'true' if fence else 'false'}\n"  # the last section: orchestration.worker


def freeze_in_transaction(process: subprocess.Popen[str], warehouse_url: str, *, statement: str,
                          timeout_seconds: float = 240) -> list[tuple[int, str, str]]:
    """SIGSTOP `process` while one of its warehouse sessions is inside a writing transaction whose last
    statement starts with `statement` (retrying with SIGCONT when the stop came after its commit or at
    another statement); those sessions, as the frozen process left them."""
    deadline = time.monotonic() + timeout_seconds
    name = session_name(LOST)

    def writing() -> list[tuple[int, str, str]]:
        return [row for row in watcher.execute(_WRITING, [name]).fetchall() if row[2].startswith(statement)]

    with psycopg.connect(warehouse_url, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            if not writing():
                time.sleep(0.005)
                continue
            os.kill(process.pid, signal.SIGSTOP)
            time.sleep(0.3)  # a statement it had sent finishes; the transaction stays open
            if found := writing():
                return found
            os.kill(process.pid, signal.SIGCONT)
    raise TimeoutError(f"{LOST} was never caught inside a writing transaction within {timeout_seconds:g} s.")


def sessions_of(url: str, executor_id: str) -> list[str]:
    """The sessions of `executor_id` on the database at `url`: state and query."""
    with psycopg.connect(url, autocommit=True) as connection:
        return [row[0] for row in connection.execute(_SESSIONS, [session_name(executor_id)]).fetchall()]


def incident(url: str) -> str | None:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(_INCIDENT, [f"executor:{LOST}"]).fetchone()
    return None if row is None else str(row[0])


def one_run(server: str, template: str, backfills: list[Backfill], folder: Path, baseline: Snapshot, *,
            fence: bool, blocked_wait_seconds: float, killed: bool, statement: str) -> dict[str, object]:
    port = int(server.rpartition(":")[2].split("/")[0])
    home = Home(folder).ensure()
    with database(server, template=template) as warehouse_db, database(server) as system_db, \
            network_namespace(port) as namespace, \
            (folder / f"{HOST}.log").open("w") as host_log, (folder / f"{LOST}.log").open("w") as lost_log:
        warehouse_url, system_url = url_of(server, warehouse_db), url_of(server, system_db)
        home.config_path.write_text(config(fence=fence, warehouse_url=warehouse_url, database_url=system_url))
        settings = load_settings(home.config_path)
        host = start(home, HOST, in_namespace=False, server=server, stderr=host_log)
        lost = start(home, LOST, in_namespace=True, server=server, stderr=lost_log)
        result: list[Distributed] = []
        try:
            wait_for(lambda: ready(home, 2))
            waiter = threading.Thread(target=lambda: result.append(run_on_workers(home, settings, backfills)),
                                      daemon=True)
            waiter.start()
            writing = freeze_in_transaction(lost, warehouse_url, statement=statement)
            if killed:  # the control: its kernel closes its sockets, and the relay passes that on
                kill(lost)
            else:
                namespace.silence()
                namespace.tear_down()
            lost_at = time.time()
            held = sessions_of(warehouse_url, LOST) + sessions_of(system_url, LOST)
            figures = recovery(home, warehouse_url, waiter, namespace, lost_at=lost_at, fence=fence,
                               blocked_wait_seconds=blocked_wait_seconds)
            left = sessions_of(warehouse_url, LOST) + sessions_of(system_url, LOST)
        finally:
            kill(lost)
            stop(host, timeout_seconds=120)
        done = result[0] if result else None
        final = snapshot(warehouse_url)  # type: ignore[arg-type]
        tables = differences(baseline, final)
        found = tables.values()
        text = incident(warehouse_url)
    fenced = re.search(r"ended (\d+) database session", text or "")
    return {
        "frozen_in": [f"{state}: {query}" for _, state, query in writing],
        "sessions_held": len(held),
        "held": held,
        **figures,
        "fenced": int(fenced.group(1)) if fenced else 0,
        "backfill_ok": done is not None and done.ok,
        "sessions_left": len(left),
        "differing_rows": sum(diff for diff, _ in found),
        "duplicates": sum(dup for _, dup in found),
        "differing_tables": tables,
        # A float derived by cancellation (edge = p_over - p_fair_over) can differ past 12 digits with the
        # order a parallel aggregate summed in; at 9 significant digits that noise is gone.
        "differing_rows_at_9_digits": sum(diff for diff, _ in differences(coarse(baseline), coarse(final)).values()),
        "differing_examples": {table: [sorted(set(map(str, baseline[table])) - set(map(str, final[table])))[:2],
                                       sorted(set(map(str, final[table])) - set(map(str, baseline[table])))[:2]]
                               for table in tables},
        "incident": text is not None,
    }


def coarse(rows: Snapshot) -> Snapshot:
    """`rows` with every float to 9 significant digits."""
    return {table: [tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row) for row in found]
            for table, found in rows.items()}


def recovery(home: Home, warehouse_url: str, waiter: threading.Thread, namespace: Namespace, *, lost_at: float,
             fence: bool, blocked_wait_seconds: float) -> dict[str, object]:
    """Seconds from the loss to A's claim, to its incident (B's work back on the queue) and to the
    backfill's end. Without fencing, what still waits after `blocked_wait_seconds` is noted, then B's
    sockets are closed (what keepalive would do, hours later) and the rest timed from there."""
    figures: dict[str, object] = {}
    deadline = lost_at + (600 if fence else blocked_wait_seconds)

    def recorded() -> bool:
        return incident(warehouse_url) is not None

    def finished() -> bool:
        return not waiter.is_alive()

    for name, condition in (("claim", lambda: executors(home)[LOST].recovered_at_ms is not None),
                            ("recovery", recorded), ("finish", finished)):
        try:
            wait_for(condition, timeout_seconds=max(0.0, deadline - time.time()), interval_seconds=0.1)
            figures[f"{name}_seconds"] = round(time.time() - lost_at, 2)
        except TimeoutError:
            figures[f"{name}_seconds"] = None
    if fence or all(figures[f"{name}_seconds"] is not None for name in ("claim", "recovery", "finish")):
        return figures
    figures["blocked_seconds_at_least"] = round(time.time() - lost_at, 1)
    namespace.close_held()
    closed_at = time.time()
    for name, condition in (("recovery", recorded), ("finish", finished)):
        if figures[f"{name}_seconds"] is None:
            wait_for(condition, timeout_seconds=600, interval_seconds=0.1)
            figures[f"{name}_after_sockets_closed_seconds"] = round(time.time() - closed_at, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--days", type=int, default=8, help="days of each of the two synthetic seasons")
    parser.add_argument("--no-fence", action="store_true")
    parser.add_argument("--blocked-wait", type=float, default=300.0, help="seconds to wait, without fencing")
    parser.add_argument("--freeze-on", default="", metavar="STATEMENT",
                        help="freeze B only in a transaction whose last statement starts so (default: any), "
                        "e.g. 'UPDATE nba_orchestration.processor_run_history': the run's own row locked")
    parser.add_argument("--kill", action="store_true", help="the control: SIGKILL B instead of losing its host")
    args = parser.parse_args()
    with database(args.server) as template, tempfile.TemporaryDirectory() as folder:
        with Warehouse.open(url_of(args.server, template)) as warehouse:
            backfills = synthetic_seasons(warehouse, [2022, 2024], Path(folder), days=args.days)
        one = partial(config, fence=True)
        _, baseline, _ = timed_run(args.server, template, backfills, one, 1, Path(folder), netns=False)
        runs = []
        for n in range(args.runs):
            run = one_run(args.server, template, backfills, Path(folder) / f"run{n}", baseline,
                          fence=not args.no_fence, blocked_wait_seconds=args.blocked_wait, killed=args.kill,
                          statement=args.freeze_on)
            print(json.dumps(run), flush=True)
            runs.append(run)
    seconds = [r["recovery_seconds"] for r in runs if isinstance(r["recovery_seconds"], float)]
    print(json.dumps({
        "fencing": not args.no_fence,
        "recovery_seconds": {"min": min(seconds), "median": statistics.median(seconds), "max": max(seconds)}
        if seconds else None,
        "fenced_sessions": [r["fenced"] for r in runs],
        "differing_rows": sum(int(r["differing_rows"]) for r in runs),  # type: ignore[call-overload]
        "differing_rows_at_9_digits": sum(int(r["differing_rows_at_9_digits"]) for r in runs),  # type: ignore[call-overload]
        "duplicates": sum(int(r["duplicates"]) for r in runs),  # type: ignore[call-overload]
        "incidents_recorded": all(r["incident"] for r in runs),
        "backfills_ok": all(r["backfill_ok"] for r in runs),
    }, indent=2))


if __name__ == "__main__":
    main()
