"""A sim source with a chaos scenario's glitches: it fails the way the live sources fail (an empty
200, a 403 after a URL change, a quota run out, a renamed field, an outage), raising the same
errors the live adapters raise, so the diagnosis reads what it would read in production; or it
answers with wrong numbers (every counting stat doubled, or each stat mirrored across its line),
which only the results betray."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import assert_never

from nbaprops.errors import (
    EmptyPayloadError,
    FailureKind,
    QuotaExhaustedError,
    SourceBlockedError,
    SourceFailure,
    SourceSchemaError,
    SourceUnreachableError,
)
from nbaprops.reliability.chaos import GlitchKind, SourceGlitch
from nbaprops.sources.base import Row, Source
from nbaprops.sources.wrapper import SourceWrapper

# The box-score stat each prop market counts (pra, a sum, is left as it comes).
MARKET_STATS = {"points": "pts", "rebounds": "reb", "assists": "ast", "threes": "fg3m"}
# The counting stats of a box score: what an upstream aggregation bug doubles.
COUNTING_STATS = (
    "pts", "reb", "ast", "fg3m", "fg3a", "fgm", "fga", "ftm", "fta", "oreb", "dreb", "stl", "blk", "tov",
)


@dataclass
class GlitchLedger:
    """Calls per feed and each feed's first virtual time: shared by every source of one process."""

    calls: dict[str, int] = field(default_factory=dict)
    first: dict[str, datetime] = field(default_factory=dict)

    def count(self, feed: str, as_of: datetime) -> tuple[int, float]:
        """This call's number for `feed` (from 1) and its hours since the feed's first call."""
        self.calls[feed] = self.calls.get(feed, 0) + 1
        first = self.first.setdefault(feed, as_of)
        return self.calls[feed], (as_of - first).total_seconds() / 3600


class ChaosSource(SourceWrapper):
    """`inner` with `glitches` applied to the feeds they name."""

    def __init__(self, inner: Source, glitches: Sequence[SourceGlitch], ledger: GlitchLedger) -> None:
        super().__init__(inner)
        self._glitches = tuple(glitches)
        self._ledger = ledger

    def _fetch(self, feed: str, game_date: date, as_of: datetime) -> list[Row]:
        rows = super()._fetch(feed, game_date, as_of)
        glitches = [g for g in self._glitches if g.feed == feed]
        if not glitches:
            return rows
        call, hours = self._ledger.count(feed, as_of)
        for glitch in glitches:
            if glitch.active(call, hours):
                if glitch.kind is GlitchKind.INVERTED:
                    return inverted(rows, self._inner.prop_lines(game_date, as_of=as_of))
                if glitch.kind.distorts:
                    return distorted(glitch, rows)
                raise glitch_error(glitch, self.name, game_date)
        return rows


def distorted(glitch: SourceGlitch, rows: Sequence[Row]) -> list[Row]:
    """`rows` as a distorting `glitch` delivers them."""
    if glitch.kind is not GlitchKind.DOUBLED:
        raise ValueError(f"Glitch {glitch.kind} fails the call; it delivers no rows to distort.")
    return [{**row, **{k: row[k] * 2 for k in COUNTING_STATS if isinstance(row.get(k), int | float)}} for row in rows]


def inverted(rows: Sequence[Row], lines: Sequence[Row]) -> list[Row]:
    """`rows` with each player's stat of every market he is priced in mirrored across his median line
    (never below 0): a stat over the line comes in under it and the other way round."""
    quoted: dict[tuple[str, str], list[float]] = {}
    for line in lines:
        if line.get("line") is not None and line.get("market") in MARKET_STATS:
            quoted.setdefault((str(line["player_lookup"]), str(line["market"])), []).append(float(line["line"]))
    out = []
    for row in rows:
        changed = dict(row)
        for market, stat in MARKET_STATS.items():
            offered = sorted(quoted.get((str(row.get("player_lookup")), market), []))
            if offered and isinstance(row.get(stat), int | float):
                middle = offered[len(offered) // 2]
                changed[stat] = max(0, round(2 * middle - row[stat]))
        out.append(changed)
    return out


def glitch_error(glitch: SourceGlitch, source: str, game_date: date) -> SourceFailure:
    """The error a live adapter raises for `glitch`."""
    endpoint = f"{glitch.feed}/{game_date.isoformat()}"
    where = f"{source} {glitch.feed} for {game_date}"
    match glitch.kind:
        case GlitchKind.EMPTY:
            return EmptyPayloadError(
                f"{where}: 200 OK with an empty body.", kind=FailureKind.EMPTY, source=source, endpoint=endpoint,
                status_code=200,
            )
        case GlitchKind.FORBIDDEN:
            return SourceBlockedError(
                f"{where}: 403 Forbidden since the URL changed.", kind=FailureKind.BLOCKED, source=source,
                endpoint=endpoint, status_code=403,
            )
        case GlitchKind.QUOTA:
            return QuotaExhaustedError(
                f"{where}: request quota exhausted (0 left, reserve 50).", source=source, endpoint=endpoint,
                remaining=0, reserve=50,
            )
        case GlitchKind.RENAMED_FIELD:
            old, new = glitch.renamed or ("?", "?")
            return SourceSchemaError(
                f"{where}: field '{old}' is missing (renamed to '{new}' upstream).", source=source,
                endpoint=endpoint, field=old,
            )
        case GlitchKind.DOWN:
            return SourceUnreachableError(
                f"{where}: connection refused on every attempt.", kind=FailureKind.CONNECTION, source=source,
                endpoint=endpoint,
            )
        case GlitchKind.DOUBLED | GlitchKind.INVERTED:
            raise ValueError(f"Glitch {glitch.kind} delivers distorted rows; it raises no error.")
        case _:
            assert_never(glitch.kind)
