"""Operations tooling: dependency audit (the `audit` package), health check, grading investigation.

Names load on first use, so importing one part (the config imports HealthConfig) does not pull in
the others' heavy dependencies (scipy).
"""

from __future__ import annotations

import importlib as _importlib
from typing import Any as _Any

_MODULE_OF = {
    "AuditReport": "audit",
    "ClockKind": "health_clock",
    "Declarations": "audit",
    "Findings": "audit",
    "FirstParty": "audit",
    "FreshnessStatus": "investigate",
    "GradedCell": "investigate_facts",
    "GradingFacts": "investigate_facts",
    "GradingInvestigation": "investigate",
    "GradingPeriod": "investigate_facts",
    "GradingThresholds": "investigate",
    "GradingVerdict": "investigate",
    "HealthClock": "health_clock",
    "HealthConfig": "health_config",
    "HealthFacts": "health_facts",
    "HealthReport": "health",
    "HealthSection": "health",
    "HealthStatus": "health",
    "ImportCheck": "audit",
    "ImportFailure": "audit",
    "ImportMap": "audit",
    "ImportUse": "audit",
    "ImportedModule": "audit",
    "LocalPath": "audit",
    "MissingDistribution": "audit",
    "ProcessorRunStatus": "investigate_facts",
    "RecordedRun": "health_clock",
    "Requirement": "audit",
    "RequiresMap": "audit",
    "Resolution": "audit",
    "Service": "audit",
    "ServiceAudit": "audit",
    "ServiceAuditor": "audit",
    "SystemCoverage": "investigate_facts",
    "Tally": "investigate_facts",
    "UnreadableFile": "audit",
    "audit_repository": "audit",
    "audit_service": "audit",
    "canonicalize": "audit",
    "check_health": "health",
    "check_imports": "audit",
    "choose_clock": "health_clock",
    "choose_game_date": "health",
    "diagnose_grading": "investigate",
    "find_imports": "audit",
    "find_repository_root": "audit",
    "find_services": "audit",
    "home_clock": "health_clock",
    "is_test_file": "audit",
    "judge_health": "health",
    "judge_uses": "audit",
    "load_grading_facts": "investigate_load",
    "load_health_facts": "health_facts",
    "no_import_reason": "audit",
    "parse_pyproject": "audit",
    "parse_requirement": "audit",
    "parse_requirements_file": "audit",
    "read_recorded_runs": "health_clock",
    "send_health_alerts": "health",
    "top_level_modules": "audit",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> _Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(_importlib.import_module(f"{__name__}.{module}"), name)
