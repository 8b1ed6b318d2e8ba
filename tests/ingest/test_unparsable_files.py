import gzip
from pathlib import Path

import pytest
from tests.ingest.samples import SNAPSHOT_HEADER, SNAPSHOT_ROW, line, write

from nbaprops.errors import IngestError
from nbaprops.ingest import ingest_file, ingest_paths, nothing_to_ingest
from nbaprops.warehouse import Warehouse

TABLES = ("history_games", "history_team_boxscores", "history_player_boxscores",
          "history_prop_lines", "history_injuries", "quarantine", "ingested_files")
GOOD_TEXT = f"{SNAPSHOT_HEADER}\n{line(SNAPSHOT_HEADER, SNAPSHOT_ROW)}\n".encode()

UNPARSABLE = [
    # file name           content                                       message
    ("empty.csv", b"", "is empty \\(no header line\\); ingest a CSV file with a header row"),
    ("blank.csv", b"\n \n\r\n", "is empty \\(no header line\\)"),
    ("empty.csv.gz", gzip.compress(b"", mtime=0), "is empty \\(no header line\\)"),
    ("plain.csv.gz", GOOD_TEXT, "is named .gz but is not gzip data; rename it to .csv"),
    ("cut.csv.gz", gzip.compress(GOOD_TEXT * 50, mtime=0)[:60], "is a damaged or truncated gzip file"),
    ("binary.csv", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "holds binary data \\(NUL bytes\\)"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not UTF-8 text .* may be binary"),
    ("latin1.csv", GOOD_TEXT + "Nikola Jokić Peñaflor".encode("cp1250", "replace"),
     "is not UTF-8 text \\(bad byte at offset \\d+\\); .* re-save it as UTF-8 CSV"),
    ("unknown.csv", b"a,b\n1,2\n", "cannot be ingested: The header 'a,b' matches no known layout"),
    ("headless.csv", line(SNAPSHOT_HEADER, SNAPSHOT_ROW).encode() + b"\n",
     "cannot be ingested: The header 'Jalen Brunson,New York Knicks @ Utah Jazz"),
    ("notes.txt", GOOD_TEXT, "is not a .csv or .csv.gz file; only CSV files can be ingested"),
]


def _counts(warehouse: Warehouse) -> dict[str, int]:
    return {t: warehouse.scalar(f"SELECT count(*) FROM nba_raw.{t}") for t in TABLES}


@pytest.mark.parametrize(("name", "content", "message"), UNPARSABLE)
def test_unparsable_file_raises_and_writes_nothing(
    warehouse: Warehouse, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = _counts(warehouse)
    with pytest.raises(IngestError, match=message) as raised:
        ingest_file(warehouse, path)
    assert str(path) in str(raised.value)
    assert _counts(warehouse) == before


def test_missing_file_raises(warehouse: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="missing.csv does not exist; check the path"):
        ingest_file(warehouse, tmp_path / "missing.csv")


def test_a_file_that_turns_unparsable_keeps_its_earlier_rows(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "props.csv"
    path.write_bytes(GOOD_TEXT)
    ingest_file(warehouse, path)
    before = _counts(warehouse)
    path.write_bytes(b"\x00\x01garbage")
    with pytest.raises(IngestError, match="holds binary data"):
        ingest_file(warehouse, path)
    assert _counts(warehouse) == before
    assert before["history_prop_lines"] == 1


def test_ingest_paths_reports_failed_files_and_loads_the_rest(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    good = write(folder / "a_good.csv", SNAPSHOT_HEADER, [line(SNAPSHOT_HEADER, SNAPSHOT_ROW)])
    (folder / "b_bad.csv").write_bytes(b"a,b\n1,2\n")
    (folder / "notes.md").write_text("not data")
    empty = tmp_path / "empty_folder"
    empty.mkdir()
    seen: list[str] = []
    report = ingest_paths(warehouse, [folder, empty, tmp_path / "gone.csv"],
                          on_file=lambda r: seen.append(r.path.name))
    assert [(f.path.name, f.status) for f in report.files] == [
        ("a_good.csv", "loaded"), ("b_bad.csv", "failed"), ("empty_folder", "failed"),
        ("gone.csv", "failed"),
    ]
    assert sorted(seen) == ["a_good.csv", "b_bad.csv", "empty_folder", "gone.csv"]
    assert not report.ok
    assert report.files[0].path == good.resolve()
    assert "matches no known layout" in (report.files[1].error or "")
    assert report.files[2].error == f"{empty} holds no .csv or .csv.gz file; check the folder."
    totals = report.to_json()["totals"]
    assert totals == {"files": 4, "loaded": 1, "unchanged": 0, "failed": 3, "rows_loaded": 1,
                      "rows_quarantined": 0}


@pytest.mark.parametrize("name", ["header_only.csv", "header_only.csv.gz", "blank_rows.csv"])
def test_a_header_without_rows_is_no_rows_and_writes_nothing(
    warehouse: Warehouse, tmp_path: Path, name: str
) -> None:
    path = write(tmp_path / name, SNAPSHOT_HEADER, ["", " "] if name.startswith("blank") else [])
    before = _counts(warehouse)
    report = ingest_paths(warehouse, [path])
    assert (report.files[0].status, report.files[0].format, report.ok) == (
        "no rows", "odds_player_snapshot", False)
    assert _counts(warehouse) == before


def test_nothing_to_ingest_tells_unreadable_paths_without_a_warehouse(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    report = nothing_to_ingest([tmp_path / "gone.csv", tmp_path / "empty", tmp_path / "notes.txt"])
    assert report is not None
    assert [(f.path.name, f.status) for f in report.files] == [
        ("gone.csv", "failed"), ("empty", "failed"), ("notes.txt", "failed")]
    assert [f.error for f in report.files] == [
        f"{tmp_path / 'gone.csv'} does not exist; check the path.",
        f"{tmp_path / 'empty'} holds no .csv or .csv.gz file; check the folder.",
        f"{tmp_path / 'notes.txt'} is not a .csv or .csv.gz file; only CSV files can be ingested.",
    ]
    good = write(tmp_path / "good.csv", SNAPSHOT_HEADER, [line(SNAPSHOT_HEADER, SNAPSHOT_ROW)])
    assert nothing_to_ingest([tmp_path / "gone.csv", good]) is None
