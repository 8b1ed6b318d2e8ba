"""Live adapters' fixtures: the loopback server, clock and raw store come from tests/sources/conftest.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.sources.live.odds_api_payloads import odds_api_event_odds_built_from_props_player_threes

THREES_SNAPSHOT = "2024-25/props_player_threes/props_2025-01-10_player_threes.csv.gz"
THREES_GAME = "Golden State Warriors @ Indiana Pacers"
THREES_EVENT_ID = "c0ffee0000000000000000000000gsw1"


@pytest.fixture
def odds_api_event_odds_built_from_props_player_threes_2025_01_10(
    shared_data: Path, tmp_path: Path
) -> tuple[Path, dict[str, Any]]:
    """GSW @ IND on 2025-01-10 as The Odds API event odds, built from the real threes snapshot (no capture
    exists); written to tmp_path at test time, never committed. Returns the file and the document."""
    document = odds_api_event_odds_built_from_props_player_threes(
        shared_data / THREES_SNAPSHOT, game=THREES_GAME, event_id=THREES_EVENT_ID
    )
    path = tmp_path / "odds_api_event_odds_built_from_props_player_threes_2025-01-10.json"
    path.write_text(json.dumps(document))
    return path, document
