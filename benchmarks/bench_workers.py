"""Times a backfill of several seasons with 1 and with 2 live `nbaprops worker` processes sharing the home's
queue (warehouse and system database on PostgreSQL), and checks the final warehouses are equal row for row.

Usage:
  python benchmarks/bench_workers.py                       # the shared seasons 2023-24 (PRA), 2024-25 (threes, PRA)
  python benchmarks/bench_workers.py --synthetic 2022 2024 # synthetic seasons starting in those years (--days 40)
  options: --workers 1 2 --server postgresql://postgres@127.0.0.1:5432/postgres --netns
The shared seasons run with `[predictions] parallel_markets = 2`, in the 1-worker run too.
The backfills go through `distribute.run_on_workers`: the ranges of consecutive seasons run one after the
other (a season's features read the whole season before it), seasons with a gap between them side by side.
`--netns`: the second worker runs in a network namespace of its own (standing in for another host), reaching
PostgreSQL through a veth pair and a TCP relay on the host side. Every database made is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import select
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO, Any

import psycopg

from nbaprops.config import Settings, SyntheticConfig, load_settings
from nbaprops.home import Home
from nbaprops.ingest import ingest_paths
from nbaprops.orchestration.chaos_run import Snapshot, significant, snapshot
from nbaprops.orchestration.distribute import run_on_workers, waves
from nbaprops.orchestration.engine import EngineClient
from nbaprops.orchestration.requests import Backfill, SourceKind
from nbaprops.orchestration.worker_processes import differences, ready, start_worker, stop, worker_config
from nbaprops.seasons import season_name
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import prepare_synthetic_history
from nbaprops.warehouse import Warehouse

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NETNS, HOST_IP, NS_IP, RELAY_PORT = "nbaprops-host2", "10.231.0.1", "10.231.0.2", 15432
VETH = "nbpw"  # interface names: at most 15 characters


def admin(server: str) -> psycopg.Connection:
    return psycopg.connect(server, autocommit=True)


@contextmanager
def database(server: str, *, template: str | None = None) -> Iterator[str]:
    name = f"nbaprops_bench_{uuid.uuid4().hex[:12]}"
    with admin(server) as connection:
        connection.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    try:
        yield name
    finally:
        with admin(server) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def url_of(server: str, name: str) -> str:
    return f"{server.rpartition('/')[0]}/{name}"


def shared_seasons(warehouse: Warehouse, seasons: list[str], *, days: int | None) -> tuple[list[Backfill], list[str]]:
    ingest_paths(warehouse, [DATA / season for season in seasons])
    rows = warehouse.query("SELECT DISTINCT game_date FROM nba_raw.history_prop_lines ORDER BY game_date")
    by_season: dict[str, list[date]] = {}
    for row in rows:
        by_season.setdefault(season_name(row["game_date"]), []).append(row["game_date"])
    markets = [r["market"] for r in warehouse.query("SELECT DISTINCT market FROM nba_raw.history_prop_lines")]
    runs = [Backfill(dates[0], dates[:days][-1], SourceKind.REPLAY) for _, dates in sorted(by_season.items())]
    return runs, sorted(markets)


def synthetic_seasons(warehouse: Warehouse, years: list[int], folder: Path, *, days: int) -> list[Backfill]:
    runs = []
    for year in years:
        config = SyntheticConfig(teams=8, players_per_team=10, season_start=f"{year}-10-20")
        history = prepare_synthetic_history(warehouse, config, days=days, out_dir=folder / str(year))
        dates = ReplaySource(warehouse, Settings().replay).game_dates(history.league.first_date,
                                                                        history.league.last_date)
        runs.append(Backfill(dates[0], dates[-1], SourceKind.SIM))
    return runs


class Namespace:
    """The namespace standing in for another host, and the relay that carries its connections."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.silent = threading.Event()
        self.held: list[socket.socket] = []  # the relayed sockets, open until the relay ends them

    def silence(self) -> None:
        """Forward nothing more, either way, yet close nothing: PostgreSQL keeps seeing live TCP peers
        that never speak again, as it does those of a host that is lost."""
        self.silent.set()

    def tear_down(self) -> None:
        """Delete the veth pair and the namespace (again at the end: then nothing happens)."""
        subprocess.run(f"ip link del {VETH}-h".split(), check=False, stderr=subprocess.DEVNULL)
        subprocess.run(f"ip netns del {NETNS}".split(), check=False, stderr=subprocess.DEVNULL)

    def close_held(self) -> None:
        """Close every relayed socket: PostgreSQL sees its peers end."""
        for held in self.held:
            with suppress(OSError):
                held.close()


@contextmanager
def network_namespace(server_port: int) -> Iterator[Namespace]:
    """A namespace reaching this host's PostgreSQL at HOST_IP:RELAY_PORT, through a veth pair and a relay."""
    commands = [
        f"ip netns add {NETNS}",
        f"ip link add {VETH}-h type veth peer name {VETH}-n",
        f"ip link set {VETH}-n netns {NETNS}",
        f"ip addr add {HOST_IP}/30 dev {VETH}-h",
        f"ip link set {VETH}-h up",
        f"ip netns exec {NETNS} ip addr add {NS_IP}/30 dev {VETH}-n",
        f"ip netns exec {NETNS} ip link set {VETH}-n up",
        f"ip netns exec {NETNS} ip link set lo up",
    ]
    namespace = Namespace()
    try:
        for command in commands:
            subprocess.run(command.split(), check=True)
        relay = threading.Thread(target=_relay, args=(server_port, namespace), daemon=True)
        relay.start()
        yield namespace
    finally:
        namespace.stop.set()
        namespace.tear_down()
        namespace.close_held()


def _relay(server_port: int, namespace: Namespace) -> None:
    listener = socket.create_server((HOST_IP, RELAY_PORT))
    listener.settimeout(0.5)
    while not namespace.stop.is_set():
        try:
            client, _ = listener.accept()
        except TimeoutError:
            continue
        upstream = socket.create_connection(("127.0.0.1", server_port))
        namespace.held += [client, upstream]
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=_pipe, args=(a, b, namespace.silent), daemon=True).start()
    listener.close()


def _pipe(source: socket.socket, target: socket.socket, silent: threading.Event) -> None:
    try:
        while not silent.is_set():
            if not select.select([source], [], [], 0.2)[0]:
                continue
            data = source.recv(65536)
            if not data or silent.is_set():
                break
            target.sendall(data)
    except OSError:
        return
    finally:
        if not silent.is_set():  # silenced, the sockets stay open and mute
            for s in (source, target):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def start(home: Home, executor_id: str, *, in_namespace: bool, server: str,
          stderr: int | IO[str] = subprocess.PIPE) -> subprocess.Popen[str]:
    if not in_namespace:
        return start_worker(home, executor_id, stdout=subprocess.DEVNULL, stderr=stderr)
    settings = load_settings(home.config_path)
    port = server.rpartition(":")[2].split("/")[0]
    relayed = f"{HOST_IP}:{RELAY_PORT}"
    assert settings.warehouse.url is not None and settings.orchestration.database_url is not None
    env = {
        "NBAPROPS_WAREHOUSE__URL": settings.warehouse.url.replace(f"127.0.0.1:{port}", relayed),
        "NBAPROPS_ORCHESTRATION__DATABASE_URL":
            settings.orchestration.database_url.get_secret_value().replace(f"127.0.0.1:{port}", relayed),
    }
    return start_worker(home, executor_id, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
                        prefix=["ip", "netns", "exec", NETNS])


def timed_run(server: str, template: str, backfills: list[Backfill], config: Callable[..., str], workers: int,
              folder: Path, *, netns: bool, pipelined: bool) -> tuple[float, Snapshot, list[str]]:
    with database(server, template=template) as warehouse_db, database(server) as system_db:
        home = Home(folder / f"workers-{workers}").ensure()
        home.config_path.write_text(
            config(warehouse_url=url_of(server, warehouse_db), database_url=url_of(server, system_db)))
        processes = [start(home, f"worker-{i}", in_namespace=netns and i == 1, server=server)
                     for i in range(workers)]
        try:
            while not ready(home, workers):
                if any(p.poll() is not None for p in processes):
                    raise SystemExit("A worker ended before it started: " + processes[0].communicate()[1][-2000:])
                time.sleep(0.2)
            started = time.perf_counter()
            done = run_on_workers(home, load_settings(home.config_path), backfills, pipelined=pipelined)
            seconds = time.perf_counter() - started
            settings = load_settings(home.config_path)
            with EngineClient(home, settings) as client:
                executors = sorted({client.workflow(wid).executor_id or "?" for wid in done.outcomes})
        finally:
            stop(*processes, timeout_seconds=120)
        if not done.ok:
            raise SystemExit(f"The backfill failed with {workers} worker(s): {done.outcomes}")
        days = {key: sum(o.result[key] for wid, o in done.outcomes.items()
                         if o.result is not None and not wid.startswith("history:"))
                for key in ("game_days", "complete", "degraded", "failed")}
        print(f"{workers} worker(s): days {days}", flush=True)
        print_profile(url_of(server, warehouse_db), url_of(server, system_db))
        return seconds, snapshot(url_of(server, warehouse_db)), executors  # type: ignore[arg-type]


COARSE_DIGITS = 9


def rounded(found: Snapshot, digits: int = COARSE_DIGITS) -> Snapshot:
    """`found` with every float (in JSON text too) to `digits` significant digits."""
    def value(v: Any) -> Any:
        if isinstance(v, str) and v[:1] in "{[":
            with suppress(ValueError):
                return json.dumps(_round(json.loads(v), digits), sort_keys=True)
        return _round(v, digits)
    return {table: [tuple(value(v) for v in row) for row in rows] for table, rows in found.items()}


def _round(data: Any, digits: int) -> Any:
    """`data`'s floats, in its lists and dicts too, to `digits` significant digits."""
    if isinstance(data, float):
        return significant(data, digits)
    if isinstance(data, dict):
        return {k: _round(v, digits) for k, v in data.items()}
    if isinstance(data, list):
        return [_round(v, digits) for v in data]
    return data


def print_profile(warehouse_url: str, system_url: str) -> None:
    """Processor time by phase, and the day workflows' busy time by kind and executor."""
    with psycopg.connect(warehouse_url) as connection:
        phases = connection.execute(
            "SELECT phase, count(*), sum(wall_seconds), sum(cpu_seconds) FROM nba_orchestration.processor_run_usage "
            "GROUP BY phase ORDER BY phase").fetchall()
    print("  processors: " + ", ".join(f"{p} {n} runs {w:.1f} s wall {c:.1f} s CPU" for p, n, w, c in phases))
    with psycopg.connect(system_url) as connection:
        schema = connection.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'workflow_status'").fetchone()[0]
        kinds = connection.execute(
            "SELECT split_part(workflow_uuid, ':', 1), executor_id, count(*), "
            "sum(updated_at - created_at) / 1000.0, min(created_at), max(updated_at) "
            "FROM " + schema + ".workflow_status GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
    first = min(k[4] for k in kinds)
    print("  workflows: " + "; ".join(
        f"{kind}@{executor} {n} took {busy:.1f} s (from {(start - first) / 1000:.1f} to {(end - first) / 1000:.1f} s)"
        for kind, executor, n, busy, start, end in kinds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seasons", nargs="+", default=["2023-24", "2024-25"])
    parser.add_argument("--synthetic", nargs="+", type=int, default=None, metavar="YEAR")
    parser.add_argument("--days", type=int, default=40, help="days of each synthetic season")
    parser.add_argument("--first-days", type=int, default=None, help="the first N prop-line days of each shared season")
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--netns", action="store_true")
    parser.add_argument("--pipelined", nargs="+", type=int, default=[], metavar="WORKERS",
                        help="worker counts whose runs are pipelined (history ahead of predictions)")
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        template = stack.enter_context(database(args.server))
        started = time.perf_counter()
        with Warehouse.open(url_of(args.server, template)) as warehouse:
            if args.synthetic:
                backfills = synthetic_seasons(warehouse, args.synthetic, Path(folder), days=args.days)
                config = partial(worker_config, heartbeat_interval_seconds=1.0, queue_concurrency=1)
            else:
                backfills, markets = shared_seasons(warehouse, args.seasons, days=args.first_days)
                config = partial(worker_config, heartbeat_interval_seconds=1.0, queue_concurrency=1,
                                 source="replay", markets=markets, min_history_games=None, parallel_markets=2)
        print(f"prepared in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{b.start}..{b.end}" for b in backfills))
        print("waves: " + " | ".join(", ".join(f"{b.start}..{b.end}" for b in wave) for wave in waves(backfills)))
        if args.netns:
            stack.enter_context(network_namespace(int(args.server.rpartition(":")[2].split("/")[0])))
        results = {}
        for workers in args.workers:
            seconds, found, executors = timed_run(args.server, template, backfills, config, workers, Path(folder),
                                                  netns=args.netns, pipelined=workers in args.pipelined)
            results[workers] = (seconds, found)
            print(f"{workers} worker(s): {seconds:.1f} s (backfills run by {', '.join(executors)})", flush=True)
        first = args.workers[0]
        for workers in args.workers[1:]:
            diff = differences(results[first][1], results[workers][1])
            rows = sum(len(rows) for rows in results[workers][1].values())
            print(f"{workers} vs {first} worker(s): speedup {results[first][0] / results[workers][0]:.2f}x, "
                  f"{rows} rows, " + ("equal row for row" if not diff else f"DIFFERENT: {diff}"))
            if diff:  # PostgreSQL sums in the order its plan and the heap give: the last digits may differ
                coarse = differences(rounded(results[first][1]), rounded(results[workers][1]))
                print(f"  at {COARSE_DIGITS} significant digits: "
                      + ("equal row for row" if not coarse else f"DIFFERENT: {coarse}"))


if __name__ == "__main__":
    main()
