"""The `[usage]` section: unit prices that turn measured resources into cost.

Example (`nbaprops.toml`): a vCPU hour at $0.04, warehouse storage at $0.10 a GB-month, and The
Odds API's credits at $30 for 20,000 (its x-requests-last header says what each request used).

    [usage]
    currency = "USD"
    cpu_hour_price = 0.04
    warehouse_gb_month_price = 0.10

    [usage.metered.odds_api]
    credits_header = "x-requests-last"
    credit_price = 0.0015
"""

from __future__ import annotations

from pydantic import Field

from nbaprops.config_base import Section


class MeteredSource(Section):
    """A source that bills by credits, and the response header reporting what a request used."""

    credits_header: str = Field(
        description="Response header holding the credits the request used (a header missing: 0 credits)."
    )
    credit_price: float = Field(ge=0, description="Price of one credit, in `currency`.")


def _default_metered() -> dict[str, MeteredSource]:
    return {"odds_api": MeteredSource(credits_header="x-requests-last", credit_price=0.0015)}


class UsageConfig(Section):
    """Prices of `nbaprops usage` and the dashboard's resource and cost charts."""

    currency: str = Field("USD", min_length=1, description="The currency of every price below, as shown.")
    cpu_hour_price: float = Field(
        0.04, ge=0, description="Price of one CPU hour (process CPU seconds of processor runs / 3600)."
    )
    warehouse_gb_month_price: float = Field(
        0.10, ge=0, description="Price of one GB (10^9 bytes) of warehouse storage kept for a month."
    )
    metered: dict[str, MeteredSource] = Field(
        default_factory=_default_metered,
        description="Sources billed by credits, by source name; the others' requests cost nothing.",
    )
