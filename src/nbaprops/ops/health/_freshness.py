"""The data-freshness section: is each raw table current for the date it should cover?"""

from __future__ import annotations

from nbaprops.alerting.signals import AlertSignals
from nbaprops.ops.health._facts import HealthFacts, SourceFreshness
from nbaprops.ops.health._report import HealthSection, HealthStatus, worst
from nbaprops.ops.health_config import HealthConfig


def freshness_section(
    facts: HealthFacts, signals: AlertSignals, config: HealthConfig
) -> HealthSection:
    judged = [(source, *_source_status(source, facts, signals, config))
              for source in facts.freshness]
    findings = [(status, note) for _source, status, note, _age in judged]
    status, _ = worst(findings)
    reason = (
        next(note for _s, st, note, _a in judged if st is status)
        if status is not HealthStatus.OK
        else f"Schedule, box scores, prop lines and injuries are current for {facts.game_date}."
    )
    return HealthSection(
        name="freshness",
        title="Data freshness",
        status=status,
        reason=reason,
        summary={
            s.source: {
                "covers_date": s.covers_date,
                "rows": s.rows,
                "latest_game_date": s.latest_game_date,
                "newest_utc": s.newest_utc,
                "age_hours": age,
                "status": st.value,
            }
            for s, st, _note, age in judged
        },
        columns=("source", "for date", "rows", "latest game date", "newest (UTC)", "age (h)",
                 "status", "note"),
        rows=tuple(
            (s.source.replace("_", " "), s.covers_date, s.rows, s.latest_game_date,
             s.newest_utc, age, st.value, note)
            for s, st, note, age in judged
        ),
    )


def _source_status(
    source: SourceFreshness, facts: HealthFacts, signals: AlertSignals, config: HealthConfig
) -> tuple[HealthStatus, str, float | None]:
    """(status, note, age in hours) of one raw table."""
    day, games = facts.game_date, facts.day.games
    due = signals.predictions_count is not None
    label = source.source.replace("_", " ")
    match source.source:
        case "schedule":
            if source.rows:
                return HealthStatus.OK, f"{games} game(s) on {day}.", None
            if source.latest_game_date is not None and source.latest_game_date >= day:
                return HealthStatus.OK, f"No games on {day}.", None
            latest = source.latest_game_date or "none"
            return HealthStatus.WARNING, f"No schedule for {day}; the latest is {latest}.", None
        case "box_scores":
            previous = source.covers_date
            if previous is None:
                return HealthStatus.OK, f"No game day before {day}.", None
            if source.rows:
                return HealthStatus.OK, f"{source.rows} player lines for {previous}.", None
            if facts.previous_day_over:
                return HealthStatus.WARNING, (
                    f"No box scores for {previous}, whose games are over."
                ), None
            return HealthStatus.OK, f"The games of {previous} are not over yet.", None
        case _:
            max_age = (
                config.prop_lines_max_age_hours
                if source.source == "prop_lines"
                else config.injuries_max_age_hours
            )
            if not games:
                return HealthStatus.OK, f"No games on {day}.", None
            if not source.rows:
                if due:
                    return HealthStatus.WARNING, (
                        f"No {label} for the {games} game(s) on {day}."
                    ), None
                return HealthStatus.OK, f"No {label} for {day} yet.", None
            if source.newest_utc is None:
                return HealthStatus.OK, f"{source.rows} row(s), without times.", None
            # Once the day's games have begun its lines and reports stop mattering, so their
            # age is taken at the last tip-off; rows seen after it are fresh (age 0).
            last_tipoff = facts.day.last_tipoff_utc
            began = last_tipoff is not None and last_tipoff < facts.now_utc
            reference = last_tipoff if began and last_tipoff is not None else facts.now_utc
            age = round(max((reference - source.newest_utc).total_seconds(), 0.0) / 3600, 1)
            when = "at the last tip-off" if began else "now"
            if age > max_age:
                return HealthStatus.WARNING, (
                    f"The newest {label} for {day} are {age:g} h old {when}, above the "
                    f"{max_age:g} h limit."
                ), age
            return HealthStatus.OK, f"{source.rows} row(s), the newest {age:g} h old {when}.", age
