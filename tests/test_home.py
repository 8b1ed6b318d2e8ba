"""Where a home's warehouse lives: its DuckDB file, or the PostgreSQL database `[warehouse] url` names."""

from __future__ import annotations

import pytest

from nbaprops.errors import ConfigError
from nbaprops.home import Home


def test_without_a_url_the_warehouse_is_the_homes_duckdb_file(home: Home) -> None:
    assert home.warehouse_target == home.root / "warehouse.duckdb"
    assert not home.warehouse_exists
    home.warehouse_path.touch()
    assert home.warehouse_exists


def test_a_url_puts_the_warehouse_on_postgresql(home: Home) -> None:
    url = "postgresql://postgres@127.0.0.1:5432/nbaprops_wh"
    home.config_path.write_text(f'[warehouse]\nurl = "{url}"\n')
    assert home.warehouse_target == url
    assert home.warehouse_exists


def test_the_url_can_come_from_the_environment(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBAPROPS_WAREHOUSE__URL", "postgres://db.example/wh")
    assert home.warehouse_target == "postgres://db.example/wh"


def test_a_url_of_another_database_is_refused(home: Home) -> None:
    home.config_path.write_text('[warehouse]\nurl = "mysql://db.example/wh"\n')
    with pytest.raises(ConfigError, match=r"warehouse\.url"):
        _ = home.warehouse_target
