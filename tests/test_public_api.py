import types

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
