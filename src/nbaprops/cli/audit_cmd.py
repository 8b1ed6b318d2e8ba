"""`nbaprops audit-deps`: does every service declare the distributions its code imports?"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from nbaprops.cli.config_cmd import JsonOption
from nbaprops.cli.output import emit, table, track
from nbaprops.ops.audit import (
    AuditReport,
    ImportMap,
    RequiresMap,
    ServiceAudit,
    ServiceAuditor,
    find_services,
)

EXIT_MISSING = 1
SHOWN_LOCATIONS = 3  # per finding in the table; --json lists them all


def audit_deps(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH", exists=True, file_okay=False, help="Repository folder to search for services."
        ),
    ] = Path("."),
    as_json: JsonOption = False,
    import_check: Annotated[
        bool,
        typer.Option(
            "--import-check",
            help="Also import each service's modules in a throwaway virtualenv built from its "
            "requirements (slow; pip may download).",
        ),
    ] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Glob of folders to skip, relative to PATH (repeatable)."),
    ] = None,
    root: Annotated[
        Path | None,
        typer.Option(
            "--root",
            exists=True,
            file_okay=False,
            help="Repository root whose top-level packages are first-party (default: the nearest "
            "folder above each service holding .git, else PATH).",
        ),
    ] = None,
) -> None:
    """List, per service, imported distributions it does not declare and declared ones it never
    imports, following first-party code. Exits 1 when anything is missing; transitive,
    optional and test-only findings are warnings."""
    auditor = ServiceAuditor(
        import_map=ImportMap.load(), requires_map=RequiresMap.load(), root=root, fallback_root=path
    )
    services = find_services(path, exclude=exclude or ())
    audits = tuple(
        auditor.audit(service, import_check=import_check)
        for service in track(services, "auditing services", enabled=not as_json)
    )
    report = AuditReport(path, audits)
    emit(report.to_dict(), as_json=as_json, render=lambda console: _render(report, console))
    if report.failed:
        raise typer.Exit(EXIT_MISSING)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _rows(audit: ServiceAudit) -> list[tuple[str, str, str, str]]:
    """One row per finding (allowlisted ones only in --json).

    Locations are relative to the service, or to the repository root for first-party code
    outside it; a chain of imports reads `worker/main.py:3 -> shared/utils/metrics.py:5`.
    """
    prefixes = [f"{audit.path}{os.sep}"]
    if audit.repository_root is not None and audit.repository_root != Path("."):
        prefixes.append(f"{audit.repository_root}{os.sep}")

    def short(location: str) -> str:
        return next((location.removeprefix(p) for p in prefixes if location.startswith(p)), location)

    def where(locations: Sequence[str]) -> str:
        shown = [
            " -> ".join(short(step) for step in location.split(" -> "))
            for location in locations[:SHOWN_LOCATIONS]
        ]
        hidden = len(locations) - len(shown)
        return "\n".join(shown + ([f"(+{hidden} more)"] if hidden else []))

    rows = [
        ("missing", m.distribution, where(m.locations),
         ", ".join(m.modules) + (f" (or {', '.join(m.alternatives)})" if m.alternatives else ""))
        for m in audit.missing
    ]
    if audit.import_check is not None:
        rows += [
            ("import error" if f.is_import_error else "import failed", f.distribution or "",
             f"module {f.module}", f"{f.error_type}: {f.message}")
            for f in audit.import_check.failures
        ]
    rows += [
        ("transitive", m.distribution, where(m.locations),
         f"{', '.join(m.modules)}; installed only as a dependency of {m.required_by}: declare it")
        for m in audit.transitive
    ]
    rows += [("unused", r.name, where([r.where]), "declared, never imported") for r in audit.unused]
    rows += [("optional", m.distribution, where(m.locations), "; ".join(m.reasons))
             for m in audit.optional]
    rows += [("test-only", m.distribution, where(m.locations), "imported only by tests")
             for m in audit.test_only]
    rows += [("syntax error", "", where([u.location]), u.message) for u in audit.unreadable]
    return rows


def _render(report: AuditReport, console: Console) -> None:
    if not report.services:
        console.print(
            f"No services under {escape(str(report.root))} "
            f"(folders with requirements*.txt or pyproject.toml); nothing to audit."
        )
        return
    for audit in report.services:
        distributions = {use.resolution.preferred for use in audit.uses}
        linked = f" + {_plural(len(audit.linked_folders), 'linked folder')}" if audit.linked_folders else ""
        summary = (
            f"{_plural(audit.files_scanned, 'file')}{linked}, "
            f"{_plural(len(distributions), 'distribution')} imported, "
            f"{len(audit.declarations.by_canonical_name())} declared"
        )
        if audit.allowlisted:
            summary += f", {len(audit.allowlisted)} allowlisted as never imported (see --json)"
        if audit.import_check is not None:
            summary += f", {_plural(len(audit.import_check.modules), 'module')} import-checked"
        rows = _rows(audit)
        if rows:
            title = escape(f"{audit.path} ({summary})")
            escaped = [tuple(escape(cell) for cell in row) for row in rows]
            console.print(table(title, ["finding", "distribution", "where", "detail"], escaped))
        else:
            console.print(f"[green]ok[/green] {escape(str(audit.path))} ({summary})")
    console.print(_verdict(report))


def _failure_names(audit: ServiceAudit) -> list[str]:
    names = [m.distribution for m in audit.missing]
    if audit.import_check is not None:
        names += [
            f"{f.distribution or f.missing_module or f.module} (import check)"
            for f in audit.import_check.import_errors
        ]
    return names


def _verdict(report: AuditReport) -> str:
    services = report.services
    failed = [a for a in services if a.failed]
    if failed:
        missing = sum(len(a.missing) for a in failed)
        errors = sum(len(a.import_check.import_errors) for a in failed if a.import_check)
        counts = [_plural(missing, "missing distribution")] if missing else []
        counts += [_plural(errors, "import error")] if errors else []
        names = "; ".join(f"{a.path}: {', '.join(_failure_names(a))}" for a in failed)
        detail = f"{' and '.join(counts)} in {len(failed)} of {len(services)} services ({names})."
        return f"[bold red]FAIL[/bold red]: {escape(detail)}"
    unused = sum(len(a.unused) for a in services)
    optional = sum(len(a.optional) for a in services)
    transitive = sum(len(a.transitive) for a in services)
    test_only = sum(len(a.test_only) for a in services)
    unreadable = sum(len(a.unreadable) for a in services)
    return (
        f"[bold green]OK[/bold green]: {_plural(len(services), 'service')} declare every "
        f"distribution they import ({unused} unused, {optional} optional-only, "
        f"{transitive} transitive, {test_only} test-only, "
        f"{_plural(unreadable, 'unreadable file')})."
    )
