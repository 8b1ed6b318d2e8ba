"""What the audit finds in one service: third-party imports, undeclared distributions, bad files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nbaprops.ops.audit._import_map import Resolution
from nbaprops.ops.audit._imports import KIND_REASONS, ImportedModule, ImportKind


@dataclass(frozen=True)
class ImportUse:
    """A third-party import the service runs, and the distributions that can provide it.

    `imported` is the import statement itself; when it sits in first-party code outside the
    service, `chain` holds the locations of the imports that led there, the service's own first.
    `kind` is the strictest guard on the way (an optional import of `shared` makes all it runs
    optional); `test_only` says the chain starts in a test file.
    """

    imported: ImportedModule
    resolution: Resolution
    kind: ImportKind
    chain: tuple[str, ...] = ()
    test_only: bool = False

    @property
    def module(self) -> str:
        """The import's module, or the submodule that decided its distribution if longer."""
        matched, written = self.resolution.matched, self.imported.module
        return matched if len(matched) > len(written) else written

    @property
    def location(self) -> str:
        """`worker/main.py:3 -> shared/utils/metrics.py:5`: the chain, then the import."""
        return " -> ".join((*self.chain, self.imported.location))


@dataclass(frozen=True)
class MissingDistribution:
    """An undeclared distribution and the imports that need it.

    `required_by` names the declared distribution that installs it anyway (a transitive finding).
    """

    distribution: str
    alternatives: tuple[str, ...]
    resolved_by: str
    uses: tuple[ImportUse, ...]
    required_by: str | None = None

    @property
    def modules(self) -> list[str]:
        return sorted({u.module for u in self.uses})

    @property
    def locations(self) -> list[str]:
        return [u.location for u in self.uses]

    @property
    def reasons(self) -> list[str]:
        return sorted({KIND_REASONS[u.kind] for u in self.uses})

    def to_dict(self) -> dict[str, Any]:
        return {
            "distribution": self.distribution, "alternatives": list(self.alternatives),
            "resolved_by": self.resolved_by, "modules": self.modules, "where": self.locations,
            "required_by": self.required_by,
        }


@dataclass(frozen=True)
class UnreadableFile:
    """A Python file the audit could not parse (its imports are unknown)."""

    location: str
    message: str
