"""Reading the synthetic league's .csv.gz files in tests."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path


def read_rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
