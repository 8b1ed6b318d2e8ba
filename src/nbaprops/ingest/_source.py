"""Reading one CSV file (plain or gzip) into a header and physical lines."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from nbaprops.errors import IngestError

GZIP_MAGIC = b"\x1f\x8b"
SUFFIXES = (".csv", ".csv.gz")


@dataclass(frozen=True)
class Record:
    """One data line: its physical line number (the header is line 1), fields and text.

    `problem` says why the line cannot even be split into fields (then `fields` is empty).
    """

    line_number: int
    fields: list[str]
    raw_line: str
    problem: str | None = None


@dataclass(frozen=True)
class SourceFile:
    """A file read whole: where it is, its header and its data lines."""

    path: Path
    header: list[str]
    records: list[Record]


def is_csv_path(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES)


def check_readable(path: Path) -> None:
    """IngestError when `path` is no existing .csv / .csv.gz file (its bytes are not read)."""
    if not path.exists():
        raise IngestError(f"{path} does not exist; check the path.")
    if not path.is_file():
        raise IngestError(f"{path} is not a file; pass a .csv or .csv.gz file or a folder of them.")
    if not is_csv_path(path):
        raise IngestError(f"{path} is not a .csv or .csv.gz file; only CSV files can be ingested.")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an IngestError that says why they cannot be read."""
    check_readable(path)
    try:
        return path.read_bytes()
    except OSError as e:
        raise IngestError(f"{path} cannot be read ({e.strerror}); check its permissions.") from e


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(path: Path, data: bytes) -> str:
    """The text of a file: gunzipped when named .gz, UTF-8 (a BOM is dropped)."""
    if path.name.lower().endswith(".gz"):
        if not data.startswith(GZIP_MAGIC):
            raise IngestError(
                f"{path} is named .gz but is not gzip data; rename it to .csv if it is plain text, "
                "or compress it with gzip."
            )
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise IngestError(
                f"{path} is a damaged or truncated gzip file ({e}); fetch or compress it again."
            ) from e
    if b"\x00" in data.lstrip().split(b"\n", 1)[0]:
        raise IngestError(f"{path} holds binary data (NUL bytes), not CSV text; check the file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise IngestError(
            f"{path} is not UTF-8 text (bad byte at offset {e.start}); it may be binary or in "
            "another encoding: re-save it as UTF-8 CSV."
        ) from e


def split_fields(line: str) -> list[str]:
    """The fields of one physical line; a quote never reaches past its own line."""
    line = line.rstrip("\r\n")
    if '"' not in line:
        return line.split(",")
    return next(csv.reader([line]), [])


def _record(line_number: int, line: str) -> Record:
    raw_line = line.rstrip("\r\n")
    if "\x00" in raw_line:
        return Record(line_number, [], raw_line, problem="the line holds a NUL character")
    try:
        return Record(line_number, split_fields(line), raw_line)
    except csv.Error as e:  # e.g. a field longer than the csv module's limit
        return Record(line_number, [], raw_line, problem=f"the line cannot be split ({e})")


def parse(path: Path, data: bytes) -> SourceFile:
    """Split a file into its header and data lines; blank lines are skipped.

    Each physical line is one record, so a damaged line (a stray quote, a truncated row)
    can only spoil itself and line numbers stay exact.
    """
    text = decode(path, data)
    header: list[str] | None = None
    records: list[Record] = []
    for line_number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if not line.strip():
            continue
        if header is None:
            header = [name.strip() for name in _record(line_number, line).fields]
            continue
        records.append(_record(line_number, line))
    if header is None:
        raise IngestError(f"{path} is empty (no header line); ingest a CSV file with a header row.")
    return SourceFile(path=path, header=header, records=records)


def read_header(path: Path) -> list[str] | None:
    """The header of a file, or None when it cannot be read (ingesting it will say why)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            for line in handle:
                if line.strip():
                    return [name.strip() for name in split_fields(line)]
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error):
        return None
    return None
