"""missing_module: an ImportError names the package to install; other failures are not its business."""

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.missing_module import missing_module


def test_names_the_missing_package() -> None:
    found = missing_module(Symptoms(
        "player_prop_predictions", error_class="ModuleNotFoundError",
        error="Processor player_prop_predictions failed: ModuleNotFoundError: No module named 'lightgbm.sklearn'",
    ))
    assert found is not None and found.rule == "missing_module"
    assert "'lightgbm.sklearn'" in found.root_cause and "Retrying cannot fix" in found.root_cause
    assert "pip install lightgbm" in found.suggested_fix


def test_quiet_for_other_errors() -> None:
    assert missing_module(Symptoms("p", error_class="ValueError", error="No module named 'x'")) is None
