"""The import check: import each of a service's modules in a throwaway virtualenv.

The virtualenv holds only what the service declares, so an import that works by accident on a
developer's machine fails here; this catches what static analysis cannot (dynamic imports).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nbaprops.errors import AuditError
from nbaprops.ops.audit._import_map import ImportMap, canonicalize
from nbaprops.ops.audit._requirements import Declarations
from nbaprops.ops.audit._services import Service, top_level_modules

NOT_IMPORTABLE_MODULES = frozenset({"setup", "conftest", "noxfile", "__main__"})


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
    extra_paths: Sequence[Path] = (),
    python: str = sys.executable,
    import_timeout_seconds: float = 60.0,
    install_timeout_seconds: float = 900.0,
) -> ImportCheck:
    """Build a throwaway venv from the service's requirements and import each top-level module.

    Each module is imported in its own isolated subprocess (`python -I`) with only the service
    folder (and its `src/`) on sys.path, then `extra_paths` (the repository root, whose
    first-party code the service imports). Poetry constraints are installed by name only.
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
        sys_path += [str(p.resolve()) for p in extra_paths if str(p.resolve()) not in sys_path]
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
