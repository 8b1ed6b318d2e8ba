"""`--import-check`: a real throwaway venv (empty requirements, so no download) and real imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.ops.audit_tree import write_tree

from nbaprops.ops import ImportMap, audit_service, check_imports, find_services

NBAPROPS = Path(sys.executable).parent / "nbaprops"

# `yaml` is installed in nbaprops' own venv but not in the throwaway one; the dynamic import hides
# it from static analysis, which is the case the import check exists for.
SERVICE = {
    "requirements.txt": "# nothing yet\n",
    "loader.py": 'import importlib\n\nCONFIG = importlib.import_module("yaml")\n',
    "plain.py": "import json\n",
    "needs_env.py": 'import os\n\nTOKEN = os.environ["NBAPROPS_TEST_TOKEN_THAT_IS_NOT_SET"]\n',
    "pkg/__init__.py": "from pkg.inner import VALUE\n",
    "pkg/inner.py": "VALUE = 1\n",
    "setup.py": 'raise SystemExit("setup.py must never be imported by the check")\n',
}


@pytest.fixture
def service_root(tmp_path: Path) -> Path:
    root = tmp_path / "tiny"
    for name, text in SERVICE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_import_check_reports_the_import_error_static_analysis_missed(service_root: Path) -> None:
    import_map = ImportMap.load()
    (service,) = find_services(service_root)
    audit = audit_service(service, import_map=import_map, import_check=True)
    assert audit.missing == ()  # statically clean
    check = audit.import_check
    assert check is not None
    assert check.modules == ("loader", "needs_env", "pkg", "plain")
    assert check.installed is False
    by_module = {f.module: f for f in check.failures}
    assert sorted(by_module) == ["loader", "needs_env"]
    loader = by_module["loader"]
    assert (loader.error_type, loader.message) == ("ModuleNotFoundError", "No module named 'yaml'")
    assert (loader.missing_module, loader.distribution) == ("yaml", "PyYAML")
    assert loader.is_import_error
    # An exception that is not about dependencies is reported but does not fail the audit.
    assert by_module["needs_env"].error_type == "KeyError"
    assert not by_module["needs_env"].is_import_error
    assert [f.module for f in check.import_errors] == ["loader"]
    assert audit.failed
    assert not list(service_root.rglob("__pycache__"))


def test_import_check_names_the_distribution_behind_a_namespace(service_root: Path) -> None:
    (service_root / "loader.py").write_text("from google.cloud import firestore\n")
    (service,) = find_services(service_root)
    check = check_imports(
        service, import_map=ImportMap.load(), known_modules=["google.cloud.firestore"]
    )
    loader = next(f for f in check.failures if f.module == "loader")
    assert (loader.missing_module, loader.distribution) == ("google", "google-cloud-firestore")


def test_cli_import_check_exits_1_and_reports_the_failure(service_root: Path) -> None:
    done = subprocess.run(
        [str(NBAPROPS), "audit-deps", str(service_root), "--import-check", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 1, done.stderr
    (service,) = json.loads(done.stdout)["services"]
    assert service["missing"] == []
    failures = {f["module"]: f for f in service["import_check"]["failures"]}
    assert failures["loader"]["error"] == "ModuleNotFoundError: No module named 'yaml'"
    assert failures["loader"]["distribution"] == "PyYAML"


def test_import_check_puts_the_repository_root_on_sys_path(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "shared/__init__.py": "VALUE = 1\n",
        "svc/requirements.txt": "# nothing yet\n",
        "svc/app.py": "from shared import VALUE\n",
    })
    (service,) = find_services(root / "svc")
    audit = audit_service(service, import_map=ImportMap.load(), import_check=True)
    assert audit.missing == () and audit.repository_root == root
    assert audit.import_check is not None and audit.import_check.failures == ()
    alone = check_imports(service, import_map=ImportMap.load())  # without the root: shared is gone
    assert [(f.module, f.missing_module) for f in alone.failures] == [("app", "shared")]
