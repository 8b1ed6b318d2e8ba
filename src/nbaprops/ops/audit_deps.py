"""Dependency audit: does every service declare the distributions its code imports?

A service is a folder with `requirements*.txt`, `requirements/*.txt` or `pyproject.toml`; its code
is every `.py` file below it that does not belong to a service nested inside it. Imports are read
with `ast` and mapped to distributions by `ImportMap`; names are compared in PEP 503 form.
`check_imports` goes further and imports the service's modules in a throwaway virtualenv built
from its requirements, which catches what static analysis cannot.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from nbaprops.errors import AuditError
from nbaprops.ops.import_map import ImportMap, Resolution, canonicalize, no_import_reason

ImportKind = Literal["required", "optional", "type_checking"]

SKIPPED_DIR_NAMES = frozenset(
    {"venv", "node_modules", "__pycache__", "__pypackages__", "build", "dist", "site-packages"}
)
NOT_IMPORTABLE_MODULES = frozenset({"setup", "conftest", "noxfile", "__main__"})
_IMPORT_ERROR_NAMES = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)
_KIND_REASONS: Mapping[ImportKind, str] = {
    "required": "imported unconditionally",
    "optional": "inside try/except ImportError",
    "type_checking": "inside if TYPE_CHECKING",
}


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Requirement:
    """One declared distribution: `name` as written, `where` as `file:line` or `file [table]`."""

    name: str
    where: str
    source: Path
    extras: tuple[str, ...] = ()
    marker: str | None = None
    spec: str = ""  # what pip installs; "" when the text is not PEP 508 (Poetry constraints)

    @property
    def canonical_name(self) -> str:
        return canonicalize(self.name)


@dataclass(frozen=True)
class LocalPath:
    """A local folder the service installs (`-e ../lib`, Poetry `{path = ...}`)."""

    path: Path
    where: str
    source: Path


@dataclass(frozen=True)
class Declarations:
    """Everything a service's requirement files and pyproject.toml declare."""

    files: tuple[Path, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    local_paths: tuple[LocalPath, ...] = ()
    unnamed: tuple[str, ...] = ()  # locations of URLs whose distribution name cannot be known

    def merged(self, other: Declarations) -> Declarations:
        return Declarations(
            files=self.files + other.files,
            requirements=self.requirements + other.requirements,
            local_paths=self.local_paths + other.local_paths,
            unnamed=self.unnamed + other.unnamed,
        )

    def by_canonical_name(self) -> dict[str, Requirement]:
        """The first declaration of each distribution, keyed by its PEP 503 name."""
        result: dict[str, Requirement] = {}
        for requirement in self.requirements:
            result.setdefault(requirement.canonical_name, requirement)
        return result


_NAME_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_PEP508 = re.compile(
    rf"^\s*(?P<name>{_NAME_PATTERN})\s*(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$"
)
_DIRECT_URL = re.compile(rf"^\s*(?P<name>{_NAME_PATTERN})\s*(?:\[[^\]]*\])?\s*@")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|[^\\])")
_EGG_FRAGMENT = re.compile(r"[#&]egg=(?P<name>[A-Za-z0-9._-]+)")
_COMMENT = re.compile(r"(^|\s)#.*$")
_OPTION = re.compile(r"^(?P<option>--[A-Za-z-]+|-[A-Za-z])(?:\s*=\s*|\s*)(?P<value>.*)$")
_REQUIREMENT_OPTIONS = re.compile(r"\s--[A-Za-z-]+.*$")  # --hash=..., --config-settings ...
_ARCHIVE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tgz", ".zip")


def parse_requirement(text: str, *, where: str, source: Path) -> Requirement:
    """Parse one PEP 508 requirement (`name[extras] specifiers ; marker`)."""
    requirement_text, _, marker = text.partition(";")
    match = _PEP508.match(requirement_text)
    rest = match.group("rest").strip() if match else ""
    if match is None or (rest and rest[0] not in "<>=!~(@"):
        raise AuditError(
            f"{where}: {text.strip()!r} is not a valid requirement; write it as "
            f"'name[extras] specifiers ; marker' (PEP 508) or remove the line."
        )
    extras = tuple(e.strip() for e in (match.group("extras") or "").split(",") if e.strip())
    return Requirement(
        name=match.group("name"), where=where, source=source, extras=extras,
        marker=marker.strip() or None, spec=text.strip(),
    )


def parse_requirements_file(path: Path) -> Declarations:
    """Read a requirements file and the files it includes with `-r`."""
    return _read_requirements(path, seen=set(), included_from=None)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, line) with backslash continuations joined and comments removed."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            continue
        pending.append(raw)
        line = _COMMENT.sub("", " ".join(pending)).strip()
        pending = []
        if line:
            yield start, line
    if pending:
        line = _COMMENT.sub("", " ".join(pending)).strip()
        if line:
            yield start, line


def _read_requirements(path: Path, *, seen: set[Path], included_from: str | None) -> Declarations:
    resolved = path.resolve()
    if resolved in seen:
        return Declarations()
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        origin = f" (included from {included_from})" if included_from else ""
        raise AuditError(
            f"Cannot read requirements file {path}{origin}: {e.strerror}. "
            f"Fix the path or create the file."
        ) from e
    result = Declarations(files=(path,))
    for number, line in _logical_lines(text):
        where = f"{path}:{number}"
        option = _OPTION.match(line) if line.startswith("-") else None
        if option is None:
            result = result.merged(_declare(line, where=where, source=path))
            continue
        name, value = option.group("option"), option.group("value").strip()
        if name in ("-r", "--requirement"):
            result = result.merged(
                _read_requirements(path.parent / value, seen=seen, included_from=where)
            )
        elif name in ("-e", "--editable"):
            result = result.merged(_declare(value, where=where, source=path))
        # Other options (-c constraints, --index-url, --hash, --pre, ...) declare nothing.
    return result


def _declare(text: str, *, where: str, source: Path) -> Declarations:
    """What one requirement line declares: a name, a local folder, or an unnamed URL."""
    text = _REQUIREMENT_OPTIONS.sub("", text).strip()

    def named(name: str) -> Declarations:
        return Declarations(requirements=(Requirement(name, where, source, spec=text),))

    if direct := _DIRECT_URL.match(text):
        return named(direct.group("name"))
    head = text.split(";", 1)[0]
    is_url = bool(_URL_SCHEME.match(head)) and not re.match(r"^[A-Za-z]:\\", head)
    if is_url or head.startswith((".", "/", "~")) or "/" in head or "\\" in head:
        if egg := _EGG_FRAGMENT.search(text):
            return named(egg.group("name"))
        location = text.split("#", 1)[0].split("?", 1)[0]
        filename = location.rstrip("/").rsplit("/", 1)[-1]
        if filename.endswith(".whl"):
            return named(filename.split("-", 1)[0])
        if filename.endswith(_ARCHIVE_SUFFIXES) and "-" in filename:
            return named(filename.rsplit("-", 1)[0])
        if location.startswith("file:"):
            location = re.sub(r"^file:(//)?", "", location)
        elif is_url:
            return Declarations(unnamed=(where,))
        folder = source.parent / Path(location).expanduser()
        return Declarations(local_paths=(LocalPath(folder, where, source),))
    return Declarations(requirements=(parse_requirement(text, where=where, source=source),))


def parse_pyproject(path: Path) -> Declarations:
    """[project] dependencies and optional-dependencies, [dependency-groups] and Poetry's tables."""
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as e:
        raise AuditError(f"Cannot read {path}: {e.strerror}.") from e
    except tomllib.TOMLDecodeError as e:
        raise AuditError(f"{path} is not valid TOML ({e}); fix the file and rerun.") from e
    project = _table(document, "project", path)
    poetry = _table(_table(document, "tool", path), "poetry", path)
    own_name = canonicalize(str(project.get("name") or poetry.get("name") or ""))
    result = Declarations(files=(path,))
    string_lists: list[tuple[str, Any]] = [
        ("project.dependencies", project.get("dependencies", []))
    ]
    for group, items in _table(project, "optional-dependencies", path).items():
        string_lists.append((f"project.optional-dependencies.{group}", items))
    for group, items in _table(document, "dependency-groups", path).items():
        string_lists.append((f"dependency-groups.{group}", items))
    for table_name, items in string_lists:
        if not isinstance(items, list):
            raise AuditError(f"{path}: [{table_name}] must be a list of requirement strings.")
        for item in items:
            if isinstance(item, dict):
                continue  # {include-group = "..."} declares nothing new
            requirement = parse_requirement(str(item), where=f"{path} [{table_name}]", source=path)
            if requirement.canonical_name != own_name:
                result = result.merged(Declarations(requirements=(requirement,)))
    poetry_tables = [
        ("tool.poetry.dependencies", _table(poetry, "dependencies", path)),
        ("tool.poetry.dev-dependencies", _table(poetry, "dev-dependencies", path)),
    ]
    groups = _table(poetry, "group", path)
    for group in groups:
        dependencies = _table(_table(groups, group, path), "dependencies", path)
        poetry_tables.append((f"tool.poetry.group.{group}.dependencies", dependencies))
    for table_name, dependencies in poetry_tables:
        for name, constraint in dependencies.items():
            if canonicalize(name) in ("python", own_name):
                continue
            result = result.merged(
                _poetry_dependency(name, constraint, where=f"{path} [{table_name}]", source=path)
            )
    return result


def _table(document: Mapping[str, Any], key: str, path: Path) -> Mapping[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, Mapping):
        raise AuditError(f"{path}: [{key}] must be a table.")
    return value


def _poetry_dependency(name: str, constraint: Any, *, where: str, source: Path) -> Declarations:
    first = constraint[0] if isinstance(constraint, list) and constraint else constraint
    details: Mapping[str, Any] = first if isinstance(first, Mapping) else {}
    if "path" in details:
        folder = source.parent / str(details["path"])
        return Declarations(local_paths=(LocalPath(folder, where, source),))
    extras = tuple(str(e) for e in details.get("extras", ()))
    spec = f"{name}[{','.join(extras)}]" if extras else name
    marker = details.get("markers")
    return Declarations(requirements=(Requirement(name, where, source, extras, marker, spec),))


# ---------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Service:
    """A folder that declares dependencies, with the Python files that belong to it."""

    path: Path
    python_files: tuple[Path, ...]

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
            result = result.merged(_read_requirements(path, seen=seen, included_from=None))
        if self.pyproject is not None:
            result = result.merged(parse_pyproject(self.pyproject))
        return result


def _is_service(folder: Path, filenames: Iterable[str]) -> bool:
    if folder.name == "requirements":  # a service's requirements/*.txt folder, not a service
        return False
    names = set(filenames)
    if "pyproject.toml" in names or any(fnmatch.fnmatch(n, "requirements*.txt") for n in names):
        return True
    return any((folder / "requirements").glob("*.txt"))


def _is_skipped(folder: Path, relative: str, exclude: Sequence[str]) -> bool:
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
    matching `exclude` (glob patterns relative to `root`, e.g. `tests/fixtures`).
    """
    if not root.is_dir():
        raise AuditError(
            f"Cannot audit {root}: it is not a folder. Pass the repository's root folder."
        )
    service_paths: list[Path] = []
    python_files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        folder = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if not _is_skipped(folder / d, (folder / d).relative_to(root).as_posix(), exclude)
        )
        if _is_service(folder, filenames):
            service_paths.append(folder)
        python_files.extend(folder / f for f in sorted(filenames) if f.endswith(".py"))
    owned: dict[Path, list[Path]] = {path: [] for path in service_paths}
    for file in python_files:
        owner = next((p for p in file.parents if p in owned), None)
        if owner is not None:
            owned[owner].append(file)
    return [Service(path, tuple(files)) for path, files in owned.items()]


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


def top_level_modules(service: Service) -> list[str]:
    """The service's own importable top-level names: root and `src/` files and packages."""
    names = _names_by_folder(service.path, service.python_files)
    return sorted(names.get(service.path, set()) | names.get(service.path / "src", set()))


def _folder_modules(folder: Path) -> set[str]:
    """Top-level names a local folder dependency provides (its root and `src/`)."""
    names: set[str] = set()
    for base in (folder, folder / "src"):
        if base.is_dir():
            for entry in base.iterdir():
                name = entry.name.removesuffix(".py") if entry.is_file() else entry.name
                if name.isidentifier() and (entry.suffix == ".py" or entry.is_dir()):
                    names.add(name)
    return names


# ---------------------------------------------------------------- imports


@dataclass(frozen=True)
class ImportedModule:
    """One import as written (`from a.b import c`: module `a.b`, name `c`) and where it is."""

    module: str
    path: Path
    line: int
    kind: ImportKind
    name: str | None = None

    @property
    def qualified(self) -> str:
        """`a.b.c` for `from a.b import c`: `c` may be a submodule (`google.cloud.firestore`)."""
        return f"{self.module}.{self.name}" if self.name else self.module

    @property
    def top_level(self) -> str:
        return self.module.split(".", 1)[0]

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


def _type_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_type_name(t) in _IMPORT_ERROR_NAMES for t in types)


def _suppresses_import_error(node: ast.With) -> bool:
    for item in node.items:
        call = item.context_expr
        if (
            isinstance(call, ast.Call)
            and _type_name(call.func) == "suppress"
            and any(_type_name(arg) in _IMPORT_ERROR_NAMES for arg in call.args)
        ):
            return True
    return False


def _within(kind: ImportKind, inner: ImportKind) -> ImportKind:
    """An import nested in a guard keeps the outermost guard's kind."""
    return inner if kind == "required" else kind


def find_imports(source: str | bytes, *, path: Path) -> list[ImportedModule]:
    """Absolute imports in one file, with their kind; raises SyntaxError or ValueError."""
    tree = ast.parse(source, filename=str(path))
    found: list[ImportedModule] = []
    stack: list[tuple[ast.AST, ImportKind]] = [(tree, "required")]
    while stack:
        node, kind = stack.pop()
        if isinstance(node, ast.Import):
            found.extend(ImportedModule(a.name, path, node.lineno, kind) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                found.extend(
                    ImportedModule(
                        node.module, path, node.lineno, kind, None if a.name == "*" else a.name
                    )
                    for a in node.names
                )
        elif isinstance(node, ast.Try | ast.TryStar):
            optional = any(_catches_import_error(h) for h in node.handlers)
            body_kind = _within(kind, "optional") if optional else kind
            stack.extend((statement, body_kind) for statement in node.body)
            stack.extend((n, kind) for n in [*node.handlers, *node.orelse, *node.finalbody])
        elif isinstance(node, ast.If) and _type_name(node.test) == "TYPE_CHECKING":
            stack.extend((s, _within(kind, "type_checking")) for s in node.body)
            stack.extend((s, kind) for s in node.orelse)
        elif isinstance(node, ast.With) and _suppresses_import_error(node):
            stack.extend((s, _within(kind, "optional")) for s in node.body)
        else:
            stack.extend((child, kind) for child in ast.iter_child_nodes(node))
    return sorted(found, key=lambda m: (m.line, m.qualified))


# ---------------------------------------------------------------- audit


@dataclass(frozen=True)
class ImportUse:
    """A third-party import and the distributions that can provide it."""

    imported: ImportedModule
    resolution: Resolution

    @property
    def module(self) -> str:
        """The import's module, or the submodule that decided its distribution if longer."""
        matched, written = self.resolution.matched, self.imported.module
        return matched if len(matched) > len(written) else written


@dataclass(frozen=True)
class MissingDistribution:
    """An undeclared distribution and the imports that need it."""

    distribution: str
    alternatives: tuple[str, ...]
    resolved_by: str
    uses: tuple[ImportUse, ...]

    @property
    def modules(self) -> list[str]:
        return sorted({u.module for u in self.uses})

    @property
    def locations(self) -> list[str]:
        return [u.imported.location for u in self.uses]

    @property
    def reasons(self) -> list[str]:
        return sorted({_KIND_REASONS[u.imported.kind] for u in self.uses})

    def to_dict(self) -> dict[str, Any]:
        return {
            "distribution": self.distribution, "alternatives": list(self.alternatives),
            "resolved_by": self.resolved_by, "modules": self.modules, "where": self.locations,
        }


@dataclass(frozen=True)
class UnreadableFile:
    """A Python file the audit could not parse (its imports are unknown)."""

    location: str
    message: str


@dataclass(frozen=True)
class ImportFailure:
    """A top-level module of the service that failed to import in the clean virtualenv."""

    module: str
    error_type: str
    message: str
    is_import_error: bool
    missing_module: str | None = None
    distribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "module": self.module, "error": f"{self.error_type}: {self.message}",
            "import_error": self.is_import_error, "missing_module": self.missing_module,
            "distribution": self.distribution,
        }


@dataclass(frozen=True)
class ImportCheck:
    """Outcome of importing each top-level module in a virtualenv built from the requirements."""

    modules: tuple[str, ...]
    failures: tuple[ImportFailure, ...]
    installed: bool  # False when nothing needed installing (the venv was made without pip)
    seconds: float

    @property
    def import_errors(self) -> list[ImportFailure]:
        """Failures caused by a missing module; other exceptions (config, network) don't count."""
        return [f for f in self.failures if f.is_import_error]

    def to_dict(self) -> dict[str, Any]:
        return {
            "modules": list(self.modules), "failures": [f.to_dict() for f in self.failures],
            "installed_requirements": self.installed, "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class ServiceAudit:
    """What one service imports against what it declares."""

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

    @property
    def failed(self) -> bool:
        """Something is missing: statically, or as an ImportError in the import check."""
        return bool(self.missing) or bool(self.import_check and self.import_check.import_errors)

    def to_dict(self) -> dict[str, Any]:
        declared = self.declarations.by_canonical_name().values()
        imports: dict[tuple[str, ImportKind], dict[str, Any]] = {}
        for use in self.uses:
            key = (use.module, use.imported.kind)
            entry = imports.setdefault(key, {
                "module": use.module, "distribution": use.resolution.preferred,
                "resolved_by": use.resolution.resolved_by, "kind": use.imported.kind, "where": [],
            })
            entry["where"].append(use.imported.location)
        return {
            "path": str(self.path),
            "missing": [m.distribution for m in self.missing],
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
            "services": [s.to_dict() for s in self.services],
        }


def audit_service(
    service: Service, *, import_map: ImportMap, import_check: bool = False
) -> ServiceAudit:
    """Compare the service's imports with its declarations; unparsable files are reported.

    With `import_check`, also import its modules in a throwaway venv (see `check_imports`).
    """
    declarations = service.declarations()
    declared = declarations.by_canonical_name()
    provided = set().union(*(_folder_modules(p.path) for p in declarations.local_paths))
    names = _names_by_folder(service.path, service.python_files)
    own = names.get(service.path, set()) | names.get(service.path / "src", set())
    files = set(service.python_files)
    uses: list[ImportUse] = []
    unreadable: list[UnreadableFile] = []
    for file in service.python_files:
        try:
            imported = find_imports(file.read_bytes(), path=file)
        except SyntaxError as e:
            unreadable.append(UnreadableFile(f"{file}:{e.lineno or 1}", e.msg))
            continue
        except (ValueError, OSError) as e:
            unreadable.append(UnreadableFile(f"{file}:1", str(e)))
            continue
        # A script folder (no __init__.py) puts its own folder on sys.path when run.
        is_script_folder = file.parent / "__init__.py" not in files
        local = own | provided | (names.get(file.parent, set()) if is_script_folder else set())
        for module in imported:
            top = module.top_level
            if top in sys.stdlib_module_names or top in local or top == "__main__":
                continue
            uses.append(ImportUse(module, import_map.resolve(module.qualified)))
    missing = _undeclared(uses, declared, kinds={"required"})
    optional = [
        m for m in _undeclared(uses, declared, kinds={"optional", "type_checking"})
        if m.distribution not in {n.distribution for n in missing}
    ]
    used = {canonicalize(d) for use in uses for d in use.resolution.distributions}
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
    checked = None
    if import_check:
        known = [use.imported.qualified for use in uses]
        checked = check_imports(service, import_map=import_map, known_modules=known)
    return ServiceAudit(
        path=service.path, declarations=declarations, files_scanned=len(service.python_files),
        uses=tuple(uses), missing=tuple(missing), optional=tuple(optional), unused=tuple(unused),
        allowlisted=tuple(allowlisted), unreadable=tuple(unreadable), import_check=checked,
    )


def _undeclared(
    uses: Iterable[ImportUse], declared: Mapping[str, Requirement], *, kinds: set[str]
) -> list[MissingDistribution]:
    grouped: dict[str, list[ImportUse]] = {}
    for use in uses:
        candidates = {canonicalize(d) for d in use.resolution.distributions}
        if use.imported.kind in kinds and not candidates & declared.keys():
            grouped.setdefault(use.resolution.preferred, []).append(use)
    return [
        MissingDistribution(
            distribution=name,
            alternatives=(
                () if group[0].resolution.resolved_by == "guess"
                else group[0].resolution.distributions[1:]
            ),
            resolved_by=group[0].resolution.resolved_by, uses=tuple(group),
        )
        for name, group in sorted(grouped.items(), key=lambda item: canonicalize(item[0]))
    ]


def audit_repository(
    root: Path,
    *,
    exclude: Sequence[str] = (),
    import_map: ImportMap | None = None,
    import_check: bool = False,
) -> AuditReport:
    """Audit every service under `root`; with `import_check`, also import each in a clean venv."""
    mapping = import_map or ImportMap.load()
    audits = tuple(
        audit_service(service, import_map=mapping, import_check=import_check)
        for service in find_services(root, exclude=exclude)
    )
    return AuditReport(root, audits)


# ---------------------------------------------------------------- import check

_CHILD_SCRIPT = """
import importlib, json, sys
module, result_path = sys.argv[1], sys.argv[2]
sys.path[:0] = sys.argv[3:]
try:
    importlib.import_module(module)
    outcome = {"ok": True}
except BaseException as e:
    outcome = {"ok": False, "type": type(e).__name__, "message": str(e),
               "import_error": isinstance(e, ImportError), "name": getattr(e, "name", None)}
with open(result_path, "w", encoding="utf-8") as handle:
    json.dump(outcome, handle)
"""


def _tail(text: str, *, lines: int = 5) -> str:
    return " | ".join(text.strip().splitlines()[-lines:]) or "no output"


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def check_imports(
    service: Service,
    *,
    import_map: ImportMap,
    known_modules: Iterable[str] = (),
    python: str = sys.executable,
    import_timeout_seconds: float = 60.0,
    install_timeout_seconds: float = 900.0,
) -> ImportCheck:
    """Build a throwaway venv from the service's requirements and import each top-level module.

    Each module is imported in its own isolated subprocess (`python -I`) with only the service
    folder (and its `src/`) on sys.path. Poetry constraints are installed by name only.
    `known_modules` (the statically found imports) name the distribution behind a failure such
    as "No module named 'google'" more precisely.
    """
    started = time.monotonic()
    declarations = service.declarations()
    modules = [m for m in top_level_modules(service) if m not in NOT_IMPORTABLE_MODULES]
    with tempfile.TemporaryDirectory(prefix="nbaprops-import-check-") as scratch:
        venv = Path(scratch) / "venv"
        needs_install = bool(
            declarations.requirements or declarations.local_paths or declarations.unnamed
        )
        _run_step(
            [python, "-m", "venv", *([] if needs_install else ["--without-pip"]), str(venv)],
            what=f"create a virtualenv for {service.path}", cwd=service.path,
            timeout_seconds=install_timeout_seconds,
        )
        if needs_install:
            _install(
                service, declarations, _venv_python(venv), Path(scratch), install_timeout_seconds
            )
        sys_path = [str(service.path.resolve())]
        if (service.path / "src").is_dir():
            sys_path.append(str((service.path / "src").resolve()))
        failures = [
            _with_distribution(failure, declarations, import_map, known_modules)
            for module in modules
            if (failure := _import_one(
                module, _venv_python(venv), sys_path, service.path, Path(scratch),
                import_timeout_seconds,
            )) is not None
        ]
    return ImportCheck(tuple(modules), tuple(failures), needs_install, time.monotonic() - started)


def _run_step(command: list[str], *, what: str, cwd: Path, timeout_seconds: float) -> None:
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout_seconds, check=False
        )
    except subprocess.TimeoutExpired as e:
        raise AuditError(f"Could not {what}: it took longer than {timeout_seconds:g} s.") from e
    except OSError as e:
        raise AuditError(f"Could not {what}: {command[0]} failed to start ({e.strerror}).") from e
    if done.returncode != 0:
        raise AuditError(
            f"Could not {what} (exit {done.returncode}): {_tail(done.stderr or done.stdout)}. "
            f"Fix the requirements or the network, or run without --import-check."
        )


def _install(
    service: Service, declarations: Declarations, venv_python: Path, scratch: Path,
    timeout_seconds: float,
) -> None:
    arguments: list[str] = []
    for path in service.requirement_files:
        arguments += ["-r", str(path.resolve())]
    from_toml = [r.spec for r in declarations.requirements if r.source.name == "pyproject.toml"]
    from_toml += [
        str(p.path.resolve()) for p in declarations.local_paths if p.source.name == "pyproject.toml"
    ]
    if from_toml:
        toml_requirements = scratch / "pyproject-requirements.txt"
        toml_requirements.write_text("\n".join(from_toml) + "\n", encoding="utf-8")
        arguments += ["-r", str(toml_requirements)]
    _run_step(
        [str(venv_python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
         "--quiet", *arguments],
        what=f"install the requirements of {service.path}", cwd=service.path,
        timeout_seconds=timeout_seconds,
    )


def _import_one(
    module: str, venv_python: Path, sys_path: list[str], cwd: Path, scratch: Path,
    timeout_seconds: float,
) -> ImportFailure | None:
    result_path = scratch / f"import-{module}.json"
    command = [
        str(venv_python), "-I", "-B", "-c", _CHILD_SCRIPT, module, str(result_path), *sys_path
    ]
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout_seconds, check=False
        )
    except subprocess.TimeoutExpired:
        return ImportFailure(
            module, "Timeout", f"the import did not finish within {timeout_seconds:g} s",
            is_import_error=False,
        )
    if not result_path.exists():
        return ImportFailure(
            module, "Crash", f"exit {done.returncode}: {_tail(done.stderr)}", is_import_error=False
        )
    outcome = json.loads(result_path.read_text(encoding="utf-8"))
    if outcome["ok"]:
        return None
    return ImportFailure(
        module, outcome["type"], outcome["message"], is_import_error=outcome["import_error"],
        missing_module=outcome.get("name") if outcome["import_error"] else None,
    )


def _with_distribution(
    failure: ImportFailure, declarations: Declarations, import_map: ImportMap,
    known_modules: Iterable[str],
) -> ImportFailure:
    """Name the distribution behind a missing module, preferring an undeclared known import."""
    missing = failure.missing_module
    if missing is None:
        return failure
    declared = declarations.by_canonical_name().keys()
    related = sorted({m for m in known_modules if m == missing or m.startswith(f"{missing}.")})
    for module in related:
        resolution = import_map.resolve(module)
        if not {canonicalize(d) for d in resolution.distributions} & declared:
            return replace(failure, distribution=resolution.preferred)
    return replace(failure, distribution=import_map.resolve(missing).preferred)
