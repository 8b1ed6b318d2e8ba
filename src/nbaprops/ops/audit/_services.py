"""Service discovery: folders that declare dependencies, the Python files each owns, its links.

A service is a folder with `requirements*.txt`, `requirements/*.txt` or `pyproject.toml`; its code
is every `.py` file below it that does not belong to a service nested inside it. A symlinked folder
inside a service (`services/worker/shared -> ../../shared`) is part of that service: never a
service of its own, its modules are the service's own, read when the service imports them.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from nbaprops.errors import AuditError
from nbaprops.ops.audit._pyproject import parse_pyproject
from nbaprops.ops.audit._requirements import Declarations, read_requirements

SKIPPED_DIR_NAMES = frozenset(
    {"venv", "node_modules", "__pycache__", "__pypackages__", "build", "dist", "site-packages"}
)
TEST_FOLDER_NAMES = frozenset({"tests", "test"})


@dataclass(frozen=True)
class Service:
    """A folder that declares dependencies, with the Python files and symlinked folders it owns."""

    path: Path
    python_files: tuple[Path, ...]
    linked_folders: tuple[Path, ...] = ()

    @property
    def requirement_files(self) -> tuple[Path, ...]:
        top = sorted(p for p in self.path.glob("requirements*.txt") if p.is_file())
        folder = sorted(p for p in (self.path / "requirements").glob("*.txt") if p.is_file())
        return tuple(top + folder)

    @property
    def pyproject(self) -> Path | None:
        candidate = self.path / "pyproject.toml"
        return candidate if candidate.is_file() else None

    def declarations(self) -> Declarations:
        """Parse every requirement file (each once, includes too) and pyproject.toml."""
        seen: set[Path] = set()
        result = Declarations()
        for path in self.requirement_files:
            result = result.merged(read_requirements(path, seen=seen, included_from=None))
        if self.pyproject is not None:
            result = result.merged(parse_pyproject(self.pyproject))
        return result


def is_test_file(relative: PurePath) -> bool:
    """A test module or fixture file, by its path relative to the service.

    `test_*.py`, `*_test.py`, `conftest.py`, or any file under a `tests` or `test` folder.
    """
    name = relative.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return any(part in TEST_FOLDER_NAMES for part in relative.parts[:-1])


def _is_service(folder: Path, filenames: Iterable[str]) -> bool:
    if folder.name == "requirements":  # a service's requirements/*.txt folder, not a service
        return False
    names = set(filenames)
    if "pyproject.toml" in names or any(fnmatch.fnmatch(n, "requirements*.txt") for n in names):
        return True
    return any((folder / "requirements").glob("*.txt"))


def is_skipped(folder: Path, relative: str = "", exclude: Sequence[str] = ()) -> bool:
    """Hidden folders, virtualenvs, build output and the folders matching `exclude` are not code."""
    name = folder.name
    if name.startswith(".") or name in SKIPPED_DIR_NAMES or name.endswith(".egg-info"):
        return True
    if (folder / "pyvenv.cfg").exists():  # a virtualenv under any name
        return True
    patterns = [pattern.rstrip("/") for pattern in exclude]
    return any(fnmatch.fnmatch(relative, p) or relative.startswith(f"{p}/") for p in patterns)


def find_services(root: Path, *, exclude: Sequence[str] = ()) -> list[Service]:
    """Every service under `root`, each with the .py files it owns (nested services own theirs).

    Skips hidden folders, virtualenvs, node_modules, __pycache__, build, dist and the folders
    matching `exclude` (glob patterns relative to `root`, e.g. `tests/fixtures`). Symlinked
    folders are not walked: each belongs to the service that holds it.
    """
    if not root.is_dir():
        raise AuditError(
            f"Cannot audit {root}: it is not a folder. Pass the repository's root folder."
        )
    service_paths: list[Path] = []
    python_files: list[Path] = []
    links: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        folder = Path(dirpath)
        kept = sorted(
            d for d in dirnames
            if not is_skipped(folder / d, (folder / d).relative_to(root).as_posix(), exclude)
        )
        links.extend(folder / d for d in kept if (folder / d).is_symlink())
        dirnames[:] = [d for d in kept if not (folder / d).is_symlink()]
        if _is_service(folder, filenames):
            service_paths.append(folder)
        python_files.extend(folder / f for f in sorted(filenames) if f.endswith(".py"))
    owned: dict[Path, list[Path]] = {path: [] for path in service_paths}
    linked: dict[Path, list[Path]] = {path: [] for path in service_paths}
    for file in python_files:
        if (owner := _owner(file, owned)) is not None:
            owned[owner].append(file)
    for link in links:
        if (owner := _owner(link, linked)) is not None:
            linked[owner].append(link)
    return [Service(path, tuple(files), tuple(linked[path])) for path, files in owned.items()]


def _owner(path: Path, services: Iterable[Path]) -> Path | None:
    return next((p for p in path.parents if p in services), None)


def _names_by_folder(service: Path, files: Iterable[Path]) -> dict[Path, set[str]]:
    """For each folder of the service, the module names importable from it."""
    names: dict[Path, set[str]] = {}
    for file in files:
        parts = file.relative_to(service).parts
        for depth, part in enumerate(parts):
            name = part.removesuffix(".py") if depth == len(parts) - 1 else part
            if name.isidentifier():
                names.setdefault(service.joinpath(*parts[:depth]), set()).add(name)
    return names


def own_names(service: Service) -> dict[Path, set[str]]:
    """For each folder of the service, the module names importable from it; links count too."""
    names = _names_by_folder(service.path, service.python_files)
    for link in service.linked_folders:
        if link.name.isidentifier():
            names.setdefault(link.parent, set()).add(link.name)
    return names


def top_level_modules(service: Service) -> list[str]:
    """The service's own importable top-level names: root and `src/` files and packages."""
    names = _names_by_folder(service.path, service.python_files)
    return sorted(names.get(service.path, set()) | names.get(service.path / "src", set()))


def folder_modules(folder: Path) -> set[str]:
    """Top-level names a local folder dependency provides (its root and `src/`)."""
    names: set[str] = set()
    for base in (folder, folder / "src"):
        if base.is_dir():
            for entry in base.iterdir():
                name = entry.name.removesuffix(".py") if entry.is_file() else entry.name
                if name.isidentifier() and (entry.suffix == ".py" or entry.is_dir()):
                    names.add(name)
    return names
