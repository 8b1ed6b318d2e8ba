import importlib
import re
import types
from pathlib import Path

import pytest

import nbaprops


def test_all_matches_the_public_names() -> None:
    public = {
        name for name, value in vars(nbaprops).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(nbaprops.__all__) - {"__version__"} == public


def test_every_error_shares_one_base() -> None:
    errors = [getattr(nbaprops, name) for name in nbaprops.__all__ if name.endswith("Error")]
    assert all(issubclass(error, nbaprops.NbaPropsError) for error in errors)


CURATED_PACKAGES = [
    "nbaprops.orchestration.engine",
    "nbaprops.ops.health",
    "nbaprops.ops.audit",
    "nbaprops.ops.usage",
    "nbaprops.alerting.collect",
    "nbaprops.state",
]


@pytest.mark.parametrize("name", CURATED_PACKAGES)
def test_a_curated_package_exports_exactly_its_public_names(name: str) -> None:
    package = importlib.import_module(name)
    public = {
        attribute for attribute, value in vars(package).items()
        if not attribute.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert sorted(package.__all__) == sorted(public)
    assert all(getattr(package, attribute) is not None for attribute in package.__all__)


@pytest.mark.parametrize("name", CURATED_PACKAGES)
def test_only_the_package_itself_imports_its_private_modules(name: str) -> None:
    """Callers outside a curated package import from the package, never `package._module`."""
    src = Path(nbaprops.__file__).parent.parent
    inside = src / Path(*name.split("."))
    private = re.compile(rf"\b{re.escape(name)}\._\w+")
    offenders = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if inside not in path.parents and private.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
