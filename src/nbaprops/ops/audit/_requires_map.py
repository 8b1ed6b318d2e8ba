"""Which distributions a declared one pulls in: the maintained table, then installed metadata.

The table (`distribution_requires.csv`, one `distribution,requires` row per pair) knows the common
cloud and web stacks without them being installed; each installed distribution adds its
`Requires-Dist` lines. A requirement under an extra (`extra == "grpc"`) counts only when that
extra is asked for; other environment markers (`python_version < "3.11"`) are evaluated for the
Python running the audit, so a backport that this Python never installs is not "transitive".
"""

from __future__ import annotations

import importlib.metadata
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName

from nbaprops.errors import AuditError
from nbaprops.ops.audit._import_map import canonicalize
from nbaprops.ops.audit._requirements import Requirement, parse_requirement
from nbaprops.ops.audit._tables import read_pairs

REQUIRES_TABLE_PATH = Path(__file__).with_name("distribution_requires.csv")



@dataclass(frozen=True)
class _Edge:
    requires: str
    extras: tuple[str, ...]  # extras asked of the required distribution
    marker: str | None  # PEP 508 marker; `extra == "x"` in it names the requiring side's extras

    def holds(self, extras: tuple[str, ...]) -> bool:
        """Whether the edge applies when the requiring distribution is installed with `extras`."""
        if self.marker is None:
            return True
        try:
            marker = Marker(self.marker)
            return any(marker.evaluate({"extra": extra}) for extra in extras or ("",))
        except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
            return True  # unreadable: assume it applies rather than report a false "missing"


class RequiresMap:
    """Distribution -> the distributions it requires, for finding what is installed by accident."""

    def __init__(
        self,
        table: Mapping[str, Sequence[str]],
        *,
        installed: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self._edges: dict[str, list[_Edge]] = {}
        for distribution, requires in table.items():
            for name in requires:
                self._add(distribution, _Edge(canonicalize(name), (), None))
        for distribution, lines in (installed or {}).items():
            for line in lines:
                if (edge := _edge(line)) is not None:
                    self._add(distribution, edge)

    def _add(self, distribution: str, edge: _Edge) -> None:
        edges = self._edges.setdefault(canonicalize(distribution), [])
        if edge not in edges:
            edges.append(edge)

    @classmethod
    def load(
        cls, *, table_path: Path = REQUIRES_TABLE_PATH, use_installed: bool = True
    ) -> RequiresMap:
        """The maintained table, plus every installed distribution's Requires-Dist if asked."""
        installed: dict[str, list[str]] = {}
        if use_installed:
            for distribution in importlib.metadata.distributions():
                name = distribution.metadata["Name"]
                if name:
                    installed.setdefault(name, []).extend(distribution.requires or [])
        return cls(read_requires_table(table_path), installed=installed)

    def provided_by(self, declared: Iterable[Requirement]) -> dict[str, str]:
        """Each distribution the declared ones pull in (PEP 503 name) -> the declared one that does.

        Follows requirements of requirements; the declared distributions themselves are left out.
        """
        roots = {r.canonical_name: r for r in declared}
        queue = deque((name, tuple(canonicalize(e) for e in r.extras), name) for name, r in roots.items())
        provided: dict[str, str] = {}
        expanded: set[tuple[str, tuple[str, ...]]] = set()
        while queue:
            name, extras, root = queue.popleft()
            if (name, extras) in expanded:
                continue
            expanded.add((name, extras))
            for edge in self._edges.get(name, ()):
                if not edge.holds(extras):
                    continue
                if edge.requires not in roots:
                    provided.setdefault(edge.requires, roots[root].name)
                queue.append((edge.requires, edge.extras, root))
        return provided


def _edge(line: str) -> _Edge | None:
    """A Requires-Dist line as an edge; None for a line that is not PEP 508."""
    try:
        requirement = parse_requirement(line, where="metadata", source=Path("METADATA"))
    except AuditError:
        return None
    return _Edge(
        canonicalize(requirement.name),
        tuple(canonicalize(e) for e in requirement.extras),
        requirement.marker,
    )


def read_requires_table(path: Path) -> dict[str, list[str]]:
    """Read a `distribution,requires` CSV into {distribution: [required distribution, ...]}."""
    table: dict[str, list[str]] = {}
    rows = read_pairs(path, header=("distribution", "requires"), table="the requirements table")
    for _, distribution, requires in rows:
        table.setdefault(distribution, []).append(requires)
    return table
