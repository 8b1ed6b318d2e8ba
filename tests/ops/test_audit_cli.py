"""`nbaprops audit-deps` through the real console-script entry point."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ops.audit_tree import audit_cli, write_tree


def test_cli_json_on_the_fixture_exits_1() -> None:
    done = audit_cli("tests/fixtures/monorepo", "--json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert set(data) >= {"root", "ok", "services"}
    by_path = {s["path"]: s for s in data["services"]}
    assert sorted(by_path) == [
        "tests/fixtures/monorepo/services/api", "tests/fixtures/monorepo/services/scraper",
        "tests/fixtures/monorepo/services/scraper/nba_stats",
        "tests/fixtures/monorepo/services/worker",
    ]
    for service in data["services"]:
        assert {"path", "missing", "unused"} <= service.keys()
    assert by_path["tests/fixtures/monorepo/services/worker"]["missing"] == [
        "google-cloud-firestore"
    ]
    worker_missing = by_path["tests/fixtures/monorepo/services/worker"]["missing_imports"]
    assert worker_missing[0]["where"] == [
        "tests/fixtures/monorepo/services/worker/worker/main.py:8",
        "tests/fixtures/monorepo/services/worker/worker/store.py:3",
    ]
    assert by_path["tests/fixtures/monorepo/services/api"]["unused"] == ["httpx"]


def test_cli_human_output_has_tables_and_a_verdict() -> None:
    done = audit_cli("tests/fixtures/monorepo")
    assert done.returncode == 1
    assert "google-cloud-firestore" in done.stdout
    assert "worker/main.py:8" in done.stdout and "worker/store.py:3" in done.stdout
    assert "inside try/except ImportError" in done.stdout
    assert "broken.py:3" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith(
        "FAIL: 1 missing distribution in 1 of 4 services"
    )


def test_cli_exits_0_on_a_clean_repo(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "svc/requirements.txt": "PyYAML\ngunicorn\n",
        "svc/app.py": "import yaml\nimport os\n",
    })
    done = audit_cli("--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (service,) = json.loads(done.stdout)["services"]
    assert (service["path"], service["missing"], service["unused"]) == ("svc", [], [])
    assert service["allowlisted"] == [
        {"distribution": "gunicorn", "reason": "server run as a command"}
    ]
    human = audit_cli(str(tmp_path))
    assert human.returncode == 0
    assert human.stdout.strip().splitlines()[-1].startswith("OK: 1 service declare")


def test_cli_exclude_skips_a_folder() -> None:
    done = audit_cli("tests/fixtures/monorepo", "--exclude", "services/worker", "--json")
    assert done.returncode == 0, done.stderr
    assert all("worker" not in s["path"] for s in json.loads(done.stdout)["services"])


def test_cli_errors_exit_3_with_one_line(tmp_path: Path) -> None:
    done = audit_cli(str(tmp_path / "nope"))
    assert done.returncode == 2  # a usage error
    assert "Invalid value for 'PATH': dir" in done.stderr and "does not exist" in done.stderr
    write_tree(tmp_path, {"svc/requirements.txt": "requests 2.0\n"})
    done = audit_cli(str(tmp_path), "--json")
    assert done.returncode == 3
    assert "requirements.txt:1: 'requests 2.0' is not a valid requirement" in done.stderr
