"""The audit's rules: which undeclared distribution is missing, transitive, optional or test-only.

Pure functions over the imports found and the declarations read; no I/O.

- missing: imported unconditionally by run-time code and not declared (fails the audit);
- transitive: like missing, but a declared distribution requires it, so it is installed by
  accident today (a warning: declare it, or the next upgrade of its parent may drop it);
- optional: imported only inside `try/except ImportError` or `if TYPE_CHECKING`;
- test-only: imported only by test files and `conftest.py` (and the code they import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from nbaprops.ops.audit._findings import ImportUse, MissingDistribution
from nbaprops.ops.audit._import_map import canonicalize, no_import_reason
from nbaprops.ops.audit._requirements import Requirement


@dataclass(frozen=True)
class Findings:
    """One service's undeclared distributions by category, and its never-imported declarations."""

    missing: tuple[MissingDistribution, ...] = ()
    transitive: tuple[MissingDistribution, ...] = ()
    optional: tuple[MissingDistribution, ...] = ()
    test_only: tuple[MissingDistribution, ...] = ()
    unused: tuple[Requirement, ...] = ()
    allowlisted: tuple[tuple[Requirement, str], ...] = ()


def judge_uses(
    uses: Iterable[ImportUse],
    declared: Mapping[str, Requirement],
    *,
    provided_by: Mapping[str, str],
) -> Findings:
    """Sort the service's imports into findings.

    `declared` maps PEP 503 names to declarations; `provided_by` maps each distribution the
    declared ones pull in to the declared one that does (see `RequiresMap.provided_by`).
    """
    uses = list(uses)
    undeclared: dict[str, list[ImportUse]] = {}
    for use in uses:
        if not _candidates(use) & declared.keys():
            undeclared.setdefault(use.resolution.preferred, []).append(use)
    missing: list[MissingDistribution] = []
    transitive: list[MissingDistribution] = []
    optional: list[MissingDistribution] = []
    test_only: list[MissingDistribution] = []
    for name, group in sorted(undeclared.items(), key=lambda item: canonicalize(item[0])):
        run_time = [u for u in group if not u.test_only]
        required = [u for u in run_time if u.kind == "required"]
        if required:
            parent = next((provided_by[c] for c in _ordered(required[0]) if c in provided_by), None)
            (missing if parent is None else transitive).append(_finding(name, required, parent))
        elif run_time:
            optional.append(_finding(name, run_time))
        else:
            test_only.append(_finding(name, group))
    used = {c for use in uses for c in _candidates(use)}
    unused: list[Requirement] = []
    allowlisted: list[tuple[Requirement, str]] = []
    for canonical, requirement in sorted(declared.items()):
        if canonical in used:
            continue
        reason = no_import_reason(requirement.name)
        if reason is None:
            unused.append(requirement)
        else:
            allowlisted.append((requirement, reason))
    return Findings(
        tuple(missing), tuple(transitive), tuple(optional), tuple(test_only), tuple(unused),
        tuple(allowlisted),
    )


def _candidates(use: ImportUse) -> set[str]:
    return {canonicalize(d) for d in use.resolution.distributions}


def _ordered(use: ImportUse) -> list[str]:
    return [canonicalize(d) for d in use.resolution.distributions]


def _finding(
    name: str, uses: Sequence[ImportUse], required_by: str | None = None
) -> MissingDistribution:
    first = uses[0].resolution
    return MissingDistribution(
        distribution=name,
        alternatives=() if first.resolved_by == "guess" else first.distributions[1:],
        resolved_by=first.resolved_by, uses=tuple(uses), required_by=required_by,
    )
