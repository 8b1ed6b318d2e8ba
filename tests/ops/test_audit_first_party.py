"""First-party code on a real monorepo shape: root packages, a symlinked folder, tests, chains.

The fixture tests/fixtures/shared-monorepo has one true missing distribution per service; every
other finding there must be transitive, test-only or nothing at all (no false positives).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath

import pytest
from tests.ops.audit_tree import (
    SHARED_MONOREPO,
    audit_cli,
    git_checkout_of_shared_monorepo,
    write_tree,
)

from nbaprops.errors import AuditError
from nbaprops.ops.audit import (
    AuditReport,
    FirstParty,
    ImportedModule,
    ImportMap,
    RequiresMap,
    ServiceAudit,
    audit_repository,
    find_imports,
    find_repository_root,
    find_services,
    is_test_file,
)
from nbaprops.ops.audit._first_party import Start, absolute_name, follow

# service, its one true missing distribution with the import chain, transitive (distribution,
# declared parent), test-only distributions.
CASES = [
    ("services/worker", "psutil",
     ["services/worker/worker/main.py:10 -> shared/utils/metrics.py:5"],
     [("google-api-core", "google-cloud-storage")], ["freezegun", "responses"]),
    ("services/ingest", "tenacity",
     ["services/ingest/ingest.py:4 -> services/ingest/shared/clients/nba.py:4"],
     [("urllib3", "requests")], []),
    ("shared", "PyYAML", ["shared/utils/config.py:5"], [], []),
]


@pytest.fixture(scope="module")
def maps() -> tuple[ImportMap, RequiresMap]:
    return ImportMap.load(), RequiresMap.load()


@pytest.fixture(scope="module")
def report(maps: tuple[ImportMap, RequiresMap]) -> AuditReport:
    import_map, requires_map = maps
    return audit_repository(
        SHARED_MONOREPO, root=SHARED_MONOREPO, import_map=import_map, requires_map=requires_map
    )


def _by_path(report: AuditReport, root: Path) -> dict[str, ServiceAudit]:
    return {s.path.relative_to(root).as_posix(): s for s in report.services}


def _relative(locations: list[str], root: Path) -> list[str]:
    return [location.replace(f"{root}/", "") for location in locations]


def test_the_symlinked_folder_belongs_to_its_service_and_is_no_service() -> None:
    link = SHARED_MONOREPO / "services/ingest/shared"
    assert link.is_symlink() and link.resolve() == (SHARED_MONOREPO / "shared").resolve()
    services = {s.path.relative_to(SHARED_MONOREPO).as_posix(): s for s in find_services(SHARED_MONOREPO)}
    assert sorted(services) == ["services/ingest", "services/worker", "shared"]
    assert services["services/ingest"].linked_folders == (link,)
    assert [f.name for f in services["services/ingest"].python_files] == ["ingest.py"]


@pytest.mark.parametrize(("service", "missing", "chain", "transitive", "test_only"), CASES)
def test_one_true_missing_distribution_per_service_and_no_false_positive(
    report: AuditReport, service: str, missing: str, chain: list[str],
    transitive: list[tuple[str, str]], test_only: list[str],
) -> None:
    audit = _by_path(report, SHARED_MONOREPO)[service]
    assert [m.distribution for m in audit.missing] == [missing]
    assert _relative(audit.missing[0].locations, SHARED_MONOREPO) == chain
    assert [(m.distribution, m.required_by) for m in audit.transitive] == transitive
    assert [m.distribution for m in audit.test_only] == test_only
    assert audit.optional == () and audit.unused == () and audit.unreadable == ()
    assert audit.failed and audit.repository_root == SHARED_MONOREPO


def test_first_party_packages_are_never_distributions(report: AuditReport) -> None:
    imported = {u.imported.top_level for s in report.services for u in s.uses}
    assert imported.isdisjoint({"shared", "predictions", "settings", "worker"})
    worker = _by_path(report, SHARED_MONOREPO)["services/worker"]
    # predictions/model.py runs numpy and, through shared/utils/logs.py, structlog: both declared.
    by_module = {u.module: _relative([u.location], SHARED_MONOREPO) for u in worker.uses}
    assert by_module["numpy"] == ["services/worker/worker/main.py:9 -> predictions/model.py:3"]
    assert by_module["structlog"] == [
        "services/worker/worker/main.py:9 -> predictions/model.py:5 -> shared/utils/logs.py:3"
    ]


def test_code_the_service_never_imports_is_not_charged_to_it(report: AuditReport) -> None:
    # shared/utils/config.py needs PyYAML, and ingest holds it through the symlink, unused.
    ingest = _by_path(report, SHARED_MONOREPO)["services/ingest"]
    assert "yaml" not in {u.imported.top_level for u in ingest.uses}
    # A relative import in followed code (`from ..utils.logs import`) is followed too.
    assert any("shared/clients/nba.py:6 -> " in u.location for u in ingest.uses)


def test_the_repository_root_is_found_by_walking_up_to_git(
    tmp_path: Path, maps: tuple[ImportMap, RequiresMap]
) -> None:
    root = git_checkout_of_shared_monorepo(tmp_path)
    import_map, requires_map = maps
    report = audit_repository(root / "services", import_map=import_map, requires_map=requires_map)
    audits = _by_path(report, root / "services")
    assert sorted(audits) == ["ingest", "worker"]
    assert [m.distribution for m in audits["worker"].missing] == ["psutil"]
    assert [m.distribution for m in audits["ingest"].missing] == ["tenacity"]
    assert {a.repository_root for a in audits.values()} == {root}


def test_without_a_repository_root_the_audited_folder_is_the_root(tmp_path: Path) -> None:
    assert find_repository_root(tmp_path / "a", fallback=tmp_path) == tmp_path
    write_tree(tmp_path, {"repo/.git": "gitdir: /elsewhere/worktrees/repo\n"})  # a worktree
    assert find_repository_root(tmp_path / "repo/services/x", fallback=tmp_path) == tmp_path / "repo"


def test_a_root_that_is_not_a_folder_is_an_audit_error(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match=r"The repository root .*nope is not a folder"):
        audit_repository(tmp_path, root=tmp_path / "nope")


def test_find_repository_root_keeps_a_relative_start_relative() -> None:
    assert find_repository_root(Path("tests/fixtures"), fallback=Path("/nowhere")) == Path(".")


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("conftest.py", True),
        ("tests/test_main.py", True),
        ("tests/helpers.py", True),
        ("pkg/test/fixtures.py", True),
        ("pkg/store_test.py", True),
        ("test_app.py", True),
        ("worker/main.py", False),
        ("worker/contest.py", False),
        ("testing_tools.py", False),
    ],
)
def test_is_test_file(relative: str, expected: bool) -> None:
    assert is_test_file(PurePath(relative)) is expected


MODULES = {
    "shared": Path("shared/__init__.py"),
    "shared.utils": Path("shared/utils/__init__.py"),
    "shared.utils.metrics": Path("shared/utils/metrics.py"),
    "settings": Path("settings.py"),
    "alembic.env": Path("alembic/env.py"),
    "libs.nbalib.core": Path("libs/nbalib/core.py"),
}


@pytest.mark.parametrize(
    ("name", "covered"),
    [
        ("shared", True),
        ("shared.anything.at.all", True),  # a regular package: any name under it is its own
        ("settings.RAW_BUCKET", True),
        ("libs.nbalib.core.fetch", True),
        ("libs.nbalib", True),  # a namespace folder, reached into
        ("alembic", False),  # a bare namespace: the installed distribution wins
        ("alembic.command", False),
        ("psutil", False),
    ],
)
def test_first_party_covers(name: str, covered: bool) -> None:
    assert FirstParty.of(MODULES).covers(name) is covered


def test_files_run_by_includes_each_package_init() -> None:
    assert [m for m, _ in FirstParty.of(MODULES).files_run_by("shared.utils.metrics.record")] == [
        "shared", "shared.utils", "shared.utils.metrics"
    ]


@pytest.mark.parametrize(
    ("source", "importer", "is_package", "expected"),
    [
        ("import psutil", "shared.utils.metrics", False, "psutil"),
        ("from . import logs", "shared.utils.metrics", False, "shared.utils.logs"),
        ("from .logs import get", "shared.utils.metrics", False, "shared.utils.logs.get"),
        ("from ..clients import nba", "shared.utils.metrics", False, "shared.clients.nba"),
        ("from .metrics import record", "shared.utils", True, "shared.utils.metrics.record"),
        ("from ... import x", "shared.utils.metrics", False, None),  # beyond the top package
    ],
)
def test_absolute_name_of_relative_imports(
    source: str, importer: str, is_package: bool, expected: str | None
) -> None:
    (imported,) = find_imports(source, path=Path("m.py"), relative=True)
    assert absolute_name(imported, importer=importer, is_package=is_package) == expected


def _imports(path: str, *lines: tuple[int, str, str]) -> list[ImportedModule]:
    return [ImportedModule(module, Path(path), line, kind) for line, module, kind in lines]


def test_follow_keeps_the_strictest_guard_and_the_test_origin() -> None:
    """Pure: files are read through the function passed in, never from disk."""
    sources = {
        Path("shared/__init__.py"): [],
        Path("shared/utils/__init__.py"): _imports("shared/utils/__init__.py", (1, "orjson", "optional")),
        Path("shared/utils/metrics.py"): _imports(
            "shared/utils/metrics.py", (5, "psutil", "required"), (6, "settings", "required")
        ),
        Path("settings.py"): _imports("settings.py", (2, "dotenv", "required")),
    }
    first_party = FirstParty.of({str(p.with_suffix("")).replace("/", ".").removesuffix(".__init__"): p
                                 for p in sources})
    start = ImportedModule("shared.utils.metrics", Path("svc/app.py"), 3, "optional")
    test_start = ImportedModule("shared.utils.metrics", Path("svc/tests/test_app.py"), 1, "required")
    reached = follow(
        [Start(start, start.qualified, False), Start(test_start, test_start.qualified, True)],
        first_party=first_party, read_imports=lambda path: sources[path], real_path=lambda path: path,
        own_files=set(),
    )
    found = {(r.imported.module, r.kind, r.test_only): r.chain for r in reached}
    assert found == {
        ("orjson", "optional", False): ("svc/app.py:3",),
        ("psutil", "optional", False): ("svc/app.py:3",),
        ("dotenv", "optional", False): ("svc/app.py:3", "shared/utils/metrics.py:6"),
        ("orjson", "optional", True): ("svc/tests/test_app.py:1",),
        ("psutil", "required", True): ("svc/tests/test_app.py:1",),
        ("dotenv", "required", True): ("svc/tests/test_app.py:1", "shared/utils/metrics.py:6"),
    }


def test_a_test_only_chain_and_an_optional_guard_are_not_missing(
    tmp_path: Path, maps: tuple[ImportMap, RequiresMap]
) -> None:
    root = write_tree(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "shared/__init__.py": "",
        "shared/testing.py": "import faker\n",
        "shared/fast.py": "import orjson\n",
        "svc/requirements.txt": "# nothing\n",
        "svc/app.py": "try:\n    import shared.fast\nexcept ImportError:\n    pass\n",
        "svc/tests/conftest.py": "from shared.testing import make\n",
    })
    import_map, requires_map = maps
    (audit,) = [
        s for s in audit_repository(root, import_map=import_map, requires_map=requires_map).services
    ]
    assert audit.missing == () and not audit.failed
    assert [(m.distribution, m.reasons) for m in audit.optional] == [
        ("orjson", ["inside try/except ImportError"])
    ]
    assert [(m.distribution, m.locations) for m in audit.test_only] == [
        ("faker", [f"{root}/svc/tests/conftest.py:1 -> {root}/shared/testing.py:1"])
    ]


def test_cli_reports_chains_transitive_and_test_only_and_exits_1() -> None:
    fixture = "tests/fixtures/shared-monorepo"
    done = audit_cli(fixture, "--root", fixture)
    assert done.returncode == 1, done.stderr
    assert "worker/main.py:10 -> shared/utils/metrics.py:5" in done.stdout
    assert "ingest.py:4 -> shared/clients/nba.py:4" in done.stdout
    assert "services/ingest (1 file + 1 linked folder, 5 distributions imported" in done.stdout
    rows = [line.split("│")[1:3] for line in done.stdout.splitlines() if line.startswith("│ ")]
    findings = [(kind.strip(), name.strip()) for kind, name in rows if kind.strip()]
    assert findings == [
        ("missing", "tenacity"), ("transitive", "urllib3"),
        ("missing", "psutil"), ("transitive", "google-api-core"),
        ("test-only", "freezegun"), ("test-only", "responses"),
        ("missing", "PyYAML"),
    ]
    assert " ".join(done.stdout.split()).endswith(
        "FAIL: 3 missing distributions in 3 of 3 services (tests/fixtures/shared-monorepo/services/"
        "ingest: tenacity; tests/fixtures/shared-monorepo/services/worker: psutil; "
        "tests/fixtures/shared-monorepo/shared: PyYAML)."
    )
    data = json.loads(audit_cli(fixture, "--root", fixture, "--json").stdout)
    assert (data["missing_count"], data["transitive_count"], data["test_only_count"]) == (3, 2, 2)
    worker = next(s for s in data["services"] if s["path"].endswith("services/worker"))
    ingest = next(s for s in data["services"] if s["path"].endswith("services/ingest"))
    assert ingest["linked_folders"] == [f"{fixture}/services/ingest/shared"]
    assert ingest["missing_imports"][0]["where"] == [
        f"{fixture}/services/ingest/ingest.py:4 -> {fixture}/services/ingest/shared/clients/nba.py:4"
    ]
    assert worker["transitive"][0]["required_by"] == "google-cloud-storage"
    assert [t["distribution"] for t in worker["test_only"]] == ["freezegun", "responses"]


def test_cli_transitive_and_test_only_alone_exit_0(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "svc/requirements.txt": "google-cloud-storage\n",
        "svc/app.py": "from google.api_core import retry\nfrom google.cloud import storage\n",
        "svc/test_app.py": "import freezegun\n",
    })
    done = audit_cli(".", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " ".join(done.stdout.split()).endswith(
        "OK: 1 service declare every distribution they import (0 unused, 0 optional-only, "
        "1 transitive, 1 test-only, 0 unreadable files)."
    )


def test_cli_root_must_be_a_folder(tmp_path: Path) -> None:
    done = audit_cli(str(tmp_path), "--root", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert "--root" in done.stderr and "does not exist" in done.stderr


def test_unreadable_first_party_code_the_service_runs_is_reported(
    tmp_path: Path, maps: tuple[ImportMap, RequiresMap]
) -> None:
    root = write_tree(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "shared/__init__.py": "",
        "shared/broken.py": "def f(:\n",
        "svc/requirements.txt": "# nothing\n",
        "svc/app.py": "import shared.broken\n",
    })
    import_map, requires_map = maps
    (audit,) = audit_repository(root / "svc", import_map=import_map, requires_map=requires_map).services
    assert audit.missing == ()
    assert [(u.location, u.message) for u in audit.unreadable] == [
        (f"{root}/shared/broken.py:1", "invalid syntax")
    ]
