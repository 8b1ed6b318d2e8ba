"""The `[systems]` section: each prediction system's initial role per market, the canary's share of
the picks, and the rules that promote, roll back and watch systems.

Example (`nbaprops.toml`):

    [systems]
    roles = { ensemble = "champion" }   # every market: the ensemble picks, the others are shadows
    canary_share = 0.10                 # a canary makes 10% of the day's picks, the champion the rest
    min_graded_rows = 300               # rows graded on the same rows as the champion before a verdict
    confidence = 0.95                   # the paired Brier test's confidence, one-sided
    decay_window_days = 30              # the champion's rolling record that decay watches
    auto_disable = false                # true: a decayed champion stops picking (PASS, with the reason)

    [systems.market_roles.points]       # per-market roles override `roles`
    gbm = "canary"

    [systems.variants.moving_average_low]   # a variant under its own id (here a degraded one, for a drill)
    base = "moving_average"
    mean_scale = 0.75                   # its predicted mean, times this
    blend_with_market = false           # its own probabilities, not blended with the market's

Systems not named are shadows. Roles changed by promotions, rollbacks and operators are kept in the
warehouse (`nba_predictions.system_roles`); these are only the roles a market starts with.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from nbaprops.config_base import Section

Role = Literal["champion", "canary", "shadow", "retired"]
ROLES: tuple[Role, ...] = ("champion", "canary", "shadow", "retired")
# The systems a variant can be built on: the ensemble's members (the ensemble combines, it has no base).
MemberSystem = Literal["market", "moving_average", "matchup", "similarity", "gbm"]
MEMBER_SYSTEMS: tuple[MemberSystem, ...] = ("market", "moving_average", "matchup", "similarity", "gbm")


class SystemVariant(Section):
    """A member system under an id of its own, its mean scaled and perhaps not blended with the market."""

    base: MemberSystem = Field(description="The member system it runs.")
    mean_scale: float = Field(1.0, gt=0, description="Its predicted mean is the base's times this.")
    blend_with_market: bool | None = Field(
        None, description="False: Phase 5 uses its own probabilities, unblended with the market's "
        "(default: as the base).",
    )


def _default_roles() -> dict[str, Role]:
    return {"ensemble": "champion"}


class SystemsConfig(Section):
    """Initial roles, the canary's share, promotion and rollback, decay detection."""

    roles: dict[str, Role] = Field(
        default_factory=_default_roles,
        description="Initial role of each system in every market (unnamed systems: shadow).",
    )
    market_roles: dict[str, dict[str, Role]] = Field(
        default_factory=dict, description="Per-market initial roles, overriding `roles` system by system.",
    )
    canary_share: float = Field(
        0.10, ge=0, le=1, description="Share of a market's rows whose pick the canary makes, chosen by a hash "
        "of (game, player, market) so a re-run picks the same way.",
    )
    variants: dict[str, SystemVariant] = Field(
        default_factory=dict, description="Variants of the member systems, each a system of its own (with a role).",
    )
    auto_review: bool = Field(True, description="Promote and roll back systems automatically every day.")
    min_graded_rows: int = Field(
        300, ge=1, description="Rows graded on the same rows as the champion a canary or shadow needs before "
        "it is promoted or rolled back.",
    )
    min_graded_days: int = Field(7, ge=2, description="Graded game days it needs too (the test clusters by day).")
    confidence: float = Field(
        0.95, gt=0.5, lt=1, description="Confidence of the paired, day-clustered Brier test (one-sided) that "
        "promotes, rolls back and flags decay.",
    )
    review_window_days: int = Field(
        365, ge=1, description="Graded days this far back (calendar days) make a promotion's or rollback's record.",
    )
    decay_window_days: int = Field(30, ge=1, description="The champion's rolling record decay watches, in days.")
    decay_min_rows: int = Field(100, ge=1, description="Graded rows in the window before decay is judged.")
    auto_disable: bool = Field(
        False, description="A champion found decaying stops making picks (PASS with the reason) until an "
        "operator or a promotion brings a system back.",
    )

    @model_validator(mode="after")
    def _variant_ids_of_their_own(self) -> Self:
        taken = sorted(set(self.variants) & {*MEMBER_SYSTEMS, "ensemble"})
        if taken:
            raise ValueError(f"[systems.variants] needs ids of their own; {', '.join(taken)} names a system.")
        return self

    @model_validator(mode="after")
    def _one_champion(self) -> Self:
        for market, overrides in {"every market": {}, **self.market_roles}.items():
            roles = {**self.roles, **overrides}
            champions = sorted(s for s, role in roles.items() if role == "champion")
            canaries = sorted(s for s, role in roles.items() if role == "canary")
            if len(champions) != 1:
                raise ValueError(f"[systems] needs exactly one champion in {market}, got {champions or 'none'}.")
            if len(canaries) > 1:
                raise ValueError(f"[systems] allows at most one canary in {market}, got {canaries}.")
        return self

    def initial_roles(self, market: str, system_ids: tuple[str, ...] | list[str]) -> dict[str, Role]:
        """Each system's role in `market` before any decision: the overrides, then `roles`, then shadow."""
        overrides = self.market_roles.get(market, {})
        return {s: overrides.get(s, self.roles.get(s, "shadow")) for s in system_ids}
