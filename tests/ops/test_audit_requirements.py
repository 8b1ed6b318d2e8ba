"""What a service declares: requirements files (with includes and options) and pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.errors import AuditError
from nbaprops.ops import canonicalize, parse_pyproject, parse_requirement, parse_requirements_file


def _names(path: Path) -> list[str]:
    return [r.name for r in parse_requirements_file(path).requirements]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("requests", "requests"),
        ("requests==2.32.3", "requests"),
        ("requests >= 2.31, < 3", "requests"),
        ("uvicorn[standard]>=0.29", "uvicorn"),
        ('tomli>=2 ; python_version < "3.11"', "tomli"),
        ("PyYAML~=6.0  # comment after whitespace", "PyYAML"),
        ("psycopg2-binary==2.9.9 --hash=sha256:abc --hash=sha256:def", "psycopg2-binary"),
        ("zope.interface==6.0", "zope.interface"),
        ("pkg @ https://example.com/pkg-1.0.tar.gz", "pkg"),
        ("mylib[extra] @ git+https://github.com/acme/mylib.git@v1", "mylib"),
        ("git+https://github.com/acme/tool.git#egg=acme-tool", "acme-tool"),
        ("-e git+https://github.com/acme/tool.git@main#egg=acme_tool&subdirectory=py",
         "acme_tool"),
        ("https://example.com/wheels/fancy_pkg-1.2.0-py3-none-any.whl", "fancy_pkg"),
        ("./vendor/some-lib-0.3.tar.gz", "some-lib"),
    ],
)
def test_requirement_lines_declare_a_name(tmp_path: Path, line: str, name: str) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(line + "\n", encoding="utf-8")
    assert _names(path) == [name]


@pytest.mark.parametrize(
    "line",
    [
        "# only a comment",
        "--index-url https://pypi.org/simple",
        "-i https://pypi.org/simple",
        "--extra-index-url=https://example.com/simple",
        "-f ./wheels",
        "--trusted-host example.com",
        "--pre",
        "--require-hashes",
        "-c constraints.txt",
        "",
    ],
)
def test_options_comments_and_constraints_declare_nothing(tmp_path: Path, line: str) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(line + "\n", encoding="utf-8")
    declarations = parse_requirements_file(path)
    assert declarations.requirements == ()
    assert declarations.local_paths == ()


def test_a_url_without_a_name_is_recorded_as_unnamed(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("git+https://github.com/acme/tool.git@main\n", encoding="utf-8")
    assert parse_requirements_file(path).unnamed == (f"{path}:1",)


def test_local_folders_are_local_paths_resolved_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "svc" / "requirements.txt"
    path.parent.mkdir()
    path.write_text("-e ../libs/shared\n./vendored\nfile:../other\n", encoding="utf-8")
    local = parse_requirements_file(path).local_paths
    assert [p.path for p in local] == [
        path.parent / "../libs/shared", path.parent / "vendored", path.parent / "../other"
    ]
    assert [p.where for p in local] == [f"{path}:1", f"{path}:2", f"{path}:3"]


def test_includes_continuations_and_locations(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "common.txt").write_text("requests\n-r ../requirements.txt\n")
    path = tmp_path / "requirements.txt"
    path.write_text(
        "# top\n-r base/common.txt\npandas>=2 \\\n    --hash=sha256:abc\n--requirement=extra.txt\n",
        encoding="utf-8",
    )
    (tmp_path / "extra.txt").write_text("numpy\n", encoding="utf-8")
    declarations = parse_requirements_file(path)
    assert [r.name for r in declarations.requirements] == ["requests", "pandas", "numpy"]
    assert [r.where for r in declarations.requirements] == [
        f"{tmp_path / 'base' / 'common.txt'}:1", f"{path}:3", f"{tmp_path / 'extra.txt'}:1"
    ]
    assert declarations.files == (path, tmp_path / "base" / "common.txt", tmp_path / "extra.txt")


def test_requirement_details_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text('uvicorn[standard,other]>=0.29 ; python_version<"3.12"\n', encoding="utf-8")
    (requirement,) = parse_requirements_file(path).requirements
    assert requirement.extras == ("standard", "other")
    assert requirement.marker == 'python_version<"3.12"'
    assert requirement.spec == 'uvicorn[standard,other]>=0.29 ; python_version<"3.12"'
    assert requirement.canonical_name == "uvicorn"


def test_a_missing_include_is_an_audit_error(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("requests\n-r nope.txt\n", encoding="utf-8")
    with pytest.raises(
        AuditError, match=r"Cannot read requirements file .*nope\.txt \(included from .*:2\)"
    ):
        parse_requirements_file(path)


def test_an_invalid_line_is_an_audit_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("requests\nrequests 2.0\n", encoding="utf-8")
    with pytest.raises(AuditError, match=r"requirements\.txt:2: 'requests 2\.0' is not a valid"):
        parse_requirements_file(path)


def test_parse_requirement_rejects_garbage() -> None:
    with pytest.raises(AuditError, match=r"here: '\?\?\?' is not a valid requirement"):
        parse_requirement("???", where="here", source=Path("x"))


@given(
    name=st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,15}[A-Za-z0-9])?", fullmatch=True),
    extras=st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=2),
    specifier=st.sampled_from(["", "==1.0", ">=2,<3", "~=1.4", "!=0.9"]),
    marker=st.sampled_from(["", ' ; python_version < "3.12"', " ; sys_platform == 'linux'"]),
)
def test_any_pep508_requirement_keeps_its_name(
    name: str, extras: list[str], specifier: str, marker: str
) -> None:
    extras_text = f"[{','.join(extras)}]" if extras else ""
    requirement = parse_requirement(
        f"{name}{extras_text}{specifier}{marker}", where="w", source=Path("x")
    )
    assert requirement.name == name
    assert requirement.canonical_name == canonicalize(name)
    assert requirement.extras == tuple(extras)


PYPROJECT = """
[project]
name = "api"
dependencies = ["fastapi>=0.110", "uvicorn[standard]>=0.29"]

[project.optional-dependencies]
dev = ["pytest>=8", "api[postgres]"]
postgres = ["psycopg[binary]>=3.1"]

[dependency-groups]
lint = ["ruff", {include-group = "dev"}]

[tool.poetry.dependencies]
python = "^3.11"
requests = "^2.31"
celery = {version = "^5.3", extras = ["redis"]}
shared = {path = "../shared", develop = true}

[tool.poetry.group.test.dependencies]
Faker = "*"
"""


def test_pyproject_declares_project_groups_and_poetry_tables(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT, encoding="utf-8")
    declarations = parse_pyproject(path)
    got = [(r.name, r.where.removeprefix(f"{path} ")) for r in declarations.requirements]
    assert got == [
        ("fastapi", "[project.dependencies]"),
        ("uvicorn", "[project.dependencies]"),
        ("pytest", "[project.optional-dependencies.dev]"),
        ("psycopg", "[project.optional-dependencies.postgres]"),
        ("ruff", "[dependency-groups.lint]"),
        ("requests", "[tool.poetry.dependencies]"),
        ("celery", "[tool.poetry.dependencies]"),
        ("Faker", "[tool.poetry.group.test.dependencies]"),
    ]
    celery = declarations.requirements[6]
    assert (celery.extras, celery.spec) == (("redis",), "celery[redis]")
    assert [p.path for p in declarations.local_paths] == [tmp_path / "../shared"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[project\n", r"pyproject\.toml is not valid TOML"),
        ('[project]\ndependencies = "requests"\n', r"\[project\.dependencies\] must be a list"),
        ('project = "x"\n', r"\[project\] must be a table"),
        ('[project]\ndependencies = ["requests 2"]\n', r"'requests 2' is not a valid requirement"),
    ],
)
def test_a_broken_pyproject_is_an_audit_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditError, match=message):
        parse_pyproject(path)


def test_files_sharing_an_include_read_it_once_when_they_share_seen(tmp_path: Path) -> None:
    (tmp_path / "common.txt").write_text("requests\n")
    (tmp_path / "requirements.txt").write_text("-r common.txt\nflask\n")
    (tmp_path / "requirements-dev.txt").write_text("-r common.txt\npytest\n")
    seen: set[Path] = set()
    first = parse_requirements_file(tmp_path / "requirements.txt", seen=seen)
    second = parse_requirements_file(tmp_path / "requirements-dev.txt", seen=seen)
    assert [r.name for r in first.requirements] == ["requests", "flask"]
    assert [r.name for r in second.requirements] == ["pytest"]
    assert _names(tmp_path / "requirements-dev.txt") == ["requests", "pytest"]
