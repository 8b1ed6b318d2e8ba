"""Which distribution provides an import: the maintained table, installed metadata, then a guess.

The table (`import_distributions.csv`, one `import_name,distribution` row per pair) is searched by
the longest dotted prefix first, so `google.cloud.firestore_v1.types` finds
`google.cloud.firestore_v1` before `google.cloud.*`. Several rows for one import name are
alternatives, preferred first (`psycopg2` -> `psycopg2-binary` or `psycopg2`). A row whose import
name ends in `.*` is a pattern: its distribution's `*` becomes the next segment, with `_` as `-`
and any API-version suffix (`_v1`, `_v2beta1`) dropped.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from nbaprops.errors import AuditError
from nbaprops.ops.audit._tables import read_pairs

TABLE_PATH = Path(__file__).with_name("import_distributions.csv")

ResolvedBy = Literal["table", "installed", "guess"]

# Declared distributions that are rightly never imported by name: servers run as commands,
# test and build tools, type stubs, and backends another library loads by name or URL.
NO_IMPORT_DISTRIBUTIONS: tuple[tuple[str, str], ...] = (
    ("gunicorn", "server run as a command"),
    ("uvicorn", "server run as a command"),
    ("hypercorn", "server run as a command"),
    ("daphne", "server run as a command"),
    ("waitress", "server run as a command"),
    ("functions-framework", "server run as a command"),
    ("pytest", "test runner"),
    ("pytest-*", "pytest plugin"),
    ("coverage", "test tool"),
    ("tox", "test tool"),
    ("nox", "test tool"),
    ("ruff", "lint tool"),
    ("black", "lint tool"),
    ("isort", "lint tool"),
    ("flake8", "lint tool"),
    ("flake8-*", "lint tool"),
    ("pylint", "lint tool"),
    ("mypy", "lint tool"),
    ("pre-commit", "lint tool"),
    ("pip", "build tool"),
    ("setuptools", "build tool"),
    ("wheel", "build tool"),
    ("build", "build tool"),
    ("twine", "build tool"),
    ("types-*", "type stubs"),
    ("*-stubs", "type stubs"),
    ("tzdata", "time-zone data read by zoneinfo"),
    ("python-multipart", "form parser loaded by FastAPI"),
    ("email-validator", "loaded by pydantic for EmailStr"),
    ("psycopg2-binary", "database driver loaded by URL"),
    ("psycopg-binary", "database driver loaded by URL"),
    ("asyncpg", "database driver loaded by URL"),
    ("pymysql", "database driver loaded by URL"),
    ("pg8000", "database driver loaded by URL"),
    ("openpyxl", "engine loaded by pandas"),
    ("pyarrow", "engine loaded by pandas"),
    ("gcsfs", "file system loaded by URL"),
    ("s3fs", "file system loaded by URL"),
    ("db-dtypes", "loaded by google-cloud-bigquery for DataFrames"),
)

_VERSION_SUFFIX = re.compile(r"_v\d+(?:(?:alpha|beta|p)\d*)*$")
_SEPARATORS = re.compile(r"[-_.]+")


def canonicalize(name: str) -> str:
    """PEP 503 normal form of a distribution name: lower case, runs of `-_.` become one `-`."""
    return _SEPARATORS.sub("-", name).lower()


def no_import_reason(distribution: str) -> str | None:
    """Why `distribution` may be declared without being imported, or None if it should be."""
    canonical = canonicalize(distribution)
    for pattern, reason in NO_IMPORT_DISTRIBUTIONS:
        if fnmatch.fnmatchcase(canonical, pattern):
            return reason
    return None


@dataclass(frozen=True)
class Resolution:
    """The distributions that can provide `module`, preferred first.

    `matched` is the import name that decided: a table prefix, or the top-level name.
    """

    module: str
    matched: str
    distributions: tuple[str, ...]
    resolved_by: ResolvedBy

    @property
    def preferred(self) -> str:
        return self.distributions[0]


class ImportMap:
    """Resolves dotted import names to distributions."""

    def __init__(
        self,
        table: Mapping[str, Sequence[str]],
        *,
        installed: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self._exact: dict[str, tuple[str, ...]] = {}
        self._patterns: dict[str, tuple[str, ...]] = {}
        for import_name, distributions in table.items():
            if not distributions:
                raise AuditError(f"Import map entry {import_name!r} names no distribution.")
            if import_name.endswith(".*"):
                self._patterns[import_name.removesuffix(".*")] = tuple(distributions)
            else:
                self._exact[import_name] = tuple(distributions)
        self._installed = {
            name: tuple(dict.fromkeys(dists)) for name, dists in (installed or {}).items()
        }

    @classmethod
    def load(cls, *, table_path: Path = TABLE_PATH, use_installed: bool = True) -> ImportMap:
        """The maintained table, plus the installed distributions' top-level names if asked."""
        installed = importlib.metadata.packages_distributions() if use_installed else None
        return cls(read_table(table_path), installed=installed)

    @property
    def table_size(self) -> int:
        return len(self._exact) + len(self._patterns)

    def resolve(self, module: str) -> Resolution:
        """Longest known prefix in the table, then installed metadata, then a guess."""
        parts = module.split(".")
        for length in range(len(parts), 0, -1):
            prefix = ".".join(parts[:length])
            if prefix in self._exact:
                return Resolution(module, prefix, self._exact[prefix], "table")
            base = ".".join(parts[: length - 1])
            if length > 1 and base in self._patterns:
                segment = _VERSION_SUFFIX.sub("", parts[length - 1]).replace("_", "-")
                names = tuple(d.replace("*", segment) for d in self._patterns[base])
                return Resolution(module, prefix, names, "table")
        top = parts[0]
        if top in self._installed:
            return Resolution(module, top, self._installed[top], "installed")
        return Resolution(module, top, _guesses(parts), "guess")


def _guesses(parts: Sequence[str]) -> tuple[str, ...]:
    top = canonicalize(parts[0])
    longer = [canonicalize(".".join(parts[:n])) for n in range(len(parts), 1, -1)]
    return tuple(dict.fromkeys([top, *longer, f"python-{top}", f"{top}-python"]))


def read_table(path: Path) -> dict[str, list[str]]:
    """Read an `import_name,distribution` CSV into {import_name: [distribution, ...]}."""
    table: dict[str, list[str]] = {}
    rows = read_pairs(path, header=("import_name", "distribution"), table="the import map")
    for row_number, import_name, distribution in rows:
        if import_name.endswith(".*") != ("*" in distribution):
            raise AuditError(
                f"{path}:{row_number}: a pattern row needs '.*' in import_name and '*' "
                f"in distribution together (got {import_name!r}, {distribution!r})."
            )
        table.setdefault(import_name, []).append(distribution)
    return table
