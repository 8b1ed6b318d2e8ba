"""The `[usage]` section: the README's prices load, a wrong price names its key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nbaprops.config import load_settings
from nbaprops.errors import ConfigError

README = Path(__file__).resolve().parents[3] / "README.md"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_readme_prices_load(tmp_path: Path) -> None:
    [toml] = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    usage = load_settings(_write(tmp_path / "nbaprops.toml", toml)).usage
    assert (usage.currency, usage.cpu_hour_price, usage.warehouse_gb_month_price) == ("USD", 0.04, 0.10)
    assert usage.metered["odds_api"].credits_header == "x-requests-last"
    assert usage.metered["odds_api"].credit_price == 0.0015


def test_a_metered_source_from_the_environment_adds_to_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NBAPROPS_USAGE__CPU_HOUR_PRICE", "0.5")
    usage = load_settings(_write(tmp_path / "nbaprops.toml", "[usage.metered.balldontlie]\n"
                                 'credits_header = "x-credits"\ncredit_price = 0.01\n')).usage
    assert usage.cpu_hour_price == 0.5
    assert set(usage.metered) == {"balldontlie"}  # a table given replaces the default one
    assert usage.metered["balldontlie"].credit_price == 0.01


@pytest.mark.parametrize(("toml", "message"), [
    ("[usage]\ncpu_hour_price = -1\n", r"usage\.cpu_hour_price: .*greater than or equal to 0"),
    ("[usage.metered.odds_api]\ncredit_price = 0.1\n", r"usage\.metered\.odds_api\.credits_header"),
    ("[usage]\nper_row_price = 1\n", r"usage\.per_row_price"),
])
def test_a_wrong_price_names_its_key(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(_write(tmp_path / "nbaprops.toml", toml))
