"""Charts as inline SVG, drawn on the server: no script, no library, nothing fetched.

Each builder takes plain numbers and returns SVG markup (escaped text, sized by a viewBox so
it scales with the page); series take the CSS classes `s0`..`s5` in order (`static/dashboard.css`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

WIDTH = 720
HEIGHT = 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 56, 16, 44, 36
PALETTE = 6

Format = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """One line: its name in the legend and its (x, y) points; dashed for a reference (the market)."""

    name: str
    points: Sequence[tuple[float, float]]
    dashed: bool = False


@dataclass(frozen=True)
class Span:
    """One bar of a timeline row, from `start` to `end` (same unit as the axis)."""

    start: float
    end: float
    css: str
    label: str


@dataclass(frozen=True)
class TimelineRow:
    """One row of a timeline: spans and point markers (label, at, css)."""

    label: str
    spans: Sequence[Span] = ()
    marks: Sequence[tuple[str, float, str]] = field(default_factory=tuple)


# Characters XML 1.0 forbids (C0 controls other than tab, newline, carriage return; surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> Markup:
    """`value` as SVG text: characters XML cannot hold dropped, the rest escaped."""
    return escape(_NOT_XML.sub("", str(value)))


class _Scale:
    def __init__(self, low: float, high: float, out_low: float, out_high: float) -> None:
        if high <= low:
            low, high = low - 0.5, high + 0.5
        self.low, self.high, self.out_low, self.out_high = low, high, out_low, out_high

    def __call__(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return round(self.out_low + share * (self.out_high - self.out_low), 2)

    def ticks(self, count: int = 5) -> list[float]:
        step = (self.high - self.low) / (count - 1)
        return [self.low + step * index for index in range(count)]


def _svg(title: str, body: list[str], *, height: int = HEIGHT, css: str = "chart") -> Markup:
    text = _text(title)
    return Markup(
        f'<svg class="{css}" role="img" aria-label="{text}" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{text}</title>'
        f'<text class="chart-title" x="{PAD_LEFT}" y="16">{text}</text>{"".join(body)}</svg>'
    )


def _axes(x: _Scale, y: _Scale, x_format: Format, y_format: Format, *, height: int = HEIGHT) -> list[str]:
    bottom = height - PAD_BOTTOM
    parts = [f'<line class="axis" x1="{PAD_LEFT}" y1="{bottom}" x2="{WIDTH - PAD_RIGHT}" y2="{bottom}"/>']
    for tick in y.ticks():
        at = y(tick)
        parts.append(f'<line class="grid" x1="{PAD_LEFT}" y1="{at}" x2="{WIDTH - PAD_RIGHT}" y2="{at}"/>')
        parts.append(f'<text class="tick" x="{PAD_LEFT - 6}" y="{at + 4}" text-anchor="end">'
                     f"{_text(y_format(tick))}</text>")
    for tick in x.ticks():
        parts.append(f'<text class="tick" x="{x(tick)}" y="{bottom + 16}" text-anchor="middle">'
                     f"{_text(x_format(tick))}</text>")
    return parts


def _vertical_ticks(x: _Scale, top: float, bottom: float, x_format: Format) -> list[str]:
    """Grid lines up from the x axis, each with its label under the axis."""
    parts = []
    for tick in x.ticks():
        at = x(tick)
        parts.append(f'<line class="grid" x1="{at}" y1="{top}" x2="{at}" y2="{bottom}"/>')
        parts.append(f'<text class="tick" x="{at}" y="{bottom + 16}" text-anchor="middle">'
                     f"{_text(x_format(tick))}</text>")
    return parts


def _bounds(values: Sequence[float], low: float | None, high: float | None) -> tuple[float, float]:
    return (min(values, default=0.0) if low is None else low, max(values, default=1.0) if high is None else high)


def _legend(names: Sequence[tuple[str, str]]) -> list[str]:
    """One line of coloured keys under the title."""
    parts, at = [], float(PAD_LEFT)
    for name, css in names:
        parts.append(f'<rect class="{css}" x="{at}" y="23" width="10" height="10"/>'
                     f'<text class="legend" x="{at + 13}" y="32">{_text(name)}</text>')
        at += 24 + 6 * len(name)
    return parts


def empty_chart(title: str, message: str) -> Markup:
    """A chart frame that says why there is nothing to draw."""
    return _svg(title, [f'<text class="empty" x="{WIDTH / 2}" y="52" text-anchor="middle">'
                        f"{_text(message)}</text>"], height=72, css="chart empty-chart")


def line_chart(
    title: str,
    series: Sequence[Series],
    *,
    x_format: Format,
    y_format: Format = lambda value: f"{value:.2f}",
    y_low: float | None = None,
    y_high: float | None = None,
    diagonal: bool = False,
) -> Markup:
    """Lines over a shared x axis; `diagonal` draws y = x (a calibration plot's perfect line)."""
    points = [point for line in series for point in line.points]
    if not points:
        return empty_chart(title, "no data yet")
    x = _Scale(*_bounds([p[0] for p in points], y_low if diagonal else None, y_high if diagonal else None),
               PAD_LEFT, WIDTH - PAD_RIGHT)
    y = _Scale(*_bounds([p[1] for p in points], y_low, y_high), HEIGHT - PAD_BOTTOM, PAD_TOP)
    body = _axes(x, y, x_format, y_format)
    if diagonal:
        body.append(f'<line class="reference" x1="{x(x.low)}" y1="{y(x.low)}" x2="{x(x.high)}" y2="{y(x.high)}"/>')
    names = []
    for index, line in enumerate(series):
        css = f"s{index % PALETTE}"
        names.append((line.name, css))
        drawn = " ".join(f"{x(px)},{y(py)}" for px, py in line.points)
        dash = " dashed" if line.dashed else ""
        body.append(f'<polyline class="line {css}{dash}" points="{drawn}">'
                    f"<title>{_text(line.name)}</title></polyline>")
        if len(line.points) <= 40:
            body.extend(f'<circle class="dot {css}" cx="{x(px)}" cy="{y(py)}" r="2.5"/>' for px, py in line.points)
    return _svg(title, body + _legend(names))


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float]],
    *,
    y_format: Format = lambda value: f"{value:.0f}",
    label_every: int = 1,
) -> Markup:
    """Vertical bars, one per label, from zero."""
    if not bars:
        return empty_chart(title, "no data yet")
    values = [value for _, value in bars]
    y = _Scale(min(0.0, min(values)), max(values) or 1.0, HEIGHT - PAD_BOTTOM, PAD_TOP)
    step = (WIDTH - PAD_LEFT - PAD_RIGHT) / len(bars)
    body = _axes(_Scale(0, 1, PAD_LEFT, WIDTH - PAD_RIGHT), y, lambda _v: "", y_format)
    for index, (label, value) in enumerate(bars):
        left = round(PAD_LEFT + index * step + step * 0.1, 2)
        top, base = y(max(value, 0.0)), y(min(value, 0.0))
        body.append(f'<rect class="bar s0" x="{left}" y="{top}" width="{round(step * 0.8, 2)}" '
                    f'height="{round(base - top, 2)}"><title>{_text(label)}: {_text(y_format(value))}</title></rect>')
        if index % label_every == 0:
            body.append(f'<text class="tick" x="{round(left + step * 0.4, 2)}" y="{HEIGHT - PAD_BOTTOM + 16}" '
                        f'text-anchor="middle">{_text(label)}</text>')
    return _svg(title, body)


def hbar_chart(
    title: str,
    bars: Sequence[tuple[str, float]],
    *,
    x_format: Format = lambda value: f"{value:.0%}",
    x_high: float = 1.0,
) -> Markup:
    """Horizontal bars from zero, one row per label (long labels stay readable)."""
    if not bars:
        return empty_chart(title, "no data yet")
    height = PAD_TOP + PAD_BOTTOM + 18 * len(bars)
    left = PAD_LEFT + 150
    x = _Scale(0.0, max(x_high, *(value for _, value in bars)), left, WIDTH - PAD_RIGHT)
    bottom = height - PAD_BOTTOM
    body = [f'<line class="axis" x1="{left}" y1="{bottom}" x2="{WIDTH - PAD_RIGHT}" y2="{bottom}"/>']
    body += _vertical_ticks(x, PAD_TOP, bottom, x_format)
    for index, (label, value) in enumerate(bars):
        top = PAD_TOP + 18 * index
        body.append(f'<text class="tick" x="{left - 6}" y="{top + 13}" text-anchor="end">{_text(label)}</text>')
        body.append(f'<rect class="bar {"s0" if value >= x_high else "s1"}" x="{left}" y="{top + 3}" '
                    f'width="{round(max(1.0, x(value) - left), 2)}" height="12">'
                    f"<title>{_text(label)}: {_text(x_format(value))}</title></rect>")
    return _svg(title, body, height=height)


def interval_chart(
    title: str,
    rows: Sequence[tuple[str, float, float, float]],
    *,
    reference: float | None = None,
    x_format: Format = lambda value: f"{value:.0%}",
) -> Markup:
    """One row per label: a point at its value with whiskers from low to high (e.g. a hit rate
    and its Wilson interval); `reference` draws a vertical line (e.g. the break-even rate)."""
    if not rows:
        return empty_chart(title, "no graded picks yet")
    height = PAD_TOP + PAD_BOTTOM + 26 * len(rows)
    lows = [low for _, _, low, _ in rows] + ([reference] if reference is not None else [])
    highs = [high for _, _, _, high in rows] + ([reference] if reference is not None else [])
    x = _Scale(max(0.0, min(lows) - 0.05), min(1.0, max(highs) + 0.05), PAD_LEFT + 90, WIDTH - PAD_RIGHT)
    bottom = height - PAD_BOTTOM
    body = [f'<line class="axis" x1="{x.out_low}" y1="{bottom}" x2="{x.out_high}" y2="{bottom}"/>']
    body += _vertical_ticks(x, PAD_TOP, bottom, x_format)
    if reference is not None:
        body.append(f'<line class="reference" x1="{x(reference)}" y1="{PAD_TOP}" x2="{x(reference)}" y2="{bottom}"/>')
    for index, (label, value, low, high) in enumerate(rows):
        at = PAD_TOP + 13 + 26 * index
        css = f"s{index % PALETTE}"
        body.append(f'<text class="tick" x="{x.out_low - 8}" y="{at + 4}" text-anchor="end">{_text(label)}</text>')
        body.append(f'<line class="whisker {css}" x1="{x(low)}" y1="{at}" x2="{x(high)}" y2="{at}"/>')
        body.append(f'<circle class="dot {css}" cx="{x(value)}" cy="{at}" r="4"><title>{_text(label)}: '
                    f"{_text(x_format(value))} ({_text(x_format(low))} to {_text(x_format(high))})</title></circle>")
    return _svg(title, body, height=height)


def timeline_chart(
    title: str,
    rows: Sequence[TimelineRow],
    *,
    start: float,
    end: float,
    x_format: Format,
) -> Markup:
    """A Gantt of rows: spans as bars (at least 2 px wide), marks as diamonds."""
    if not rows:
        return empty_chart(title, "nothing ran for this date")
    height = PAD_TOP + PAD_BOTTOM + 18 * len(rows)
    left = PAD_LEFT + 150
    x = _Scale(start, end, left, WIDTH - PAD_RIGHT)
    bottom = height - PAD_BOTTOM
    body = [f'<line class="axis" x1="{left}" y1="{bottom}" x2="{WIDTH - PAD_RIGHT}" y2="{bottom}"/>']
    body += _vertical_ticks(x, PAD_TOP, bottom, x_format)
    for index, row in enumerate(rows):
        top = PAD_TOP + 18 * index
        body.append(f'<text class="tick" x="{left - 6}" y="{top + 13}" text-anchor="end">{_text(row.label)}</text>')
        for span in row.spans:
            width = max(2.0, x(span.end) - x(span.start))
            body.append(f'<rect class="span {span.css}" x="{x(span.start)}" y="{top + 3}" width="{round(width, 2)}" '
                        f'height="12"><title>{_text(span.label)}</title></rect>')
        for label, at, css in row.marks:
            cx, cy = x(at), top + 9
            body.append(f'<path class="mark {css}" d="M{cx},{cy - 6} L{cx + 5},{cy} L{cx},{cy + 6} L{cx - 5},{cy} Z">'
                        f"<title>{_text(label)}</title></path>")
    return _svg(title, body, height=height)
