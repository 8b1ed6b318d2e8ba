"""What every stats.nba.com request carries: the headers the site expects from a browser."""

from __future__ import annotations

from types import MappingProxyType

LEAGUE_ID = "00"  # the NBA (10 is the WNBA, 20 the G League)

# stats.nba.com refuses (or never answers) requests without a browser's referer and origin.
STATS_HEADERS = MappingProxyType({
    "Accept": "application/json, text/plain, */*",
    "Origin": "https://www.nba.com",
    "Referer": "https://www.nba.com/",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "x-nba-stats-origin": "stats",
    "x-nba-stats-token": "true",
})
