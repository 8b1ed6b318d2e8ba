from pathlib import Path

from tests.ingest.samples import (
    EXPORT_HEADER,
    EXPORT_ROW,
    PLAYER_LOG_HEADER,
    PLAYER_LOG_ROW,
    SNAPSHOT_HEADER,
    SNAPSHOT_ROW,
    line,
    write,
)

from nbaprops.ingest import ingest_paths
from nbaprops.warehouse import Warehouse


def test_props_load_after_box_scores_and_match_by_player_lookup_and_season(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    logs_2024_25 = write(tmp_path / "logs.csv", PLAYER_LOG_HEADER, [
        line(PLAYER_LOG_HEADER, PLAYER_LOG_ROW, player="Luka Doncic"),
        line(PLAYER_LOG_HEADER, PLAYER_LOG_ROW, player="Nic Claxton", date="2025-01-02"),
    ])
    export_2023_24 = write(tmp_path / "export.csv", EXPORT_HEADER, [
        line(EXPORT_HEADER, EXPORT_ROW, Player="Alex Sarr")])
    props = write(tmp_path / "props.csv", SNAPSHOT_HEADER, [
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, player="Luka Dončić"),
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, player="Luka Dončić", bookmaker="draftkings"),
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, player="Nicolas Claxton"),  # an alias
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, player="Alex Sarr"),  # only a 2023-24 box score
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, player="Zaccharie Risacher"),  # none at all
    ])
    order: list[str] = []
    report = ingest_paths(warehouse, [props, export_2023_24, logs_2024_25],
                          on_file=lambda r: order.append(r.path.name))
    assert order == ["export.csv", "logs.csv", "props.csv"]
    props_report = report.files[0]
    assert props_report.match_rate == 3 / 5
    assert props_report.unmatched_players == ["Alex Sarr", "Zaccharie Risacher"]
    assert [f.match_rate for f in report.files[1:]] == [None, None]
    assert report.to_json()["files"][0]["match_rate"] == 0.6


def test_a_prop_file_without_lines_has_no_match_rate(warehouse: Warehouse, tmp_path: Path) -> None:
    props = write(tmp_path / "props.csv", SNAPSHOT_HEADER,
                  [line(SNAPSHOT_HEADER, SNAPSHOT_ROW, over_odds="12", under_odds="")])
    report = ingest_paths(warehouse, [props])
    assert (report.files[0].status, report.files[0].rows_loaded, report.files[0].match_rate) == (
        "loaded", 0, None)
