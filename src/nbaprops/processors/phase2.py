"""Phase 2: normalised raw tables for one game_date, pulled from the source as of the clock's now."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from nbaprops.processors.base import Processor, ProcessorContext, Rows


class SourceFeedProcessor(Processor):
    """Copies one source feed for a game_date into its nba_raw table, keeping only the table's columns.

    `source` is the row's own (a fallback chain names the source that served it), else the source's name.
    """

    phase: ClassVar[str] = "phase2"
    feed: ClassVar[str]

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        return None

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        fetch = getattr(ctx.source, self.feed)
        columns = ctx.warehouse.table_columns(self.output_table)
        source = ctx.source.name
        return [_project(row, columns, game_date, source) for row in fetch(game_date, as_of=ctx.clock.now())]


def _project(row: dict[str, Any], columns: list[str], game_date: date, source: str) -> dict[str, Any]:
    projected = {name: row.get(name) for name in columns}
    projected["game_date"] = game_date
    if "source" in projected:
        projected["source"] = row.get("source") or source
    return projected


class ScheduleProcessor(SourceFeedProcessor):
    name = "nbac_schedule"
    output_table = "nba_raw.schedule"
    inputs = ("source.schedule",)
    feed = "schedule"


class PlayerBoxscoresProcessor(SourceFeedProcessor):
    name = "nbac_player_boxscores"
    output_table = "nba_raw.player_boxscores"
    inputs = ("source.player_boxscores",)
    feed = "player_boxscores"


class TeamBoxscoresProcessor(SourceFeedProcessor):
    name = "nbac_team_boxscores"
    output_table = "nba_raw.team_boxscores"
    inputs = ("source.team_boxscores",)
    feed = "team_boxscores"

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        """Two team lines for every game of the date that has ended."""
        games = ctx.source.schedule(game_date, as_of=ctx.clock.now())
        return 2 * sum(1 for game in games if game.get("status") == "final")


class PropLinesProcessor(SourceFeedProcessor):
    name = "odds_player_props"
    output_table = "nba_raw.player_prop_lines"
    inputs = ("source.prop_lines",)
    feed = "prop_lines"


class InjuryReportProcessor(SourceFeedProcessor):
    name = "nbac_injury_report"
    output_table = "nba_raw.injury_report"
    inputs = ("source.injuries",)
    feed = "injuries"
