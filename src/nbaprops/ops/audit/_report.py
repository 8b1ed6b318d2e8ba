"""The audit's result: one `ServiceAudit` per service, gathered in an `AuditReport`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbaprops.ops.audit._findings import ImportUse, MissingDistribution, UnreadableFile
from nbaprops.ops.audit._import_check import ImportCheck
from nbaprops.ops.audit._import_map import canonicalize
from nbaprops.ops.audit._imports import ImportKind
from nbaprops.ops.audit._requirements import Declarations, Requirement


@dataclass(frozen=True)
class ServiceAudit:
    """What one service imports against what it declares.

    `missing` fails the audit; `transitive`, `optional` and `test_only` are warnings.
    `repository_root` is the folder whose top-level packages counted as first-party;
    `linked_folders` are the symlinked folders inside the service, part of it.
    """

    path: Path
    declarations: Declarations
    files_scanned: int
    uses: tuple[ImportUse, ...]
    missing: tuple[MissingDistribution, ...]
    optional: tuple[MissingDistribution, ...]
    unused: tuple[Requirement, ...]
    allowlisted: tuple[tuple[Requirement, str], ...]
    unreadable: tuple[UnreadableFile, ...]
    import_check: ImportCheck | None = None
    transitive: tuple[MissingDistribution, ...] = ()
    test_only: tuple[MissingDistribution, ...] = ()
    repository_root: Path | None = None
    linked_folders: tuple[Path, ...] = ()

    @property
    def failed(self) -> bool:
        """Something is missing: statically, or as an ImportError in the import check."""
        return bool(self.missing) or bool(self.import_check and self.import_check.import_errors)

    def to_dict(self) -> dict[str, Any]:
        declared = self.declarations.by_canonical_name().values()
        imports: dict[tuple[str, ImportKind], dict[str, Any]] = {}
        for use in self.uses:
            key = (use.module, use.kind)
            entry = imports.setdefault(key, {
                "module": use.module, "distribution": use.resolution.preferred,
                "resolved_by": use.resolution.resolved_by, "kind": use.kind, "where": [],
            })
            entry["where"].append(use.location)
        return {
            "path": str(self.path),
            "repository_root": str(self.repository_root) if self.repository_root else None,
            "linked_folders": [str(p) for p in self.linked_folders],
            "missing": [m.distribution for m in self.missing],
            "transitive": [m.to_dict() for m in self.transitive],
            "test_only": [m.to_dict() for m in self.test_only],
            "unused": [r.name for r in self.unused],
            "optional": [{**m.to_dict(), "reasons": m.reasons} for m in self.optional],
            "allowlisted": [{"distribution": r.name, "reason": why} for r, why in self.allowlisted],
            "missing_imports": [m.to_dict() for m in self.missing],
            "syntax_errors": [{"where": u.location, "message": u.message} for u in self.unreadable],
            "declared": sorted((r.name for r in declared), key=canonicalize),
            "declared_in": [str(p) for p in self.declarations.files],
            "local_paths": [str(p.path) for p in self.declarations.local_paths],
            "unnamed_requirements": list(self.declarations.unnamed),
            "files_scanned": self.files_scanned,
            "imports": sorted(
                imports.values(), key=lambda e: (canonicalize(e["distribution"]), e["module"])
            ),
            "import_check": self.import_check.to_dict() if self.import_check else None,
        }


@dataclass(frozen=True)
class AuditReport:
    """The audit of every service under `root`."""

    root: Path
    services: tuple[ServiceAudit, ...]

    @property
    def failed(self) -> bool:
        return any(s.failed for s in self.services)

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "ok": not self.failed,
            "missing_count": sum(len(s.missing) for s in self.services),
            "transitive_count": sum(len(s.transitive) for s in self.services),
            "test_only_count": sum(len(s.test_only) for s in self.services),
            "services": [s.to_dict() for s in self.services],
        }
