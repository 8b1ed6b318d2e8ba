"""Config history: the canonical hash, the TOML a config is written back as, diffs, the store, rollback."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.config import Settings, load_settings
from nbaprops.errors import UsageError
from nbaprops.ops.config_history import (
    REDACTED,
    ConfigChange,
    canonical_json,
    config_history,
    diff_configs,
    plan_rollback,
    read_config_file,
    record_config,
    snapshot,
    stored_config,
    to_toml,
    write_rollback,
)
from nbaprops.warehouse import Warehouse

CHANGED = """
[predictions]
edge_threshold = 0.05
markets = ["points", "threes"]

[sources.odds_api]
api_key = "current-odds-key"

[sources.chains]
props = ["odds_api"]

[health]
daily_at_utc = "14:00"

[[alerting.channels]]
name = "hook"
url = "json://ops:hook-pass@127.0.0.1:9/hook"
min_severity = "info"

[[orchestration.worker.schedules]]
mode = "same_day"
hour_utc = 16.5
"""


def settings_from(tmp_path: Path, text: str, name: str = "nbaprops.toml") -> Settings:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def test_the_hash_is_the_sha256_of_the_redacted_settings_in_canonical_form() -> None:
    config = snapshot(Settings())
    assert config.hash == hashlib.sha256(canonical_json(config.data).encode()).hexdigest()
    assert config.toml_text == ""  # the defaults: nothing differs


def test_secrets_are_redacted_before_hashing_so_a_key_rotation_is_no_change(tmp_path: Path) -> None:
    one = snapshot(settings_from(tmp_path, '[sources.odds_api]\napi_key = "s3cr3t-one"\n'))
    two = snapshot(settings_from(tmp_path, '[sources.odds_api]\napi_key = "second"\n'))
    assert one.hash == two.hash
    assert one.data["sources"]["odds_api"]["api_key"] == REDACTED
    assert "s3cr3t" not in canonical_json(one.data) + one.toml_text
    assert snapshot(settings_from(tmp_path, "[predictions]\nedge_threshold = 0.05\n")).hash != snapshot(Settings()).hash


json_scalars = st.one_of(st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                         st.text(max_size=12))
keys = st.text(min_size=1, max_size=8)
tables = st.recursive(
    st.dictionaries(keys, st.one_of(json_scalars, st.lists(json_scalars, max_size=3)), max_size=4),
    lambda inner: st.dictionaries(keys, st.one_of(inner, st.lists(inner.filter(bool), min_size=1, max_size=2)),
                                  max_size=3),
    max_leaves=12,
)


@given(tables)
def test_toml_text_reads_back_as_the_same_data(data: dict[str, Any]) -> None:
    assert tomllib.loads(to_toml(data)) == _without_empty_tables(data)


def _without_empty_tables(data: dict[str, Any]) -> dict[str, Any]:
    # An empty table writes nothing (its header would be noise); everything else reads back (tables inside
    # an array of tables are written inline, so even empty ones).
    result: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            inner = _without_empty_tables(value)
            if inner:
                result[key] = inner
        else:
            result[key] = value
    return result


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"a": {"b": 1}}, {"a": {"b": 1}}, []),
        ({"a": {"b": 1}}, {"a": {"b": 2}}, [ConfigChange("a.b", 1, 2)]),
        ({"a": {"b": [1, 2]}}, {"a": {"b": [2]}}, [ConfigChange("a.b", [1, 2], [2])]),
        ({"a": {}}, {"a": {"c": True}}, [ConfigChange("a", {}, None), ConfigChange("a.c", None, True)]),
        ({"x": None, "y": 1}, {"x": "v", "y": 1}, [ConfigChange("x", None, "v")]),
    ],
)
def test_diff_lists_changed_dotted_keys(old: dict[str, Any], new: dict[str, Any], expected: list[ConfigChange]) -> None:
    assert diff_configs(old, new) == expected


def test_the_store_keeps_each_config_once_and_finds_it_by_a_unique_prefix(warehouse: Warehouse) -> None:
    default, changed = snapshot(Settings()), snapshot(Settings(predictions={"edge_threshold": 0.05}))
    record_config(warehouse, default)
    record_config(warehouse, changed)
    record_config(warehouse, default)
    uses = config_history(warehouse)
    assert [use.hash for use in uses] == [default.hash, changed.hash]
    assert uses[0].last_seen_at >= uses[1].first_seen_at and uses[0].runs == 0
    assert stored_config(warehouse, default.hash[:8].upper()).data == default.data
    with pytest.raises(UsageError, match="matches no stored config; `nbaprops config history` lists them"):
        stored_config(warehouse, "0" * 64 if not default.hash.startswith("0") else "f" * 64)
    with pytest.raises(UsageError, match="'zz' is not a config hash"):
        stored_config(warehouse, "zz")
    # 17 configs: by pigeonhole two share a first hex digit, which then names no single config.
    hashes = [snapshot(Settings(predictions={"edge_threshold": 0.01 * n})).hash for n in range(17)]
    for n in range(17):
        record_config(warehouse, snapshot(Settings(predictions={"edge_threshold": 0.01 * n})))
    shared = next(c for c in "0123456789abcdef" if sum(h.startswith(c) for h in set(hashes) | {changed.hash}) >= 2)
    with pytest.raises(UsageError, match="matches [0-9]+ configs .*; give more digits"):
        stored_config(warehouse, shared)


def test_rollback_writes_the_stored_config_back_keeping_the_current_secrets(tmp_path: Path) -> None:
    target = snapshot(settings_from(tmp_path, CHANGED, "old.toml"))
    home_file = tmp_path / "nbaprops.toml"
    home_file.write_text(
        '[sources.odds_api]\napi_key = "rotated-key"\n'
        '[[alerting.channels]]\nname = "hook"\nurl = "json://ops:new-pass@127.0.0.1:9/hook"\n', encoding="utf-8")
    plan = plan_rollback(target, read_config_file(home_file))
    assert plan.kept_secrets == ["sources.odds_api.api_key", "alerting.channels.0.url"]
    assert plan.missing_secrets == [] and plan.unwritable == []
    backup = write_rollback(home_file, plan)
    assert backup is not None and "rotated-key" in backup.read_text() and backup.name.startswith("nbaprops.toml.bak-")
    restored = load_settings(home_file)
    assert snapshot(restored).hash == target.hash
    assert restored.sources.odds_api.api_key is not None
    assert restored.sources.odds_api.api_key.get_secret_value() == "rotated-key"
    assert restored.alerting.channels[0].url.get_secret_value().endswith("new-pass@127.0.0.1:9/hook")


def test_rollback_says_which_secrets_the_current_file_lacks(tmp_path: Path) -> None:
    old = '[sources.odds_api]\napi_key = "k"\n[predictions]\nedge_threshold = 0.06\n'
    target = snapshot(settings_from(tmp_path, old, "old.toml"))
    plan = plan_rollback(target, {})
    assert plan.missing_secrets == ["sources.odds_api.api_key"]
    assert tomllib.loads(plan.text) == {"predictions": {"edge_threshold": 0.06}}
    assert write_rollback(tmp_path / "fresh.toml", plan) is None  # no current file: nothing to back up
