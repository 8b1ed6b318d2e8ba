"""The digest in words: a title and a plain-text body that reads the same in a mail, a chat or a terminal."""

from __future__ import annotations

from typing import Any

from nbaprops.ops.digest._build import Digest


def digest_title(digest: Digest) -> str:
    return f"nbaprops digest {digest.game_date}: {digest.bets_today} pick(s), health {digest.health_status}"


def digest_text(digest: Digest) -> str:
    """Every section of the digest, one line per fact."""
    data = digest.to_json()
    lines: list[str] = []
    if digest.graded_date is None:
        lines.append("Yesterday: nothing graded before this date yet.")
    else:
        lines.append(f"Yesterday ({digest.graded_date}) graded picks; "
                     f"record {digest.record_start}..{digest.graded_date}:")
        for system in data["systems"]:
            lines.append(f"- {system['system_id']}: {_day(system['yesterday'])}; record {_record(system['record'])}")
        if not data["systems"]:
            lines.append("- no system was graded")
    today = data["today"]
    lines.append(f"Today ({digest.game_date}), {today['system_id']}: {today['bets']} pick(s)"
                 + (f", top {len(today['top_picks'])} by expected value:" if today["top_picks"] else "."))
    for pick in today["top_picks"]:
        lines.append(f"- {pick['player']} {pick['market']} {pick['side']} {pick['line']} at {pick['bookmaker']} "
                     f"{_price(pick['price'])}: p {_pct(pick['p'])}, EV {_signed_pct(pick['ev'])}, "
                     f"stake {_pct(pick['stake'])}")
    lines.append(f"Health: {digest.health_headline}")
    if digest.incidents:
        lines.append(f"Open incidents ({len(digest.incidents)}):")
        for incident in data["incidents"]:
            cause = f": {incident['root_cause']}" if incident.get("root_cause") else ""
            lines.append(f"- {incident['component']} {incident['error_class']} ({incident['game_date']}, "
                         f"{incident['failures']} failure(s) since {incident['opened_at'][:16]}){cause}")
    else:
        lines.append("Open incidents: none.")
    lines.append(f"Dashboard: {digest.dashboard_url}")
    return "\n".join(lines)


def _day(returns: dict[str, Any]) -> str:
    if not returns["picks"]:
        return "no picks"
    return f"{returns['wins']}-{returns['losses']}" + (f"-{returns['pushes']}" if returns["pushes"] else "") + (
        f", {returns['units']:+.2f} u")


def _record(returns: dict[str, Any]) -> str:
    if not returns["picks"]:
        return "no picks"
    rate = "n/a" if returns["hit_rate"] is None else _pct(returns["hit_rate"])
    roi = "n/a" if returns["roi"] is None else _signed_pct(returns["roi"])
    return (f"n={returns['picks']}, hit {rate} [{_pct(returns['hit_rate_low'])}, {_pct(returns['hit_rate_high'])}], "
            f"ROI {roi}")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _signed_pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:+.1f}%"


def _price(price: int | None) -> str:
    return "" if price is None else f"{price:+d}"
