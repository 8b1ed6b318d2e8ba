"""Configuration: `nbaprops.toml` in the home, overridden by `NBAPROPS_<SECTION>__<KEY>` variables
(list entries too, see `config_overrides`).

Every default lives here, documented where it is declared. Sections that belong to one part of
the pipeline are declared next to the part that reads them and composed here.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

from nbaprops.alerting.config import AlertingConfig
from nbaprops.config_base import Section
from nbaprops.config_overrides import ENV_DELIMITER, ENV_PREFIX, FileWithEnvOverrides, env_name
from nbaprops.errors import ConfigError
from nbaprops.ops.digest_config import DigestConfig
from nbaprops.ops.health_config import HealthConfig
from nbaprops.ops.usage_config import UsageConfig
from nbaprops.orchestration.settings import (
    GatesConfig,
    ModesConfig,
    OutageConfig,
    RetryPolicy,
    StuckConfig,
    WorkerConfig,
)
from nbaprops.orchestration.windows_settings import WindowsConfig
from nbaprops.predictions.picks_config import PicksConfig
from nbaprops.predictions.systems_config import SystemsConfig
from nbaprops.reliability.config import ChaosConfig, ReliabilityConfig, SloConfig

Market = Literal["points", "rebounds", "assists", "threes", "pra"]
ALL_MARKETS: tuple[Market, ...] = ("points", "rebounds", "assists", "threes", "pra")


class WarehouseConfig(Section):
    """The warehouse: the embedded DuckDB file in the home, or a PostgreSQL database."""

    url: str | None = Field(
        None, pattern=r"^postgres(ql)?://",
        description="A postgresql:// URL puts the warehouse's five schemas in that (existing) PostgreSQL "
        "database instead of the home's warehouse.duckdb; the same migrations and SQL run there. "
        "None: the embedded DuckDB file.",
    )

    threads: int | None = Field(
        1, ge=1,
        description="DuckDB worker threads; the pipeline runs many small queries, for which one thread measured "
        "about 20% faster than two on a 2-core machine. None: DuckDB's default (one per core).",
    )


class ReplayConfig(Section):
    """How recorded history is served as if it were arriving live."""

    line_lead_hours: float = Field(
        3.0, ge=0, le=48,
        description="A prop line without a snapshot time becomes visible this many hours before tip-off.",
    )
    game_duration_hours: float = Field(
        3.0, gt=0, le=12, description="Box scores become visible this long after tip-off."
    )
    default_tipoff_hour_et: float = Field(
        19.0, ge=0, lt=24, description="Tip-off hour (US Eastern) assumed when a game has no recorded time."
    )


class SyntheticConfig(Section):
    """The deterministic synthetic league used by the demo and by tests."""

    seed: int = Field(7, description="Same seed, same league, same season, same lines.")
    teams: int = Field(30, ge=2, le=30)
    players_per_team: int = Field(15, ge=8, le=20)
    season_start: str = Field("2024-10-22", description="First game day, YYYY-MM-DD.")
    late_line_share: float = Field(
        0.08, ge=0, le=1, description="Share of game days whose lines are published late (after the usual hour)."
    )
    vig: float = Field(0.045, ge=0, le=0.2, description="Bookmaker margin over a fair two-way market.")


class PredictionConfig(Section):
    """Prediction systems and the recommendation against the offered line."""

    markets: list[Market] = Field(default_factory=lambda: list(ALL_MARKETS))
    bookmaker_preference: list[str] = Field(
        default_factory=lambda: ["draftkings", "fanduel", "betmgm", "williamhill_us"],
        description="Books (The Odds API keys) tried in order for the offered line; "
        "the consensus (median) line is the fallback.",
    )
    edge_threshold: float = Field(
        0.04, ge=0, lt=0.5, description="Minimum p(side) minus the vig-free market probability to recommend a side."
    )
    min_history_games: int = Field(5, ge=1, description="Fewer past games than this: no prediction for the player.")
    gbm_retrain_days: int = Field(14, ge=1, description="Walk-forward cadence of the LightGBM retrain.")
    parallel_markets: int = Field(
        1, ge=1, le=8, description="Markets Phase 5 predicts at once, each on a warehouse connection of its own "
        "(1: one after another). The markets share nothing, so the rows are the same either way. On DuckDB, 2 "
        "took a sixth off Phase 5 of two markets and added a fifth to the peak memory."
    )
    carry_over_games: float = Field(
        10.0, ge=0, description="Games of this season's average that last season's (regressed) rate is worth "
        "in a player's form; from a season's first day it is his whole form (0: no carry-over)."
    )
    prior_regression_games: float = Field(
        10.0, ge=0, description="Games of the league mean that last season's per-player rate is regressed toward."
    )
    market_adjustment_l2: float = Field(
        2000.0, ge=0, description="Ridge penalty shrinking the market-anchored system's learned adjustment "
        "toward the market (0: unshrunk)."
    )
    market_adjustment_min_rows: int = Field(
        300, ge=1, description="Fewer earlier graded rows than this: the market-anchored system is the market."
    )
    calibration_days: int = Field(
        60, ge=1, description="Graded days before the prediction date that fit the market blend weight."
    )
    calibration_min_rows: int = Field(
        200, ge=1, description="Fewer graded rows than this: use calibration_prior_weight."
    )
    calibration_prior_weight: float = Field(
        0.5, ge=0, le=1, description="Weight of the system's p_over against the market's until enough history."
    )


class SourceRetryConfig(Section):
    """Retries of one live source: only 429, 5xx, timeouts and connection errors are retried."""

    max_attempts: int = Field(4, ge=1, le=10, description="Tries in all, the first one included.")
    backoff_initial_seconds: float = Field(1.0, ge=0, description="Wait before the second try; doubles each try.")
    backoff_max_seconds: float = Field(30.0, ge=0, description="Cap of one exponential wait, jitter included.")
    jitter_seconds: float = Field(1.0, ge=0, description="Up to this much random wait added to each backoff.")
    retry_after_max_seconds: float = Field(
        120.0, ge=0, description="A 429 whose Retry-After asks for longer than this fails at once instead of waiting."
    )


class BreakerConfig(Section):
    """The circuit breaker of one live source: shared by every process through the orchestration database.

    A call is one `SourceClient.get`, its retries included. Counted are the failures that say the source is
    down or refuses us; a bad request (ours is wrong), an empty or drifted payload (it answered) and the
    quota reserve (it has its own stop) are not, and count as an answer.
    """

    fail_max: int = Field(5, ge=1, description="Counted failures in a row that open the breaker.")
    reset_timeout_seconds: float = Field(
        300.0, gt=0, description="How long an open breaker refuses calls before letting one probe through."
    )
    counted_failures: list[Literal[
        "timeout", "connection", "rate_limited", "server_error", "auth", "blocked", "moved", "bad_request",
        "unexpected_status", "empty", "schema_drift", "quota_exhausted",
    ]] = Field(
        ["timeout", "connection", "rate_limited", "server_error", "auth", "blocked", "moved", "unexpected_status"],
        description="Failure kinds that count towards fail_max.",
    )


class SourceEndpointConfig(Section):
    """Where one live source answers, its key and its patience."""

    base_url: str = Field(description="Scheme and host (and path prefix) every request of the source starts with.")
    api_key: SecretStr | None = Field(None, description="Redacted in `config show` and in stored payload URLs.")
    connect_timeout_seconds: float = Field(5.0, gt=0)
    read_timeout_seconds: float = Field(20.0, gt=0)
    retry: SourceRetryConfig = Field(default_factory=SourceRetryConfig)
    breaker: BreakerConfig = Field(default_factory=BreakerConfig)


class NbaComSourceConfig(SourceEndpointConfig):
    base_url: str = "https://stats.nba.com"
    cdn_base_url: str = Field("https://cdn.nba.com", description="The static schedule (scheduleLeagueV2).")
    injury_report_base_url: str = Field(
        "https://ak-static.cms.nba.com", description="The injury report PDFs (/referee/injury/...)."
    )


class EspnSourceConfig(SourceEndpointConfig):
    base_url: str = "https://site.api.espn.com"
    web_base_url: str = Field("https://www.espn.com", description="The game box score pages.")


class OddsApiSourceConfig(SourceEndpointConfig):
    base_url: str = "https://api.the-odds-api.com"
    quota_reserve_requests: int = Field(
        100, ge=0, description="Stop polling (QuotaExhaustedError) once x-requests-remaining falls under this."
    )
    regions: str = Field("us", description="Bookmaker regions asked for (The Odds API `regions`).")


class BettingProsSourceConfig(SourceEndpointConfig):
    base_url: str = "https://api.bettingpros.com"


class BallDontLieSourceConfig(SourceEndpointConfig):
    base_url: str = "https://api.balldontlie.io"
    per_page: int = Field(100, ge=1, le=100, description="Page size of cursor-paginated lists.")


BoxScoreSource = Literal["nbacom", "espn", "balldontlie"]
ScheduleSource = Literal["nbacom", "espn", "balldontlie"]
PropsSource = Literal["odds_api", "bettingpros"]
InjuriesSource = Literal["nbacom", "balldontlie"]


class SourceChainsConfig(Section):
    """Fallback order per data kind: the first source that answers serves; one that cannot serve the kind is refused."""

    box_scores: list[BoxScoreSource] = Field(
        ["nbacom", "espn", "balldontlie"], min_length=1, description="Player and team box scores."
    )
    schedule: list[ScheduleSource] = Field(["nbacom", "espn"], min_length=1, description="The day's games.")
    props: list[PropsSource] = Field(["odds_api", "bettingpros"], min_length=1, description="Prop line snapshots.")
    injuries: list[InjuriesSource] = Field(["nbacom", "balldontlie"], min_length=1, description="Injury reports.")


class SourcesConfig(Section):
    """Live sources: `[sources.<name>]` base_url, api_key, timeouts, retry (keys redacted in `config show`)."""

    nbacom: NbaComSourceConfig = Field(default_factory=NbaComSourceConfig)
    espn: EspnSourceConfig = Field(default_factory=EspnSourceConfig)
    odds_api: OddsApiSourceConfig = Field(default_factory=OddsApiSourceConfig)
    bettingpros: BettingProsSourceConfig = Field(default_factory=BettingProsSourceConfig)
    balldontlie: BallDontLieSourceConfig = Field(default_factory=BallDontLieSourceConfig)
    chains: SourceChainsConfig = Field(default_factory=SourceChainsConfig)
    windows: WindowsConfig = Field(
        default_factory=WindowsConfig, description="When the worker polls each data kind (scraper windows)."
    )
    props_expected_within_hours: float = Field(
        6.0, ge=0, description="A game tipping within this many hours must have props: none is a failure."
    )


class OrchestrationConfig(Section):
    """Where DBOS keeps its system database; phase gates, run modes and retries."""

    database_url: SecretStr | None = Field(
        None, description="PostgreSQL URL for many workers on many hosts; default SQLite under the home."
    )
    gates: GatesConfig = Field(default_factory=GatesConfig)
    modes: ModesConfig = Field(default_factory=ModesConfig)
    completeness_retry: RetryPolicy = Field(
        default_factory=RetryPolicy, description="Re-run a processor that wrote too few records."
    )
    application_version: str | None = Field(
        None,
        max_length=64,
        description="The version workflows record and executors run under; default the package version "
        "plus a hash of the orchestration code, so an upgrade that changes workflows changes it.",
    )
    worker: WorkerConfig = Field(default_factory=WorkerConfig, description="What the worker runs.")
    stuck: StuckConfig = Field(default_factory=StuckConfig, description="Runs past their timeout.")
    outage: OutageConfig = Field(default_factory=OutageConfig, description="Waiting out a down source.")


class DashboardConfig(Section):
    """`nbaprops dashboard`: where it listens, how it reads, and the address reports link to."""

    host: str = Field(
        "127.0.0.1", description="Interface to bind; any but loopback needs NBAPROPS_DASHBOARD_TOKEN."
    )
    port: int = Field(8350, ge=1, le=65535)
    base_url: str = Field(
        "http://127.0.0.1:8350",
        description="Where operators reach the dashboard: health, alerts and status link to its pages from here.",
    )
    read_wait_seconds: float = Field(
        2.0, ge=0, le=60,
        description="How long a page waits for the pipeline to release the warehouse before it shows the "
        "last reading instead (the dashboard never holds the warehouse between requests).",
    )
    cache_seconds: float = Field(
        30.0, ge=0, description="A reading of an unchanged warehouse is reused for this long (judged by wall clock)."
    )
    starting_bankroll_units: float = Field(
        100.0, gt=0, description="The bankroll curve starts here, in 1-unit stakes per pick."
    )
    trend_days: int = Field(
        7, ge=1, le=60, description="MAE and Brier trends are averaged over buckets of this many days."
    )

    def page_url(self, page: str, game_date: date | None = None) -> str:
        """The address of a dashboard page, about `game_date` when given: `<base>/pipeline?date=D`."""
        url = f"{self.base_url.rstrip('/')}/{page.strip('/')}"
        return url if game_date is None else f"{url}?date={game_date.isoformat()}"


class Settings(BaseSettings):
    """The effective configuration."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter=ENV_DELIMITER, extra="forbid",
        nested_model_default_partial_update=True,
    )

    warehouse: WarehouseConfig = Field(default_factory=WarehouseConfig)
    replay: ReplayConfig = Field(default_factory=ReplayConfig)
    synthetic: SyntheticConfig = Field(default_factory=SyntheticConfig)
    predictions: PredictionConfig = Field(default_factory=PredictionConfig)
    picks: PicksConfig = Field(default_factory=PicksConfig)
    systems: SystemsConfig = Field(default_factory=SystemsConfig)
    sources: SourcesConfig = Field(default_factory=SourcesConfig)
    orchestration: OrchestrationConfig = Field(default_factory=OrchestrationConfig)
    alerting: AlertingConfig = Field(default_factory=AlertingConfig)
    health: HealthConfig = Field(default_factory=HealthConfig)
    dashboard: DashboardConfig = Field(default_factory=DashboardConfig)
    reliability: ReliabilityConfig = Field(default_factory=ReliabilityConfig)
    slo: SloConfig = Field(default_factory=SloConfig)
    chaos: ChaosConfig = Field(default_factory=ChaosConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    usage: UsageConfig = Field(default_factory=UsageConfig)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file arrives as init values; environment variables win over it, entry by entry in lists.
        return (FileWithEnvOverrides(settings_cls, file=init_settings, env=env_settings),)


def load_settings(config_path: Path) -> Settings:
    """Read `config_path` (missing file: all defaults) and apply environment overrides."""
    data: dict[str, Any] = {}
    if config_path.exists():
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"Cannot read {config_path}: {e}. Fix the TOML syntax.") from e
    try:
        return Settings(**data)
    except ValidationError as e:
        raise ConfigError(_describe_validation_error(e, config_path)) from e
    except SettingsError as e:  # an environment value that is not the JSON its key needs
        raise ConfigError(_describe_settings_error(e)) from e


def _describe_validation_error(error: ValidationError, config_path: Path) -> str:
    problems = []
    for item in error.errors():
        key, variable = ".".join(str(part) for part in item["loc"]), env_name(item["loc"])
        if item["type"] == "extra_forbidden":
            problems.append(f"{key}: {item['msg']} (remove it from {config_path.name} or unset {variable})")
        else:
            problems.append(f"{key}: {item['msg']} (set in {config_path.name} or {variable})")
    return "Invalid configuration value: " + "; ".join(problems) + "."


def _describe_settings_error(error: SettingsError) -> str:
    field = re.search(r'field "(\w+)"', str(error))
    prefix = env_name([field.group(1)]) if field else ENV_PREFIX
    names = sorted(name for name in os.environ if name.upper().startswith(prefix))
    return (
        f"Invalid configuration value in the environment: {error}. Check {', '.join(names) or prefix + '*'}: "
        "a list or table needs JSON, e.g. NBAPROPS_ALERTING__CHANNELS='[{\"url\": \"jsonl://alerts.jsonl\"}]'."
    )


def redacted(settings: Settings) -> dict[str, Any]:
    """The settings as plain JSON data with every secret replaced by '**********'."""
    return json.loads(settings.model_dump_json())
