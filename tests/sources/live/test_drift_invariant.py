"""Whichever key of a captured payload goes missing (each in turn), a parser gives the same rows or names the field.

No KeyError or TypeError escapes and nothing is silently lost: removing a key the parser does
not need changes nothing, removing one it needs raises SourceSchemaError whose field ends with
that key.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from nbaprops.errors import SourceSchemaError
from nbaprops.sources.live import espn, nbacom
from nbaprops.sources.live.espn_boxscore import page_data

DAY = date(2024, 1, 15)
Path_ = tuple[str | int, ...]
Parse = Callable[[Any], list[dict[str, Any]]]


def key_paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every dict key under `node`, following the first item of each list."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from key_paths(value, (*prefix, key))
    elif isinstance(node, list) and node:
        yield from key_paths(node[0], (*prefix, 0))


def check_removal(document: dict[str, Any], path: Path_, parse: Parse) -> None:
    expected = parse(copy.deepcopy(document))
    changed = copy.deepcopy(document)
    parent: Any = changed
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    try:
        rows = parse(changed)
    except SourceSchemaError as error:
        assert str(path[-1]) in error.field, (path, error.field)
    else:
        assert rows == expected, f"removing {path} changed the rows silently"


def _espn_page(data: dict[str, Any]) -> str:
    return f"<html><script>window['__espnfitt__']={json.dumps(data)};</script></html>"


@pytest.fixture(scope="module")
def schedule_document(capture: Callable[[str], bytes]) -> dict[str, Any]:
    schedule = json.loads(capture("nbac_schedule_api"))["leagueSchedule"]
    return {"leagueSchedule": {**schedule, "gameDates": schedule["gameDates"][:2]}}


@pytest.fixture(scope="module")
def espn_scoreboard(capture: Callable[[str], bytes]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(capture("espn_scoreboard_api"))
    return document


@pytest.fixture(scope="module")
def espn_box(capture: Callable[[str], bytes]) -> dict[str, Any]:
    data = page_data(capture("espn_game_boxscore"))
    package = data["page"]["content"]["gamepackage"]
    keep = ("gmStrp", "prsdTms", "bxscr")
    return {"page": {"content": {"gamepackage": {key: package[key] for key in keep}}}}


def test_schedule(schedule_document: dict[str, Any]) -> None:
    paths = list(key_paths(schedule_document))
    assert len(paths) > 100
    for path in paths:
        check_removal(schedule_document, path, lambda document: [
            row for rows in nbacom.parse_season(document).values() for row in rows])


def test_espn_scoreboard(espn_scoreboard: dict[str, Any]) -> None:
    paths = [path for path in key_paths(espn_scoreboard) if path[0] == "events"]
    assert len(paths) > 100
    for path in paths:
        check_removal(espn_scoreboard, path, lambda document: espn.parse_scoreboard(document, game_date=DAY))


def test_espn_box_score(espn_box: dict[str, Any]) -> None:
    def parse(document: dict[str, Any]) -> list[dict[str, Any]]:
        page = _espn_page(document)
        return espn.parse_boxscore_players(page, game_date=DAY) + espn.parse_boxscore_teams(page, game_date=DAY)

    paths = list(key_paths(espn_box))
    assert len(paths) > 100
    for path in paths:
        check_removal(espn_box, path, parse)
