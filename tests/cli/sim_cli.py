"""Running the real `nbaprops` console script against a home holding a small synthetic league."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nbaprops.home import Home

NBAPROPS = Path(sys.executable).parent / "nbaprops"
CONFIG = '[predictions]\nmarkets = ["points", "threes"]\nmin_history_games = 2\n'


def cli(home: Home, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NBAPROPS), "--home", str(home.root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )
