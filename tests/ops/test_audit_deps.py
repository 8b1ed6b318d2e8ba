"""The dependency audit on the fixture monorepo and on small trees built in tmp_path."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from tests.ops.audit_tree import write_tree

import nbaprops.ops
import nbaprops.ops.audit
from nbaprops.errors import AuditError
from nbaprops.ops import AuditReport, ImportMap, ServiceAudit, audit_repository, find_services

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "monorepo"


@pytest.fixture(scope="module")
def import_map() -> ImportMap:
    return ImportMap.load()


@pytest.fixture(scope="module")
def fixture_report(import_map: ImportMap) -> AuditReport:
    return audit_repository(FIXTURE, import_map=import_map)


def _service(report: AuditReport, relative: str) -> ServiceAudit:
    return next(s for s in report.services if s.path == report.root / relative)


def _relative(locations: list[str], root: Path = FIXTURE) -> list[str]:
    return [location.removeprefix(f"{root}/") for location in locations]



def test_fixture_services_are_found_and_tools_is_not(fixture_report: AuditReport) -> None:
    assert [s.path.relative_to(FIXTURE).as_posix() for s in fixture_report.services] == [
        "services/api", "services/scraper", "services/scraper/nba_stats", "services/worker",
    ]
    assert fixture_report.failed


def test_worker_misses_firestore_from_both_import_forms(fixture_report: AuditReport) -> None:
    worker = _service(fixture_report, "services/worker")
    (missing,) = worker.missing
    assert missing.distribution == "google-cloud-firestore"
    assert missing.modules == ["google.cloud.firestore"]
    assert _relative(missing.locations) == [
        "services/worker/worker/main.py:8", "services/worker/worker/store.py:3"
    ]
    assert worker.unused == () and worker.optional == () and worker.unreadable == ()
    assert worker.failed
    # Declared via the -r include, the psycopg2-binary alternative and a PEP 503 spelling.
    assert {u.resolution.preferred for u in worker.uses} >= {
        "google-cloud-storage", "psycopg2-binary", "PyYAML", "tenacity"
    }


def test_api_is_complete_with_one_unused_and_one_allowlisted(fixture_report: AuditReport) -> None:
    api = _service(fixture_report, "services/api")
    assert api.missing == () and api.optional == () and not api.failed
    assert [r.name for r in api.unused] == ["httpx"]
    assert [(r.name, why) for r, why in api.allowlisted] == [("uvicorn", "server run as a command")]
    # The src/ layout's own package and the self-reference api[postgres] are not dependencies.
    assert "api" not in {u.imported.top_level for u in api.uses}
    assert "api" not in api.declarations.by_canonical_name()


def test_scraper_optional_imports_and_syntax_error(fixture_report: AuditReport) -> None:
    scraper = _service(fixture_report, "services/scraper")
    assert scraper.missing == () and scraper.unused == () and not scraper.failed
    assert [(m.distribution, _relative(m.locations), m.reasons) for m in scraper.optional] == [
        ("pandas", ["services/scraper/scraper.py:16"], ["inside if TYPE_CHECKING"]),
        ("ujson", ["services/scraper/scraper.py:11"], ["inside try/except ImportError"]),
    ]
    assert [(u.location.removeprefix(f"{FIXTURE}/"), u.message) for u in scraper.unreadable] == [
        ("services/scraper/broken.py:3", "'(' was never closed")
    ]
    # nba_api belongs to the nested service, which declares it.
    assert "nba_api" not in {u.imported.top_level for u in scraper.uses}
    nested = _service(fixture_report, "services/scraper/nba_stats")
    assert nested.missing == () and nested.unused == ()
    assert [u.imported.top_level for u in nested.uses] == ["nba_api"]


def test_report_dict_has_the_documented_keys(fixture_report: AuditReport) -> None:
    data = fixture_report.to_dict()
    assert (data["ok"], data["missing_count"]) == (False, 1)
    worker = next(s for s in data["services"] if s["path"].endswith("services/worker"))
    assert worker["missing"] == ["google-cloud-firestore"]
    assert {"path", "missing", "unused", "optional", "allowlisted", "missing_imports",
            "syntax_errors", "declared", "imports"} <= worker.keys()
    assert worker["declared"] == [
        "google-cloud-storage", "psycopg2-binary", "pyyaml", "requests", "tenacity"
    ]


def test_skipped_folders_excludes_and_venvs_are_not_scanned(tmp_path: Path) -> None:
    files = {"svc/requirements.txt": "requests\n", "svc/app.py": "import requests\n"}
    for folder in (".venv", "venv", "node_modules", "__pycache__", "build", "dist", ".git",
                   "pkg.egg-info", "generated", "anyname"):
        files[f"svc/{folder}/junk.py"] = "import not_declared_anywhere\n"
        files[f"svc/{folder}/requirements.txt"] = "junk\n"
    files["svc/anyname/pyvenv.cfg"] = "home = /usr/bin\n"
    root = write_tree(tmp_path, files)
    services = find_services(root, exclude=["svc/generated"])
    assert [(s.path, s.python_files) for s in services] == [(root / "svc", (root / "svc/app.py",))]
    report = audit_repository(root, exclude=["svc/generated"])
    assert not report.failed
    assert [r.name for r in report.services[0].declarations.requirements] == ["requests"]


def test_own_modules_src_layout_and_script_folders_are_local(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "svc/pyproject.toml": '[project]\nname = "svc"\ndependencies = []\n',
        "svc/helpers.py": "",
        "svc/src/engine/__init__.py": "import helpers\nfrom engine import core\n",
        "svc/src/engine/core.py": "",
        "svc/scripts/run.py": "import sibling\nimport engine\n",
        "svc/scripts/sibling.py": "",
        "svc/pkg/__init__.py": "",
        "svc/pkg/mod.py": "import other_in_pkg\n",
        "svc/pkg/other_in_pkg.py": "",
    })
    (audit,) = audit_repository(root).services
    # In a package (has __init__.py) a bare sibling import is absolute: really a distribution.
    assert [m.distribution for m in audit.missing] == ["other-in-pkg"]
    assert audit.missing[0].resolved_by == "guess"


def test_local_path_requirements_provide_their_modules(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "libs/shared/src/shared_lib/__init__.py": "",
        "svc/requirements.txt": "-e ../libs/shared\n",
        "svc/app.py": "import shared_lib\n",
    })
    services = {s.path.name: s for s in audit_repository(root / "svc").services}
    assert services["svc"].missing == ()


def test_requirements_folder_marks_a_service(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "svc/requirements/base.txt": "requests\n",
        "svc/requirements/dev.txt": "-r base.txt\npytest\n",
        "svc/app.py": "import requests\nimport yaml\n",
    })
    (audit,) = audit_repository(root).services
    assert audit.path == root / "svc"
    assert [m.distribution for m in audit.missing] == ["PyYAML"]
    assert [r.name for r, _ in audit.allowlisted] == ["pytest"]


def test_audit_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match=r"Cannot audit .*nope: it is not a folder"):
        find_services(tmp_path / "nope")
    root = write_tree(tmp_path, {"svc/requirements.txt": "-r missing.txt\n"})
    with pytest.raises(AuditError, match=r"Cannot read requirements file .*missing\.txt"):
        audit_repository(root)


def test_ops_all_matches_its_public_names() -> None:
    stray = {
        name for name, value in vars(nbaprops.ops).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
        and name != "annotations"
    } - set(nbaprops.ops.__all__)
    assert stray == set()
    for name in nbaprops.ops.__all__:  # names load lazily; each must resolve
        assert getattr(nbaprops.ops, name).__name__ == name
    assert {"audit_repository", "find_services", "ImportMap", "check_imports"} <= set(nbaprops.ops.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'nosuch'"):
        nbaprops.ops.nosuch  # noqa: B018


def test_audit_package_all_matches_its_public_names() -> None:
    package = nbaprops.ops.audit
    public = {
        name for name, value in vars(package).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(package.__all__) == public
    assert set(package.__all__) <= set(nbaprops.ops.__all__)  # nbaprops.ops re-exports them all


def test_pre_commit_hook_entry() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    item = text[text.index("- id: nbaprops-audit-deps"):]
    fields = dict(
        line.strip().lstrip("- ").split(": ", 1) for line in item.splitlines() if ": " in line
    )
    assert fields["id"] == "nbaprops-audit-deps"
    assert fields["entry"] == "nbaprops audit-deps"
    assert fields["language"] == "python"
    assert fields["pass_filenames"] == "false"
