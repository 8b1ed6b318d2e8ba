"""An ImportError naming a module the environment lacks: a dependency not installed."""

from __future__ import annotations

import re

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms

_NO_MODULE = re.compile(r"No module named '([^']+)'")


def missing_module(symptoms: Symptoms) -> Diagnosis | None:
    """ModuleNotFoundError / ImportError: name the missing module; retrying cannot help."""
    if symptoms.exception_class not in ("ModuleNotFoundError", "ImportError"):
        return None
    found = _NO_MODULE.search(symptoms.error or "")
    module = found.group(1) if found else None
    package = None if module is None else module.split(".", 1)[0]
    what = f"the module {module!r}" if module else "a module"
    return Diagnosis(
        rule="missing_module",
        root_cause=f"{symptoms.component} cannot import {what}: the package is not installed in the "
        "environment that runs it. Retrying cannot fix this.",
        suggested_fix=(
            f"Install it (pip install {package}) and declare it in the service's requirements"
            if package
            else "Install the missing package and declare it in the service's requirements"
        )
        + ", then run the day again.",
    )
