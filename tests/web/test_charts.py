"""The inline SVG charts are well-formed XML for any numbers and any labels, with text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from hypothesis import given
from hypothesis import strategies as st

from nbaprops.web.charts import (
    Series,
    Span,
    TimelineRow,
    bar_chart,
    hbar_chart,
    interval_chart,
    line_chart,
    timeline_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
labels = st.text(min_size=1, max_size=12)


def parsed(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)


@given(st.lists(st.tuples(labels, st.lists(st.tuples(finite, finite), max_size=8)), max_size=4))
def test_line_charts_draw_one_polyline_per_series(lines: list[tuple[str, list[tuple[float, float]]]]) -> None:
    svg = parsed(line_chart("t<&>", [Series(name, points) for name, points in lines], x_format=str))
    assert svg.find(f"{SVG}title").text == "t<&>"  # type: ignore[union-attr]
    drawn = svg.findall(f"{SVG}polyline")
    assert len(drawn) == (len(lines) if any(points for _, points in lines) else 0)


@given(st.lists(st.tuples(labels, st.floats(min_value=0, max_value=1e4)), max_size=12))
def test_bar_charts_draw_one_bar_per_label(bars: list[tuple[str, float]]) -> None:
    assert len(parsed(bar_chart("bars", bars)).findall(f"{SVG}rect")) == len(bars)
    assert len(parsed(hbar_chart("bars", bars)).findall(f"{SVG}rect")) == len(bars)


@given(st.lists(st.tuples(labels, st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)), max_size=6))
def test_interval_charts_draw_a_point_and_whiskers_per_row(rows: list[tuple[str, float, float, float]]) -> None:
    svg = parsed(interval_chart("rates", [(name, v, min(lo, hi), max(lo, hi)) for name, v, lo, hi in rows],
                                reference=0.5238))
    assert len(svg.findall(f"{SVG}circle")) == len(rows)


def test_timelines_draw_spans_and_marks() -> None:
    rows = [TimelineRow("phase3 <daily>", [Span(0, 10, "ok", "a & b")], [("done", 10, "ok")]),
            TimelineRow("decisions", marks=[("wait", 4, "warn"), ("proceed", 9, "ok")])]
    svg = parsed(timeline_chart("day", rows, start=0, end=10, x_format=str))
    assert len(svg.findall(f"{SVG}rect")) == 1 and len(svg.findall(f"{SVG}path")) == 3
    assert "phase3 <daily>" in [t.text for t in svg.iter(f"{SVG}text")]
