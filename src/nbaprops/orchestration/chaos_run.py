"""Play the chaos catalog: a small synthetic league on virtual time (or, with a warehouse holding an
ingested season, a few days of that real season from replay), run once fault-free and once per
scenario with its faults, each in a forked process (a killed worker dies for real); then each
faulted warehouse is compared with the fault-free one, row for row."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from nbaprops.backtest.runner import build_history
from nbaprops.config import Settings
from nbaprops.errors import UsageError
from nbaprops.home import Home
from nbaprops.orchestration.chaos_chain import as_primary, fallback_rows, with_fallback
from nbaprops.orchestration.chaos_source import ChaosSource, GlitchLedger
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.runtime import SourceFactory, default_source
from nbaprops.orchestration.service import run_backfill, run_day
from nbaprops.orchestration.settings import RunMode
from nbaprops.reliability.chaos import ChaosOutcome, ChaosResult, Scenario, compare_rows
from nbaprops.reliability.config import ChaosConfig
from nbaprops.reliability.slo import SloReport, compute_slo, percentile
from nbaprops.sources.base import Source
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import prepare_synthetic_history
from nbaprops.state import reliability_rows
from nbaprops.warehouse import Warehouse

COMPARED_SCHEMAS = ("nba_raw", "nba_analytics", "nba_precompute", "nba_predictions")
# Columns that name a run or a time of writing (a role's `since` is the run's clock): they differ between runs
# that wrote the same rows.
_IGNORED = re.compile(r"(^|_)run_id$|_at$|_utc$|^since$|^attempt$|^recorded|^created|^updated|^processed|^ingested")
REMEDIATIONS = "nba_orchestration.remediations"


@dataclass(frozen=True)
class Played:
    """A prepared league: its warehouse with history built, and the days the scenarios run."""

    template: Path
    start: date
    end: date
    source: SourceKind = SourceKind.SIM


@dataclass(frozen=True)
class ChaosReport:
    results: tuple[ChaosResult, ...]
    slo: SloReport
    wall_seconds: float
    mttr_p95_minutes_max: float

    @property
    def recoverable(self) -> tuple[ChaosResult, ...]:
        return tuple(r for r in self.results if r.scenario.recoverable)

    @property
    def mttr_p95(self) -> float | None:
        return percentile([r.outcome.mttr_minutes for r in self.recoverable if r.outcome.mttr_minutes is not None], 95)

    @property
    def ok(self) -> bool:
        mttr = self.mttr_p95
        return all(not r.problems for r in self.results) and (mttr is None or mttr <= self.mttr_p95_minutes_max)

    def targets(self) -> dict[str, Any]:
        """Point 7's targets over the recoverable scenarios."""
        recoverable = self.recoverable
        recovered = sum(r.recovered for r in recoverable)
        mttr = self.mttr_p95
        return {
            "recoverable": len(recoverable),
            "recovered": recovered,
            "recovery_rate": round(recovered / len(recoverable), 4) if recoverable else None,
            "identical": sum(r.identical for r in recoverable),
            "duplicates": sum(r.outcome.duplicates for r in recoverable),
            "interventions": sum(r.outcome.interventions for r in recoverable),
            "mttr_p95_minutes": None if mttr is None else round(mttr, 1),
            "mttr_p95_minutes_max": self.mttr_p95_minutes_max,
            "unrecoverable_right": sum(not r.problems for r in self.results if not r.scenario.recoverable),
            "unrecoverable": len(self.results) - len(recoverable),
            "missed": [r.scenario.name for r in self.results if r.problems],
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "scenarios": [result.to_json() for result in self.results],
            "targets": self.targets(),
            "slo": self.slo.to_json(),
            "slo_scope": "the recoverable scenarios' runs",
            "ok": self.ok,
            "wall_seconds": round(self.wall_seconds, 1),
        }


def chaos_settings(settings: Settings, league: ChaosConfig) -> Settings:
    """`settings` with the league's markets and a look-back its few history days can serve."""
    predictions = settings.predictions.model_copy(update={"markets": list(league.markets), "min_history_games": 2})
    synthetic = settings.synthetic.model_copy(
        update={"teams": league.teams, "players_per_team": league.players_per_team}
    )
    return settings.model_copy(update={"predictions": predictions, "synthetic": synthetic})


def prepare_league(root: Path, settings: Settings, league: ChaosConfig) -> Played:
    """Generate the league into `root` and build its earlier history (Phases 2-4), once a chaos run."""
    template = root / "template.duckdb"
    with Warehouse.open(template) as warehouse:
        history = prepare_synthetic_history(
            warehouse, settings.synthetic, days=league.days, history_days=league.history_days, out_dir=root / "files"
        )
        source = ReplaySource(warehouse, settings.replay)
        days = source.game_dates(history.league.history_start, history.league.first_date - timedelta(days=1))
        build_history(warehouse=warehouse, source=source, settings=settings, game_dates=days)
    return Played(template, history.league.first_date, history.league.last_date)


def data_settings(settings: Settings, league: ChaosConfig) -> Settings:
    """`settings` predicting the markets `chaos --data` replays (those with real lines)."""
    predictions = settings.predictions.model_copy(update={"markets": list(league.data_markets)})
    return settings.model_copy(update={"predictions": predictions})


def prepare_season(root: Path, settings: Settings, league: ChaosConfig, season: Path) -> Played:
    """A copy of the warehouse `season` (holding an ingested real season) with the history before
    `data_start` built: the scenarios replay its first `data_days` game days from there."""
    template = root / "template.duckdb"
    shutil.copyfile(season, template)
    with Warehouse.open(template) as warehouse:
        source = ReplaySource(warehouse, settings.replay)
        start = league.data_start
        days = source.game_dates(start, start + timedelta(days=60))[: league.data_days]
        if len(days) < league.data_days:
            raise UsageError(
                f"--data: the warehouse {season} holds {len(days)} game day(s) from {start}, not the "
                f"{league.data_days} of [chaos] data_days: ingest the season first "
                "(nbaprops ingest ../shared/data/2024-25)."
            )
        history = source.game_dates(start - timedelta(days=league.data_history_days), start - timedelta(days=1))
        build_history(warehouse=warehouse, source=source, settings=settings, game_dates=history)
    return Played(template, days[0], days[-1], SourceKind.REPLAY)


def play_all(
    root: Path,
    settings: Settings,
    scenarios: Sequence[Scenario],
    *,
    on_scenario: Callable[[str], None] = lambda name: None,
    season: Path | None = None,
) -> ChaosReport:
    """Prepare the league of `[chaos]` (or, given `season`, a warehouse with an ingested real season,
    its days from `data_start`), play it fault-free (the baseline, once), then every scenario."""
    started = time.perf_counter()
    league = settings.chaos
    if season is None:
        settings = chaos_settings(settings, league)
        played = prepare_league(root, settings, league)
    else:
        settings = data_settings(settings, league)
        played = prepare_season(root, settings, league, season)
    baseline_home = _play(root / "baseline", settings, played, None)
    baseline = snapshot(baseline_home.warehouse_path)
    background = read_background(baseline_home)
    results = []
    for scenario in scenarios:
        began = time.perf_counter()
        home = _play(root / scenario.name, settings, played, scenario)
        outcome = read_outcome(
            home, baseline, completed=_completed(home), background=background, fallback_as_primary=scenario.fallback
        )
        results.append(ChaosResult(scenario, outcome, time.perf_counter() - began))
        on_scenario(scenario.name)
    slo = _slo(root, settings, played, [r.scenario for r in results if r.scenario.recoverable])
    return ChaosReport(tuple(results), slo, time.perf_counter() - started, league.mttr_p95_minutes_max)


def _play(folder: Path, settings: Settings, played: Played, scenario: Scenario | None) -> Home:
    """One run of the season in a fresh home: the scenario's processes, then its extra graders."""
    shutil.rmtree(folder, ignore_errors=True)
    home = Home(folder / "home").ensure()
    shutil.copyfile(played.template, home.warehouse_path)
    inject = scenario.inject if scenario else ()
    steps: list[Callable[[], bool]] = []
    for delivery in range(1 + (scenario.restarts if scenario else 0)):
        faults = inject if delivery == 0 else tuple(f for f in inject if not f.startswith("kill:"))
        steps.append(_season(home, settings, played, scenario, faults))
    for _ in range(scenario.graders if scenario else 0):
        steps.append(_grader(home, settings, played))
    ok = True
    for step in steps:
        ok = _in_child(home, step)
    (home.root / "completed.json").write_text(json.dumps(ok))
    return home


def _season(
    home: Home, settings: Settings, played: Played, scenario: Scenario | None, faults: Sequence[str]
) -> Callable[[], bool]:
    def run() -> bool:
        summary = run_backfill(
            home, settings, start=played.start, end=played.end, source=played.source, faults=faults,
            source_factory=_factory(scenario),
        )
        return summary.outcome.ok

    return run


def _grader(home: Home, settings: Settings, played: Played) -> Callable[[], bool]:
    def run() -> bool:
        report = run_day(
            home, settings, game_date=played.end, mode=RunMode.BACKFILL, source=played.source, results_only=True
        )
        return report.outcome.ok

    return run


def _factory(scenario: Scenario | None) -> SourceFactory:
    if scenario is None or not scenario.glitches:
        return default_source
    ledger = GlitchLedger()
    glitches = scenario.glitches

    def glitched(kind: SourceKind, warehouse: Warehouse, settings: Settings, home: Home) -> Source:
        return ChaosSource(default_source(kind, warehouse, settings, home), glitches, ledger)

    if not scenario.fallback:
        return glitched
    return with_fallback(glitched, feeds=frozenset(glitch.feed for glitch in glitches))


def _in_child(home: Home, step: Callable[[], bool]) -> bool:
    """Run `step` in a forked process (a kill fault ends that process only); whether it went ok."""
    result = home.root / "step.json"
    result.unlink(missing_ok=True)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            result.write_text(json.dumps({"ok": step()}))
            code = 0
        except BaseException:  # noqa: BLE001 - reported to the parent through the file
            result.write_text(json.dumps({"ok": False, "error": traceback.format_exc()}))
        os._exit(code)
    os.waitpid(pid, 0)
    if not result.exists():
        return False  # killed before it could say
    return bool(json.loads(result.read_text())["ok"])


def _completed(home: Home) -> bool:
    return bool(json.loads((home.root / "completed.json").read_text()))


Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(path: Path, *, fallback_as_primary: bool = False) -> Snapshot:
    """Every row of every compared table, without run ids and write times; with `fallback_as_primary`,
    a raw row a chain's fallback served names the chain's primary instead."""
    with Warehouse.open(path, read_only=True) as warehouse:
        tables = warehouse.query(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
            f"({', '.join('?' for _ in COMPARED_SCHEMAS)}) ORDER BY 1, 2",
            list(COMPARED_SCHEMAS),
        )
        found: Snapshot = {}
        for row in tables:
            name = f"{row['table_schema']}.{row['table_name']}"
            columns = [
                c["column_name"]
                for c in warehouse.query(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                    "ORDER BY ordinal_position",
                    [row["table_schema"], row["table_name"]],
                )
                if not _IGNORED.search(c["column_name"])
            ]
            quoted = ", ".join(f'"{c}"' for c in columns)
            found[name] = [
                tuple(comparable(as_primary(k, v) if fallback_as_primary else v) for k, v in r.items())
                for r in warehouse.query(f"SELECT {quoted} FROM {name}")
            ]
    return found


def significant(value: float, digits: int = 12) -> float:
    """`value` to `digits` significant digits."""
    return float(f"{value:.{digits}g}")


def comparable(value: Any) -> Any:
    """`value` as a comparable key; floats to 12 significant digits, since a parallel SUM in the warehouse
    may add in another order and differ in the last bit from one run to the next."""
    if isinstance(value, float):
        return significant(value)
    if isinstance(value, list):
        return tuple(comparable(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


@dataclass(frozen=True)
class Background:
    """What the fault-free run raised by itself (a real season can page on a real accuracy drop): its
    alert events by (kind, game_date) and its open incidents' fingerprints. A scenario is not judged
    on them: they are the season's, not the fault's."""

    alerts: Counter[tuple[str, date]]
    open_fingerprints: frozenset[str]


NO_BACKGROUND = Background(Counter(), frozenset())


def read_background(home: Home) -> Background:
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        events = warehouse.query("SELECT kind, game_date FROM nba_orchestration.orchestration_events WHERE alert")
        fingerprints = warehouse.query("SELECT fingerprint FROM nba_orchestration.incidents WHERE status = 'open'")
    return Background(
        Counter((str(r["kind"]), r["game_date"]) for r in events), frozenset(r["fingerprint"] for r in fingerprints)
    )


def read_outcome(
    home: Home,
    baseline: Snapshot,
    *,
    completed: bool,
    background: Background = NO_BACKGROUND,
    fallback_as_primary: bool = False,
) -> ChaosOutcome:
    """What the faulted run in `home` left, against the fault-free `baseline` (and without what the
    fault-free run raised by itself, `background`); with `fallback_as_primary`, rows a chain's fallback
    served are compared as the primary's (and counted in `fallback_rows`)."""
    faulted = snapshot(home.warehouse_path, fallback_as_primary=fallback_as_primary)
    differing = duplicates = 0
    tables: dict[str, int] = {}
    for table in sorted(set(baseline) | set(faulted)):
        diff, dup = compare_rows(baseline.get(table, []), faulted.get(table, []))
        differing += diff
        duplicates += dup
        if diff:
            tables[table] = diff
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        incidents = [
            r for r in warehouse.query(
                "SELECT fingerprint, status, opened_at, resolved_at, diagnosis_rule, remediation "
                "FROM nba_orchestration.incidents ORDER BY opened_at, incident_id"
            )
            if not (r["status"] == "open" and r["fingerprint"] in background.open_fingerprints)
        ]
        events = warehouse.query("SELECT kind, game_date FROM nba_orchestration.orchestration_events WHERE alert")
        per_day = Counter((str(r["kind"]), r["game_date"]) for r in events) - background.alerts
        alerts: Counter[str] = Counter()
        for (kind, _), n in per_day.items():
            alerts[kind] += n
        interventions = int(warehouse.scalar("SELECT count(*) FROM nba_orchestration.interventions"))
        remediation = _remediation(warehouse, incidents)
        from_fallback = fallback_rows(warehouse)
    recovery = [
        (r["resolved_at"] - r["opened_at"]).total_seconds() / 60 for r in incidents if r["resolved_at"] is not None
    ]
    return ChaosOutcome(
        completed=completed,
        open_incidents=sum(r["status"] == "open" for r in incidents),
        mttr_minutes=max(recovery) if recovery else None,
        differing_rows=differing,
        duplicates=duplicates,
        remediation=remediation,
        alerts=dict(alerts),
        alerts_per_day={kind: max(n for (k, _), n in per_day.items() if k == kind) for kind in alerts},
        diagnoses=tuple(str(r["diagnosis_rule"]) for r in incidents if r["diagnosis_rule"]),
        interventions=interventions,
        tables=tables,
        fallback_rows=from_fallback,
    )


def _remediation(warehouse: Warehouse, incidents: list[dict[str, Any]]) -> tuple[str, ...]:
    """The remediations taken: from the remediation audit when it exists, else the incidents' notes."""
    exists = warehouse.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'nba_orchestration' "
        "AND table_name = 'remediations'"
    )
    if exists:
        rows = warehouse.query(f"SELECT action, target, outcome FROM {REMEDIATIONS} ORDER BY started_at")
        return tuple(dict.fromkeys(f"{r['action']} {r['target']}: {r['outcome']}" for r in rows))
    notes: list[str] = []
    for incident in incidents:
        notes.extend(re.sub(r" \(attempt \d+\)", "", note) for note in json.loads(incident["remediation"] or "[]"))
    return tuple(dict.fromkeys(notes))


def _slo(root: Path, settings: Settings, played: Played, scenarios: Sequence[Scenario]) -> SloReport:
    """The SLOs of the scenarios' runs together (workflow ids kept apart per scenario)."""
    merged: dict[str, list[dict[str, Any]]] = {"incidents": [], "interventions": [], "phases": []}
    for scenario in scenarios:
        path = root / scenario.name / "home" / "warehouse.duckdb"
        with Warehouse.open(path, read_only=True) as warehouse:
            rows = reliability_rows(warehouse, since=played.start)
        for name, found in rows.items():
            merged[name].extend(
                replace_workflow(row, scenario.name) if "workflow_id" in row else row for row in found
            )
    return compute_slo(
        incidents=merged["incidents"],
        interventions=merged["interventions"],
        phases=merged["phases"],
        since=played.start,
        until=played.end,
        config=settings.slo,
    )


def replace_workflow(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {**row, "workflow_id": f"{prefix}/{row['workflow_id']}"}



