"""Import name -> distribution: the maintained table, installed metadata, guesses, allowlist."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.errors import AuditError
from nbaprops.ops import ImportMap, canonicalize, no_import_reason
from nbaprops.ops.audit._import_map import TABLE_PATH, read_table


@pytest.fixture(scope="module")
def table_only() -> ImportMap:
    """The maintained table alone, so results don't depend on what this venv has installed."""
    return ImportMap.load(use_installed=False)


@pytest.mark.parametrize(
    ("module", "distributions"),
    [
        ("google.cloud.firestore", ("google-cloud-firestore",)),
        ("google.cloud.firestore.Client", ("google-cloud-firestore",)),
        ("google.cloud.firestore_v1.types", ("google-cloud-firestore",)),
        ("google.cloud.storage", ("google-cloud-storage",)),
        ("google.cloud.bigquery", ("google-cloud-bigquery",)),
        ("google.cloud.bigquery_storage_v1", ("google-cloud-bigquery-storage",)),
        ("google.cloud.pubsub", ("google-cloud-pubsub",)),
        ("google.cloud.pubsub_v1", ("google-cloud-pubsub",)),
        ("google.cloud.secretmanager", ("google-cloud-secret-manager",)),
        ("google.cloud.sql.connector", ("cloud-sql-python-connector",)),
        ("google.cloud.exceptions", ("google-cloud-core",)),
        # Not in the table: the google.cloud.* pattern, version suffix dropped, _ -> -.
        ("google.cloud.vision", ("google-cloud-vision",)),
        ("google.cloud.vision_v1p3beta1", ("google-cloud-vision",)),
        ("google.cloud.error_reporting", ("google-cloud-error-reporting",)),
        ("google.protobuf.json_format", ("protobuf",)),
        ("google.auth.transport.requests", ("google-auth",)),
        ("google.oauth2.service_account", ("google-auth",)),
        ("google.api_core.exceptions", ("google-api-core",)),
        ("googleapiclient.discovery", ("google-api-python-client",)),
        ("grpc", ("grpcio",)),
        ("yaml", ("PyYAML",)),
        ("sklearn.linear_model", ("scikit-learn",)),
        ("cv2", ("opencv-python", "opencv-python-headless", "opencv-contrib-python",
                 "opencv-contrib-python-headless")),
        ("PIL.Image", ("Pillow",)),
        ("bs4", ("beautifulsoup4",)),
        ("dateutil.parser", ("python-dateutil",)),
        ("jwt", ("PyJWT",)),
        ("psycopg2.extras", ("psycopg2-binary", "psycopg2")),
        ("dotenv", ("python-dotenv",)),
        ("attr", ("attrs",)),
        ("opentelemetry.instrumentation.fastapi", ("opentelemetry-instrumentation-fastapi",)),
        ("opentelemetry.trace", ("opentelemetry-api",)),
        ("ruamel.yaml", ("ruamel.yaml",)),
    ],
)
def test_table_resolves_imports_to_distributions(
    table_only: ImportMap, module: str, distributions: tuple[str, ...]
) -> None:
    resolution = table_only.resolve(module)
    assert resolution.distributions == distributions
    assert resolution.resolved_by == "table"


def test_longest_prefix_wins_over_a_shorter_entry() -> None:
    mapping = ImportMap({"a": ["dist-a"], "a.b": ["dist-ab"], "a.*": ["dist-a-*"]})
    assert mapping.resolve("a.b.c").distributions == ("dist-ab",)
    assert mapping.resolve("a.b.c").matched == "a.b"
    assert mapping.resolve("a.x.y").distributions == ("dist-a-x",)
    assert mapping.resolve("a").distributions == ("dist-a",)


def test_installed_metadata_comes_after_the_table() -> None:
    installed = {"yaml": ["other"], "requests": ["requests"]}
    mapping = ImportMap({"yaml": ["PyYAML"]}, installed=installed)
    assert mapping.resolve("yaml").resolved_by == "table"
    resolution = mapping.resolve("requests.adapters")
    assert (resolution.distributions, resolution.resolved_by, resolution.matched) == (
        ("requests",), "installed", "requests"
    )


def test_unknown_imports_are_guessed_from_the_name() -> None:
    resolution = ImportMap({}).resolve("foo_bar.baz")
    assert resolution.resolved_by == "guess"
    assert resolution.preferred == "foo-bar"
    assert set(resolution.distributions) == {
        "foo-bar", "foo-bar-baz", "python-foo-bar", "foo-bar-python"
    }


def test_the_maintained_table_has_at_least_forty_entries(table_only: ImportMap) -> None:
    assert table_only.table_size >= 40
    rows = read_table(TABLE_PATH)
    assert all(canonicalize(d) for ds in rows.values() for d in ds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("import_name,dist\nyaml,PyYAML\n", "must have the header 'import_name,distribution'"),
        ("import_name,distribution\nyaml,\n", r"x\.csv:2 needs both a value for import_name"),
        ("import_name,distribution\ngoogle.cloud.*,google-cloud\n", r"x\.csv:2: a pattern row"),
    ],
)
def test_a_broken_table_is_an_audit_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditError, match=message):
        read_table(path)


def test_a_missing_table_is_an_audit_error(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match=r"Cannot read the import map .*nope\.csv"):
        read_table(tmp_path / "nope.csv")


def test_an_entry_without_distributions_is_an_audit_error() -> None:
    with pytest.raises(AuditError, match="Import map entry 'yaml' names no distribution"):
        ImportMap({"yaml": []})


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("PyYAML", "pyyaml"),
        ("python_dateutil", "python-dateutil"),
        ("ruamel.yaml", "ruamel-yaml"),
        ("Foo__Bar-.baz", "foo-bar-baz"),
        ("google-cloud-firestore", "google-cloud-firestore"),
    ],
)
def test_canonicalize_follows_pep_503(name: str, canonical: str) -> None:
    assert canonicalize(name) == canonical


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True))
def test_canonicalize_is_idempotent_and_separator_blind(name: str) -> None:
    canonical = canonicalize(name)
    assert canonicalize(canonical) == canonical
    assert canonicalize(name.replace("-", "_").upper()) == canonical


@pytest.mark.parametrize(
    ("distribution", "reason"),
    [
        ("gunicorn", "server run as a command"),
        ("uvicorn", "server run as a command"),
        ("pytest_cov", "pytest plugin"),
        ("types-requests", "type stubs"),
        ("pandas-stubs", "type stubs"),
        ("tzdata", "time-zone data read by zoneinfo"),
        ("requests", None),
        ("google-cloud-firestore", None),
    ],
)
def test_allowlist_names_distributions_that_are_never_imported(
    distribution: str, reason: str | None
) -> None:
    assert no_import_reason(distribution) == reason
