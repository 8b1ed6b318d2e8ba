"""What pyproject.toml declares: [project], [dependency-groups] and Poetry's dependency tables."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nbaprops.errors import AuditError
from nbaprops.ops.audit._import_map import canonicalize
from nbaprops.ops.audit._requirements import Declarations, LocalPath, Requirement, parse_requirement


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
