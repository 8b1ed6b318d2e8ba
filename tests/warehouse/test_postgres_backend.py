"""What only the PostgreSQL backend can get wrong: its URL, one statement a call, upserts without a key."""

from __future__ import annotations

import pytest

from nbaprops.errors import WarehouseError
from nbaprops.warehouse import Warehouse


def test_an_unreachable_server_is_a_warehouse_error_without_the_password() -> None:
    with pytest.raises(WarehouseError, match="Cannot open the PostgreSQL warehouse") as raised:
        Warehouse.open("postgresql://someone:s3cret@127.0.0.1:1/nowhere?connect_timeout=2")
    assert "s3cret" not in str(raised.value)
    assert "postgresql://someone@127.0.0.1:1/nowhere" in str(raised.value)


def test_the_warehouse_names_its_database_without_the_password(postgres_url: str) -> None:
    scheme, _, rest = postgres_url.partition("://")
    user, _, where = rest.partition("@")
    with Warehouse.open(f"{scheme}://{user.split(':')[0]}:pw@{where}", migrate=False) as warehouse:
        assert warehouse.backend_name == "postgres"
        assert "pw" not in str(warehouse.path)


def test_a_call_runs_one_statement(postgres_url: str) -> None:
    with Warehouse.open(postgres_url) as warehouse, pytest.raises(
            WarehouseError, match="Expected one SQL statement, got 2"):
        warehouse.execute("SELECT 1; SELECT 2")


def test_insert_or_replace_needs_a_primary_key(postgres_url: str) -> None:
    with Warehouse.open(postgres_url) as warehouse, pytest.raises(
            WarehouseError, match="INSERT OR REPLACE into nba_raw.schedule needs a primary key"):
        warehouse.execute("INSERT OR REPLACE INTO nba_raw.schedule (game_id) VALUES (?)", ["G1"])
