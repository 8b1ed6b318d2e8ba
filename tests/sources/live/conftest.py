"""Captured live responses from ../shared/fixtures/sources, read as the HTTP layer would hand them over."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def read_capture(shared_fixtures: Path, folder: str) -> bytes:
    """The body of the one capture in `folder`, un-gzipped (HTTP clients decode content-encoding)."""
    (path,) = sorted((shared_fixtures / folder).glob("raw_*"))
    body = path.read_bytes()
    return gzip.decompress(body) if path.suffix == ".gz" else body


@pytest.fixture(scope="session")
def capture(shared_fixtures: Path) -> Callable[[str], bytes]:
    return lambda folder: read_capture(shared_fixtures, folder)


@pytest.fixture(scope="session")
def capture_json(capture: Callable[[str], bytes]) -> Callable[[str], dict[str, Any]]:
    """A fresh decoded copy each call, so a test may change it (drift cases)."""
    return lambda folder: json.loads(capture(folder))
