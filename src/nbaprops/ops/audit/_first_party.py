"""First-party code: the repository's own modules, and the files an import of them runs.

The repository root is the nearest folder at or above a service that holds `.git` or `.hg`
(or the one given with `--root`). Every top-level package or module there and under its `src/`
is first-party: importable from the root, never a missing distribution. Importing
`shared.utils.metrics` runs `shared/__init__.py`, `shared/utils/__init__.py` and
`shared/utils/metrics.py`; their imports are the service's too, and are followed in turn.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nbaprops.ops.audit._imports import ImportedModule, ImportKind, within
from nbaprops.ops.audit._services import is_skipped

REPOSITORY_MARKERS = (".git", ".hg")


def find_repository_root(start: Path, *, fallback: Path) -> Path:
    """The nearest folder at or above `start` holding `.git` or `.hg`, else `fallback`.

    Written relative to the working folder when `start` is, so reported paths stay short.
    """
    absolute = start.absolute()
    for folder in (absolute, *absolute.parents):
        if any((folder / marker).exists() for marker in REPOSITORY_MARKERS):
            return folder if start.is_absolute() else Path(os.path.relpath(folder))
    return fallback


def index_modules(base: Path, *, prefix: Sequence[str] = ()) -> dict[str, Path]:
    """Every importable module below `base` by dotted name (`shared.utils.metrics`), `prefix` first.

    A package is named by its `__init__.py`; namespace packages have no file and no entry.
    Skips what service discovery skips; symlinked folders below `base` are not walked.
    """
    modules: dict[str, Path] = {}
    if not base.is_dir():
        return modules
    for dirpath, dirnames, filenames in os.walk(base):
        folder = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if d.isidentifier() and not is_skipped(folder / d) and not (folder / d).is_symlink()
        )
        package = [*prefix, *folder.relative_to(base).parts]
        for filename in sorted(filenames):
            if not filename.endswith(".py"):
                continue
            stem = filename.removesuffix(".py")
            parts = package if stem == "__init__" else [*package, stem]
            if parts and all(part.isidentifier() for part in parts):
                modules[".".join(parts)] = folder / filename
    return modules


def repository_modules(root: Path) -> dict[str, Path]:
    """The repository's first-party modules: below its root, and below `src/` for a src layout."""
    return {**index_modules(root), **index_modules(root / "src")}


def linked_modules(service: Path, links: Iterable[Path]) -> dict[str, Path]:
    """Modules of the folders symlinked into a service, named as the service imports them."""
    modules: dict[str, Path] = {}
    for link in links:
        parts = link.relative_to(service).parts
        if parts[0] == "src":
            parts = parts[1:]
        modules.update(index_modules(link, prefix=parts))
    return modules


@dataclass(frozen=True)
class FirstParty:
    """The first-party modules a service can import, by dotted name, and the rule for names.

    A top-level module or regular package (with `__init__.py`) is first-party under any name.
    A namespace folder (no `__init__.py`) is first-party only for names that reach into it
    (`shared.utils.metrics`): an installed distribution always wins over a namespace folder, so a
    bare `import alembic` next to a root `alembic/` migrations folder is still a distribution.
    """

    modules: Mapping[str, Path]
    namespaces: frozenset[str]

    @classmethod
    def of(cls, modules: Mapping[str, Path]) -> FirstParty:
        prefixes = {
            ".".join(parts[:length])
            for parts in (name.split(".") for name in modules)
            for length in range(1, len(parts))
        }
        return cls(dict(modules), frozenset(prefixes - modules.keys()))

    def covers(self, name: str) -> bool:
        """Whether importing `name` finds first-party code rather than a distribution."""
        parts = name.split(".")
        if parts[0] in self.modules:
            return True
        prefixes = (".".join(parts[:length]) for length in range(2, len(parts) + 1))
        return any(prefix in self.modules or prefix in self.namespaces for prefix in prefixes)

    def files_run_by(self, name: str) -> list[tuple[str, Path]]:
        """The (module, file) pairs importing `name` runs: each package's `__init__` on the way."""
        parts = name.split(".")
        prefixes = (".".join(parts[:length]) for length in range(1, len(parts) + 1))
        return [(prefix, self.modules[prefix]) for prefix in prefixes if prefix in self.modules]


def absolute_name(imported: ImportedModule, *, importer: str, is_package: bool) -> str | None:
    """The absolute dotted name of an import written in module `importer`; None if it escapes.

    `from .config import load` in `shared.utils.metrics` is `shared.utils.config.load`.
    """
    if imported.level == 0:
        return imported.qualified
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    up = imported.level - 1
    if up >= len(package):
        return None
    return ".".join([*package[: len(package) - up], *filter(None, (imported.module, imported.name))])


@dataclass(frozen=True)
class Reached:
    """A third-party-or-stdlib import found in first-party code the service runs.

    `chain` holds the locations of the imports that led to the file, the service's own first.
    """

    imported: ImportedModule
    chain: tuple[str, ...]
    kind: ImportKind
    test_only: bool


@dataclass(frozen=True)
class Start:
    """An import of first-party code in one of the service's own files."""

    imported: ImportedModule
    name: str
    test_only: bool


ReadImports = Callable[[Path], Sequence[ImportedModule]]


def follow(
    starts: Iterable[Start],
    *,
    first_party: FirstParty,
    read_imports: ReadImports,
    real_path: Callable[[Path], Path],
    own_files: set[Path],
) -> list[Reached]:
    """Breadth-first through the first-party files the starts run; their other imports, reached.

    Each file (by `real_path`, so a symlinked folder and its target are one) is read once per
    (kind, test_only), by the shortest chain. The service's own files (`own_files`, real paths)
    are scanned on their own and not entered. The file system is reached only through
    `read_imports` and `real_path`, passed in.
    """
    queue: deque[tuple[str, Path, tuple[str, ...], ImportKind, bool]] = deque()
    for start in starts:
        for module, path in first_party.files_run_by(start.name):
            queue.append(
                (module, path, (start.imported.location,), start.imported.kind, start.test_only)
            )
    seen: set[tuple[Path, ImportKind, bool]] = set()
    reached: list[Reached] = []
    while queue:
        module, path, chain, kind, test_only = queue.popleft()
        key = (real_path(path), kind, test_only)
        if key in seen or key[0] in own_files:
            continue
        seen.add(key)
        for imported in read_imports(path):
            inner = within(kind, imported.kind)
            name = absolute_name(imported, importer=module, is_package=path.name == "__init__.py")
            if name is None:
                continue
            if first_party.covers(name):
                queue.extend(
                    (next_module, next_path, (*chain, imported.location), inner, test_only)
                    for next_module, next_path in first_party.files_run_by(name)
                )
            elif imported.level == 0:
                reached.append(Reached(imported, chain, inner, test_only))
    return reached
