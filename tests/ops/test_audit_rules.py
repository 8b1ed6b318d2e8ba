"""The audit's pure rules: which undeclared distribution is missing, transitive, optional or
test-only; and which distributions the declared ones pull in."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbaprops.errors import AuditError
from nbaprops.ops.audit import (
    ImportedModule,
    ImportMap,
    ImportUse,
    Requirement,
    RequiresMap,
    judge_uses,
)
from nbaprops.ops.audit._requires_map import REQUIRES_TABLE_PATH, read_requires_table

TABLE_ONLY = ImportMap.load(use_installed=False)
SOURCE = Path("requirements.txt")


def _use(module: str, *, kind: str = "required", test_only: bool = False) -> ImportUse:
    imported = ImportedModule(module, Path("app.py"), 1, kind)  # type: ignore[arg-type]
    return ImportUse(imported, TABLE_ONLY.resolve(module), imported.kind, (), test_only)


def _declared(*names: str) -> dict[str, Requirement]:
    return {Requirement(n, "r:1", SOURCE).canonical_name: Requirement(n, "r:1", SOURCE) for n in names}


# uses, declared, provided_by -> (missing, transitive, optional, test_only, unused)
CASES = [
    ([_use("yaml")], (), {}, (["PyYAML"], [], [], [], [])),
    ([_use("yaml")], ("pyyaml",), {}, ([], [], [], [], [])),
    ([_use("google.api_core"), _use("google.cloud.storage")], ("google-cloud-storage",),
     {"google-api-core": "google-cloud-storage"}, ([], ["google-api-core"], [], [], [])),
    ([_use("ujson", kind="optional")], (), {}, ([], [], ["ujson"], [], [])),
    ([_use("pandas", kind="type_checking")], (), {}, ([], [], ["pandas"], [], [])),
    ([_use("freezegun", test_only=True)], (), {}, ([], [], [], ["freezegun"], [])),
    # Used by tests and by run-time code: missing at run time, listed once.
    ([_use("yaml", test_only=True), _use("yaml")], (), {}, (["PyYAML"], [], [], [], [])),
    # Optional at run time beats test-only; required at run time beats optional.
    ([_use("ujson", test_only=True), _use("ujson", kind="optional")], (), {}, ([], [], ["ujson"], [], [])),
    ([_use("ujson", kind="optional"), _use("ujson")], (), {}, (["ujson"], [], [], [], [])),
    # Declaring the parent only for its dependency: the parent is unused, the import transitive.
    ([_use("urllib3")], ("requests",), {"urllib3": "requests"}, ([], ["urllib3"], [], [], ["requests"])),
]


@pytest.mark.parametrize(("uses", "declared", "provided_by", "expected"), CASES)
def test_judge_uses(
    uses: list[ImportUse], declared: tuple[str, ...], provided_by: dict[str, str],
    expected: tuple[list[str], ...],
) -> None:
    findings = judge_uses(uses, _declared(*declared), provided_by=provided_by)
    got = (
        [m.distribution for m in findings.missing], [m.distribution for m in findings.transitive],
        [m.distribution for m in findings.optional], [m.distribution for m in findings.test_only],
        [r.name for r in findings.unused],
    )
    assert got == expected


def test_transitive_names_the_declared_parent() -> None:
    findings = judge_uses(
        [_use("google.api_core.retry")], _declared("google-cloud-storage"),
        provided_by={"google-api-core": "google-cloud-storage"},
    )
    (transitive,) = findings.transitive
    assert (transitive.distribution, transitive.required_by) == ("google-api-core", "google-cloud-storage")
    assert transitive.to_dict()["required_by"] == "google-cloud-storage"


def test_requires_map_follows_requirements_of_requirements_and_extras() -> None:
    requires = RequiresMap(
        {"google-cloud-storage": ["google-api-core"]},
        installed={
            "google-api-core": ["google-auth>=2", 'grpcio>=1.33; extra == "grpc"'],
            "google_auth": ["cachetools<6,>=2.0.0", "rsa (>=3.1.4)"],
            "fastapi": ["starlette<0.50,>=0.40", 'email-validator>=2; extra == "all"'],
        },
    )
    plain = requires.provided_by([Requirement("google-cloud-storage", "r:1", SOURCE)])
    assert plain == dict.fromkeys(
        ["google-api-core", "google-auth", "cachetools", "rsa"], "google-cloud-storage"
    )
    with_extra = requires.provided_by([
        Requirement("google-api-core", "r:1", SOURCE, extras=("grpc",)),
        Requirement("fastapi", "r:2", SOURCE),
    ])
    assert with_extra == {
        "google-auth": "google-api-core", "grpcio": "google-api-core", "cachetools": "google-api-core",
        "rsa": "google-api-core", "starlette": "fastapi",
    }


def test_environment_markers_are_evaluated_for_this_python() -> None:
    requires = RequiresMap({}, installed={"anyio": [
        'exceptiongroup>=1; python_version < "3.0"',  # a backport this Python never installs
        'idna>=2.8; python_version >= "3"',
        'trio>=0.26; extra == "trio" and python_version >= "3"',
        "sniffio; python_versio < 'nonsense'",  # unreadable: assumed to apply
    ]})
    assert sorted(requires.provided_by([Requirement("anyio", "r:1", SOURCE)])) == ["idna", "sniffio"]
    with_trio = requires.provided_by([Requirement("anyio", "r:1", SOURCE, extras=("trio",))])
    assert sorted(with_trio) == ["idna", "sniffio", "trio"]


def test_a_declared_distribution_is_never_reported_as_provided() -> None:
    requires = RequiresMap({"requests": ["urllib3"]})
    declared = [Requirement("requests", "r:1", SOURCE), Requirement("urllib3", "r:2", SOURCE)]
    assert requires.provided_by(declared) == {}


def test_installed_metadata_knows_what_this_venv_pulls_in() -> None:
    # nbaprops declares dbos, and dbos requires SQLAlchemy: nbaprops imports sqlalchemy directly.
    provided = RequiresMap.load().provided_by([Requirement("dbos", "r:1", SOURCE)])
    assert provided["sqlalchemy"] == "dbos"


def test_the_maintained_requires_table_reads() -> None:
    table = read_requires_table(REQUIRES_TABLE_PATH)
    assert "google-api-core" in table["google-cloud-storage"]
    assert "urllib3" in table["requests"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("distribution,needs\nrequests,urllib3\n", "must have the header 'distribution,requires'"),
        ("distribution,requires\nrequests,\n", r"x\.csv:2 needs both a value for distribution"),
    ],
)
def test_a_broken_requires_table_is_an_audit_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditError, match=message):
        read_requires_table(path)


def test_a_missing_requires_table_is_an_audit_error(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match=r"Cannot read the requirements table .*nope\.csv"):
        RequiresMap.load(table_path=tmp_path / "nope.csv", use_installed=False)
