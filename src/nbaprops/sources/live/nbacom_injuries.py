"""nba.com injury report (a PDF on the league's static site) -> `nba_raw.injury_report` rows.

The PDF is a table without cell borders: pdfplumber gives its words with positions, and each
word belongs to the column whose heading starts at or left of it. Blank cells repeat the cell
above (date, time, matchup and team are printed once per block, and carry over page breaks).
A reason too long for its cell wraps onto lines above and below its player's line (centred in
the row); such a fragment joins the nearest player line on its page, on a tie one without a
reason of its own, then the one above.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from nbaprops.identity import player_lookup
from nbaprops.sources.base import Row
from nbaprops.sources.live._games import EASTERN, nba_tricode
from nbaprops.sources.live._payload import PayloadReader
from nbaprops.sources.live._request import Request, build

SOURCE, ENDPOINT = "nbacom", "injury_report"
COLUMNS = ("Game Date", "Game Time", "Matchup", "Team", "Player Name", "Current Status", "Reason")
STATUSES = ("out", "doubtful", "questionable", "probable", "available")
NOT_SUBMITTED = "NOT YET SUBMITTED"
_TITLE = "Injury Report:"
_LINE_TOLERANCE = 2.0  # points: words whose tops differ by less sit on one line
_COLUMN_SLACK = 3.0  # points: a cell's text starts a little right of its heading

Word = dict[str, Any]  # text, x0 (left), top, in points


def injury_report_request(base_url: str, report_time: datetime) -> Request:
    """The report published at `report_time` (US/Eastern wall time, on the hour or the half hour).

    File names look like Injury-Report_2024-01-04_12PM.pdf, with the minutes when not on the
    hour: Injury-Report_2024-01-04_12_30PM.pdf.
    """
    local = report_time.astimezone(EASTERN) if report_time.tzinfo else report_time
    clock = local.strftime("%I%p") if local.minute == 0 else local.strftime("%I_%M%p")
    path = f"/referee/injury/Injury-Report_{local:%Y-%m-%d}_{clock}.pdf"
    return build(SOURCE, ENDPOINT, base_url, path)


def parse_injury_report(payload: bytes, *, game_date: date) -> list[Row]:
    """Entries for games on `game_date`, as the replay source serves them, in report order.

    Keys: team, player_lookup, player_name ("Dominick Barlow", turned from "Barlow, Dominick"),
    status (out, doubtful, questionable, probable, available), reason, reported_utc (the report's
    time, naive UTC). Teams marked NOT YET SUBMITTED have no entries; a date the report does not
    cover gives [].
    """
    return [
        {key: value for key, value in row.items() if key != "game_date"}
        for row in injury_report_entries(payload)
        if row["game_date"] == game_date
    ]


def injury_report_entries(payload: bytes) -> list[Row]:
    """Every entry of the report, each with its `game_date`."""
    return entries_from_words(report_words(payload))


def report_words(payload: bytes) -> list[list[Word]]:
    """Each page's words with their positions (text, x0, top), as pdfplumber reads them."""
    # Imported here: pdfplumber and pdfminer cost ~25 MB of RSS in every process that never reads a PDF.
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    reader = PayloadReader(SOURCE, ENDPOINT)
    try:
        with pdfplumber.open(io.BytesIO(payload)) as pdf:
            return [
                [{"text": word["text"], "x0": word["x0"], "top": word["top"]}
                 for word in page.extract_words(x_tolerance=1, y_tolerance=_LINE_TOLERANCE)]
                for page in pdf.pages
            ]
    except PdfminerException as error:
        raise reader.drift("<body>", f"is not a readable PDF ({error})") from error


def entries_from_words(pages_words: list[list[Word]]) -> list[Row]:
    """The report's entries from its pages' words: the table logic, apart from reading the PDF."""
    reader = PayloadReader(SOURCE, ENDPOINT)
    if not pages_words:
        raise reader.drift("<body>", "is a PDF without pages")
    pages = _pages(reader, pages_words)
    reported_utc = _reported_utc(reader, pages[0].title)
    return [
        {
            "game_date": entry.game_date, "team": entry.team, "player_lookup": player_lookup(entry.name),
            "player_name": entry.name, "status": entry.status,
            "reason": " ".join(text for _, text in sorted(entry.reason)) or None, "reported_utc": reported_utc,
        }
        for entry in _entries(reader, pages)
    ]


@dataclass
class _Page:
    number: int
    title: str
    lines: list[tuple[float, dict[str, str]]]  # (top, column -> text) below the headings


@dataclass
class _Entry:
    page: int
    top: float
    game_date: date
    team: str
    name: str
    status: str
    own_reason: bool
    reason: list[tuple[float, str]] = field(default_factory=list)  # (top, text) fragments


def _pages(reader: PayloadReader, pages_words: list[list[Word]]) -> list[_Page]:
    """Each page's table lines; only the first page need print the headings, later ones reuse them."""
    pages: list[_Page] = []
    starts: dict[str, float] | None = None
    for number, words in enumerate(pages_words, start=1):
        lines = _lines(words)
        first_row = 0
        for index, (_, line) in enumerate(lines):
            found = _column_starts(line)
            if found is not None:
                starts, first_row = found, index + 1
                break
        if starts is None:
            raise reader.drift("headings", f"are missing from page 1 (expected {', '.join(COLUMNS)})")
        title = next((_text(line) for _, line in lines if _text(line).startswith(_TITLE)), "")
        table = []
        for top, line in lines[first_row:]:
            if _text(line).startswith(_TITLE):
                continue
            cells: dict[str, list[str]] = {}
            for word in line:
                column = max((name for name, x0 in starts.items() if x0 - _COLUMN_SLACK <= word["x0"]),
                             key=lambda name: starts[name], default=COLUMNS[0])
                cells.setdefault(column, []).append(word["text"])
            joined = {column: " ".join(texts) for column, texts in cells.items()}
            if not _is_footer(joined):
                table.append((top, joined))
        pages.append(_Page(number, title, table))
    return pages


def _lines(words: list[Word]) -> list[tuple[float, list[Word]]]:
    """Words grouped into lines by their top, each line left to right, lines top to bottom."""
    lines: list[tuple[float, list[Word]]] = []
    for word in sorted(words, key=lambda word: (word["top"], word["x0"])):
        if lines and word["top"] - lines[-1][0] < _LINE_TOLERANCE:
            lines[-1][1].append(word)
        else:
            lines.append((word["top"], [word]))
    return [(top, sorted(line, key=lambda word: word["x0"])) for top, line in lines]


def _column_starts(words: list[Word]) -> dict[str, float] | None:
    """Where each column heading starts, if this line holds all the headings in order."""
    texts = [word["text"] for word in words]
    starts: dict[str, float] = {}
    position = 0
    for heading in COLUMNS:
        parts = heading.split()
        while position < len(texts) and texts[position:position + len(parts)] != parts:
            position += 1
        if position >= len(texts):
            return None
        starts[heading] = words[position]["x0"]
        position += len(parts)
    return starts


def _is_footer(cells: dict[str, str]) -> bool:
    text = " ".join(cells.values())
    return text.startswith("Page ") and " of " in text


def _text(words: list[Word]) -> str:
    return " ".join(word["text"] for word in words)


def _reported_utc(reader: PayloadReader, title: str) -> datetime:
    """"Injury Report: 01/04/24 12:30 PM" (US/Eastern) -> naive UTC."""
    if not title:
        raise reader.drift("title", "is missing (expected 'Injury Report: MM/DD/YY HH:MM AM' on page 1)")
    try:
        local = datetime.strptime(title.removeprefix(_TITLE).strip(), "%m/%d/%y %I:%M %p")
    except ValueError:
        raise reader.drift("title", f"is {title!r}, not 'Injury Report: MM/DD/YY HH:MM AM'") from None
    return local.replace(tzinfo=EASTERN).astimezone(UTC).replace(tzinfo=None)


def _entries(reader: PayloadReader, pages: list[_Page]) -> list[_Entry]:
    entries: list[_Entry] = []
    fragments: list[tuple[int, float, str]] = []
    game_date: date | None = None
    team: str | None = None
    for page in pages:
        for top, cells in page.lines:
            if "Game Date" in cells:
                game_date = _game_date(reader, cells["Game Date"])
            if "Team" in cells:
                team = _team(reader, cells["Team"])
            name, status, reason = cells.get("Player Name"), cells.get("Current Status"), cells.get("Reason")
            if name is None:
                if reason is not None and reason != NOT_SUBMITTED and status is None and "Team" not in cells:
                    fragments.append((page.number, top, reason))
                continue
            if game_date is None or team is None:
                raise reader.drift("Game Date", f"has no value above the entry of {name!r} on page {page.number}")
            entries.append(_Entry(
                page=page.number, top=top, game_date=game_date, team=team, name=_display_name(name),
                status=_status(reader, status, name), own_reason=reason is not None,
                reason=[(top, reason)] if reason else [],
            ))
    for number, top, text in fragments:
        same_page = [entry for entry in entries if entry.page == number]
        if same_page:
            owner = min(same_page, key=lambda entry: (round(abs(entry.top - top)), entry.own_reason, entry.top > top))
            owner.reason.append((top, text))
    return entries


def _game_date(reader: PayloadReader, text: str) -> date:
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        raise reader.drift("Game Date", f"is {text!r}, not MM/DD/YYYY") from None


def _team(reader: PayloadReader, text: str) -> str:
    tricode = nba_tricode(text)
    if tricode is None:
        raise reader.drift("Team", f"is {text!r}, no NBA team")
    return tricode


def _status(reader: PayloadReader, status: str | None, name: str) -> str:
    value = (status or "").strip().lower()
    if value not in STATUSES:
        raise reader.drift("Current Status", f"is {status!r} for {name!r}, not one of {', '.join(STATUSES)}")
    return value


def _display_name(name: str) -> str:
    """"Barlow, Dominick" -> "Dominick Barlow"; "Duke Jr., David" -> "David Duke Jr."."""
    last, comma, first = name.partition(",")
    return f"{first.strip()} {last.strip()}" if comma and first.strip() else name.strip()
