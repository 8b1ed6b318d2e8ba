"""Building small repositories for the dependency audit's tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED_MONOREPO = REPO / "tests" / "fixtures" / "shared-monorepo"
NBAPROPS = Path(sys.executable).parent / "nbaprops"


def audit_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`nbaprops audit-deps ARGS` through the installed console script, as a user runs it."""
    return subprocess.run(
        [str(NBAPROPS), "audit-deps", *args], cwd=cwd, capture_output=True, text=True,
        timeout=60, check=False, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` ({relative path: text}) under `root`; returns `root`."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def git_checkout_of_shared_monorepo(tmp_path: Path) -> Path:
    """A copy of the shared-monorepo fixture as its own repository (`.git` at its root).

    Symlinks are copied as symlinks, so the copy has the real `services/ingest/shared` link.
    """
    root = tmp_path / "monorepo"
    shutil.copytree(SHARED_MONOREPO, root, symlinks=True)
    (root / ".git").mkdir()
    return root
