"""Shows `nbaprops sources check` for the closing note: `python -m tests.sources.show_sources_check`.

A loopback server answers each source's probe with its capture from `../shared/fixtures/sources/`
(The Odds API's `/v4/sports` and balldontlie's `/v1/teams` have none: small documents in their
documented shape), every source pointed at it through the environment
(`NBAPROPS_SOURCES__<NAME>__BASE_URL`, nba.com's `..._CDN_BASE_URL`, the keys). Runs the check, human
and `--json`, with every source up, then with nba.com answering 503. Loopback only, a fresh home.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.sources.loopback import Reply, serve
from tests.sources.test_probe import serve_all

SHARED_FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "sources"
NBAPROPS = Path(sys.executable).parent / "nbaprops"
SOURCES = ("NBACOM", "ESPN", "ODDS_API", "BETTINGPROS", "BALLDONTLIE")


def environment(base_url: str) -> dict[str, str]:
    env = {f"NBAPROPS_SOURCES__{name}__BASE_URL": base_url for name in SOURCES}
    env["NBAPROPS_SOURCES__NBACOM__CDN_BASE_URL"] = base_url
    env["NBAPROPS_SOURCES__ODDS_API__API_KEY"] = "sk-odds-loopback-0123456789"
    env["NBAPROPS_SOURCES__BALLDONTLIE__API_KEY"] = "bdl-loopback-0123456789"
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "COLUMNS": "150", **env}


def check(home: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(NBAPROPS), "--home", str(home), "sources", "check", *args], capture_output=True,
                          text=True, check=False, env=env)
    print(f"$ nbaprops sources check {' '.join(args)}".rstrip() + f"   # exit {done.returncode}")
    print(done.stdout.rstrip() or done.stderr.rstrip())
    print()


def main() -> None:
    with serve() as server, tempfile.TemporaryDirectory() as home_dir:
        serve_all(server, SHARED_FIXTURES)
        env = environment(server.base_url)
        print(f"# every source up (loopback {server.base_url})\n")
        check(Path(home_dir), env)
        check(Path(home_dir), env, "--json")
        server.route("/static/json/staticData/scheduleLeagueV2.json", Reply.status_only(503))
        print("# nba.com down: its schedule answers 503\n")
        check(Path(home_dir), env)
        check(Path(home_dir), env, "--json")


if __name__ == "__main__":
    main()
