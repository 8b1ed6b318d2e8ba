"""Operations tooling: dependency audit, health check, grading investigation.

Names load on first use, so importing one part (the config imports HealthConfig) does not pull in
the others' heavy dependencies (scipy).
"""

from __future__ import annotations

import importlib as _importlib
from typing import Any as _Any

_MODULE_OF = {
    "AuditReport": "audit_deps",
    "Declarations": "audit_deps",
    "FreshnessStatus": "investigate",
    "GradedCell": "investigate_facts",
    "GradingFacts": "investigate_facts",
    "GradingInvestigation": "investigate",
    "GradingPeriod": "investigate_facts",
    "GradingThresholds": "investigate",
    "GradingVerdict": "investigate",
    "HealthConfig": "health_config",
    "HealthFacts": "health_facts",
    "HealthReport": "health",
    "HealthSection": "health",
    "HealthStatus": "health",
    "ImportCheck": "audit_deps",
    "ImportFailure": "audit_deps",
    "ImportMap": "import_map",
    "ImportUse": "audit_deps",
    "ImportedModule": "audit_deps",
    "LocalPath": "audit_deps",
    "MissingDistribution": "audit_deps",
    "ProcessorRunStatus": "investigate_facts",
    "Requirement": "audit_deps",
    "Resolution": "import_map",
    "Service": "audit_deps",
    "ServiceAudit": "audit_deps",
    "SystemCoverage": "investigate_facts",
    "Tally": "investigate_facts",
    "UnreadableFile": "audit_deps",
    "audit_repository": "audit_deps",
    "audit_service": "audit_deps",
    "canonicalize": "import_map",
    "check_health": "health",
    "check_imports": "audit_deps",
    "choose_game_date": "health",
    "diagnose_grading": "investigate",
    "find_imports": "audit_deps",
    "find_services": "audit_deps",
    "judge_health": "health",
    "load_grading_facts": "investigate_load",
    "load_health_facts": "health_facts",
    "no_import_reason": "import_map",
    "parse_pyproject": "audit_deps",
    "parse_requirement": "audit_deps",
    "parse_requirements_file": "audit_deps",
    "send_health_alerts": "health",
    "top_level_modules": "audit_deps",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> _Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(_importlib.import_module(f"{__name__}.{module}"), name)
