"""Dependency audit: does every service declare the distributions its code imports?

A service is a folder with `requirements*.txt`, `requirements/*.txt` or `pyproject.toml`. Its
imports are read with `ast`, mapped to distributions by `ImportMap` and compared with what it
declares, in PEP 503 form. First-party code (the repository's top-level packages, folders
symlinked into the service) is never a distribution; the audit follows it and charges its imports
to the service, with the import chain. `check_imports` goes further and imports the service's
modules in a throwaway virtualenv built from its requirements.

Each job lives in its own private module: `_requirements` and `_pyproject` (declarations),
`_services` (discovery), `_imports` (scanning), `_first_party` (first-party resolution),
`_import_map` and `_requires_map` (name tables), `_rules` (the pure judgement), `_audit` (the
I/O edge), `_report` (results) and `_import_check` (the throwaway virtualenv).
"""

from nbaprops.ops.audit._audit import ServiceAuditor, audit_repository, audit_service
from nbaprops.ops.audit._findings import ImportUse, MissingDistribution, UnreadableFile
from nbaprops.ops.audit._first_party import FirstParty, find_repository_root
from nbaprops.ops.audit._import_check import ImportCheck, ImportFailure, check_imports
from nbaprops.ops.audit._import_map import ImportMap, Resolution, canonicalize, no_import_reason
from nbaprops.ops.audit._imports import ImportedModule, find_imports
from nbaprops.ops.audit._pyproject import parse_pyproject
from nbaprops.ops.audit._report import AuditReport, ServiceAudit
from nbaprops.ops.audit._requirements import (
    Declarations,
    LocalPath,
    Requirement,
    parse_requirement,
    parse_requirements_file,
)
from nbaprops.ops.audit._requires_map import RequiresMap
from nbaprops.ops.audit._rules import Findings, judge_uses
from nbaprops.ops.audit._services import Service, find_services, is_test_file, top_level_modules

__all__ = [
    "AuditReport",
    "Declarations",
    "Findings",
    "FirstParty",
    "ImportCheck",
    "ImportFailure",
    "ImportMap",
    "ImportUse",
    "ImportedModule",
    "LocalPath",
    "MissingDistribution",
    "Requirement",
    "RequiresMap",
    "Resolution",
    "Service",
    "ServiceAudit",
    "ServiceAuditor",
    "UnreadableFile",
    "audit_repository",
    "audit_service",
    "canonicalize",
    "check_imports",
    "find_imports",
    "find_repository_root",
    "find_services",
    "is_test_file",
    "judge_uses",
    "no_import_reason",
    "parse_pyproject",
    "parse_requirement",
    "parse_requirements_file",
    "top_level_modules",
]
