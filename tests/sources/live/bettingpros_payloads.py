"""BettingPros prop offers built from a real snapshot: no captured `/v3/offers` response exists.

`../shared/fixtures/sources/` holds BettingPros events (`bp_events/`, 2021-10-21) and no offers. These
helpers lay the real lines of one game of a `../shared/data/2024-25/props_player_threes/` snapshot out
in the offers shape `nbaprops.sources.live.bettingpros.parse_offers` reads (offers[] -> participants[],
selections[] over/under -> books[] -> lines[] with line, cost, main, active, updated), one offer per
player, paged by `_pagination`; and rewrite the captured events document to that game. Books
BettingPros has no id for in `bettingpros.BOOKS` (betonlineag, bovada) are left out. Built at test
time from `../shared/data`, never committed: the builder is ours, the lines are the snapshot's.
"""

from __future__ import annotations

import copy
import csv
import gzip
import math
from pathlib import Path
from typing import Any

from nbaprops.sources.live.bettingpros import BOOKS, MARKET_IDS

SNAPSHOT_UPDATED = "2025-01-10 20:00:00"  # the snapshot's README: "about 20:00 UTC"
BOOK_IDS = {key: book_id for book_id, key in BOOKS.items()}


def snapshot_lines(csv_path: Path, *, game: str) -> list[dict[str, str]]:
    """The snapshot's lines of `game` ("Away Team @ Home Team") at books BettingPros lists, in file order."""
    with gzip.open(csv_path, "rt", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["game"] == game and row["bookmaker"] in BOOK_IDS]
    if not rows:
        raise ValueError(f"{csv_path.name} has no line of {game!r} at a BettingPros book")
    return rows


def bettingpros_offers_built_from_props_player_threes(
    csv_path: Path, *, game: str, event_id: int, page_size: int
) -> list[dict[str, Any]]:
    """The offers pages (market threes) of `game` in the props_player_threes file `csv_path`, `page_size`
    offers (players) a page; the consensus book 0 on each side, as BettingPros lists it (parsing skips it)."""
    players: dict[str, list[dict[str, str]]] = {}
    for row in snapshot_lines(csv_path, game=game):  # columns by name: the files come in four header variants
        players.setdefault(row["player"], []).append(row)
    offers = [_offer(event_id, index, name, lines) for index, (name, lines) in enumerate(players.items())]
    pages = math.ceil(len(offers) / page_size)
    return [
        {"offers": offers[page * page_size:(page + 1) * page_size],
         "_pagination": {"page": page + 1, "limit": page_size, "total_pages": pages, "total_items": len(offers)}}
        for page in range(pages)
    ]


def _offer(event_id: int, index: int, player: str, lines: list[dict[str, str]]) -> dict[str, Any]:
    def side(name: str, column: str) -> dict[str, Any]:
        books = [{"id": 0, "lines": [{"line": float(lines[0]["line"]), "cost": int(float(lines[0][column])),
                                      "main": True, "active": True}]}]
        books += [
            {"id": BOOK_IDS[row["bookmaker"]], "lines": [
                {"line": float(row["line"]), "cost": int(float(row[column])), "main": True, "active": True,
                 "updated": SNAPSHOT_UPDATED}]}
            for row in lines if row[column].strip()
        ]
        return {"selection": name, "label": name.title(), "books": books}

    return {
        "event_id": event_id, "market_id": MARKET_IDS["threes"],
        "participants": [{"id": str(9000 + index), "name": player, "type": "person", "player": {}}],
        "selections": [side("over", "over_odds"), side("under", "under_odds")],
    }


def bettingpros_events_rewritten_to(
    captured: dict[str, Any], *, event_id: int, home: str, visitor: str, scheduled: str, season: int
) -> dict[str, Any]:
    """The captured events document cut to its first event, rewritten to one coming game."""
    document = copy.deepcopy(captured)
    event = document["events"][0]
    event.update(id=event_id, home=home, visitor=visitor, scheduled=scheduled, season=season, status="scheduled",
                 season_type="REG")
    document["events"] = [event]
    document["_parameters"]["date"] = scheduled[:10]
    return document
