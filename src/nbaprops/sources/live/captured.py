"""Replaying live days from the payloads they kept: the same adapters and chains, answered from `raw/`.

`StoredPayloadTransport` answers each request of a date from `<raw>/<source>/<date>/` by its URL
(path and query, secrets redacted: the host may differ from the live run's): the latest answer
kept for that URL on that date; a URL never kept there fails to connect, as a source that did
not answer. `CapturedReplaySource` serves a date with kept payloads through a LiveSource
over that transport, and every other date, or what nothing kept answers, from its fallback (the
ingested history).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from nbaprops.clock import VirtualClock
from nbaprops.config import SourcesConfig
from nbaprops.errors import ChainExhaustedError, FailureKind
from nbaprops.sources.base import Row, Source
from nbaprops.sources.live.chained import LiveSource
from nbaprops.sources.live.factory import KEYED_SOURCES, live_source
from nbaprops.sources.raw_store import META_SUFFIX, RawStore, StoredPayload, redact_url

# Headers of the original transfer, wrong for bytes kept decoded.
_TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
REPLAY_KEY = "replayed"
T = TypeVar("T")


def url_key(url: str) -> str:
    """What a kept URL is matched by: its path and query, without scheme, host or credentials."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def captured_dates(raw_dir: Path) -> set[date]:
    """The dates under which any source kept a complete payload of the pipeline (`sources check` probes aside)."""
    dates: set[date] = set()
    for folder in raw_dir.glob("*/*"):
        try:
            day = date.fromisoformat(folder.name)
        except ValueError:
            continue
        if any("-probe-" not in meta.name for meta in folder.glob(f"*{META_SUFFIX}")):
            dates.add(day)
    return dates


class StoredPayloadTransport(httpx.BaseTransport):
    """Answers requests from the payloads of `raw_dir` kept under `game_date`."""

    def __init__(self, raw_dir: Path, game_date: date) -> None:
        store = RawStore(raw_dir)
        self._kept = _latest_by_url(
            entry for source in _sources(raw_dir) for entry in store.entries(source, game_date))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key = url_key(redact_url(str(request.url)))
        stored = self._kept.get(key)
        if stored is None:
            raise httpx.ConnectError(f"no kept payload answers {key}", request=request)
        headers = {name: value for name, value in stored.meta["headers"].items() if name not in _TRANSFER_HEADERS}
        return httpx.Response(stored.meta["status_code"], headers=headers, content=stored.payload_path.read_bytes(),
                              request=request)


class _Discarded(RawStore):
    """A raw store that keeps nothing: a replay must not add to the payloads it replays."""

    def save(self, **payload: Any) -> StoredPayload:  # type: ignore[override]
        return StoredPayload(Path("/dev/null"), {})


def replayed_day(raw_dir: Path, game_date: date, config: SourcesConfig) -> LiveSource:
    """A LiveSource answered from what `raw_dir` kept of `game_date`: every source built (a missing key
    stands in), retries without waits, nothing kept again."""
    keyed = {name: getattr(config, name).model_copy(update={"api_key": SecretStr(REPLAY_KEY)})
             for name in KEYED_SOURCES if getattr(config, name).api_key is None}
    return live_source(
        config.model_copy(update=keyed), clock=VirtualClock(datetime.now(UTC)), raw_store=_Discarded(raw_dir),
        transport=StoredPayloadTransport(raw_dir, game_date),
    )


class CapturedReplaySource:
    """Replay: a date's data from the live payloads kept under it, through the live adapters; what nothing
    kept answers (every source of the chain unreachable: no payload for its URLs), from `fallback`."""

    name = "replay"

    def __init__(self, raw_dir: Path, fallback: Source, config: SourcesConfig) -> None:
        self._raw_dir = raw_dir
        self._fallback = fallback
        self._config = config
        self._captured = captured_dates(raw_dir)
        self._days: dict[date, LiveSource] = {}

    def _ask(self, game_date: date, ask: Callable[[Source], T]) -> T:
        if game_date not in self._captured:
            return ask(self._fallback)
        if game_date not in self._days:
            self._days[game_date] = replayed_day(self._raw_dir, game_date, self._config)
        try:
            return ask(self._days[game_date])
        except ChainExhaustedError as exhausted:
            if all(kind is FailureKind.CONNECTION for _, kind, _ in exhausted.failures):
                return ask(self._fallback)
            raise

    def game_dates(self, start: date, end: date) -> list[date]:
        kept = self._ask(end, lambda source: source.game_dates(start, end))
        return sorted(set(self._fallback.game_dates(start, end)) | set(kept))

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._ask(game_date, lambda source: source.schedule(game_date, as_of=as_of))

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._ask(game_date, lambda source: source.player_boxscores(game_date, as_of=as_of))

    def team_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._ask(game_date, lambda source: source.team_boxscores(game_date, as_of=as_of))

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._ask(game_date, lambda source: source.prop_lines(game_date, as_of=as_of))

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._ask(game_date, lambda source: source.injuries(game_date, as_of=as_of))

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        return self._ask(game_date, lambda source: source.expected_prop_players(game_date, markets=markets))

    def expected_player_games(self, game_date: date) -> int | None:
        return self._ask(game_date, lambda source: source.expected_player_games(game_date))

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        """Asked for the season before a game day (`end` + 1): that day's source answers."""
        return self._ask(end + timedelta(days=1), lambda source: source.games_played(start, end))


def _sources(raw_dir: Path) -> list[str]:
    return sorted(folder.name for folder in raw_dir.iterdir() if folder.is_dir()) if raw_dir.is_dir() else []


def _latest_by_url(entries: Any) -> dict[str, StoredPayload]:
    latest: dict[str, StoredPayload] = {}
    for entry in entries:
        key = url_key(entry.meta["url"])
        if key not in latest or entry.meta["fetched_utc"] >= latest[key].meta["fetched_utc"]:
            latest[key] = entry
    return latest
