"""Bar charts of a pattern (``missing.patterns.Tally``) as server-rendered SVG.

Plain SVG from a template (``templates/missing/_patterns_chart.html``): the page loads no
script and nothing from another host (the Content Security Policy allows neither), and a
chart library would add a dependency for six rectangles. Horizontal bars, so that every
band's label reads in full beside its bar; each bar carries its count as text, so the
chart never rests on colour; the SVG is one image to assistive technology (``role="img"``
with its ``<title>`` and a ``<desc>`` that lists every count), and the page puts the table
of the same figures beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .patterns import Tally

WIDTH = 640
LABEL_WIDTH = 190  # the band's label, right-aligned to the bars
BAR_START = LABEL_WIDTH + 10
COUNT_ROOM = 50  # the count after the longest bar
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 10


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int  # top of the bar
    text_y: int  # baseline of its label and count
    width: int
    count_x: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    label_x: int
    bar_x: int
    bar_height: int
    bars: tuple[Bar, ...]


def description(tally: Tally, subject: str) -> str:
    counts = "; ".join(f"{label}: {count}" for label, count in tally.rows)
    return f"Missing episodes of {subject}, {tally.title.lower()}. {counts}."


def bar_chart(tally: Tally, subject: str, id_prefix: str = "chart") -> BarChart:
    """The chart's geometry: bars scaled to the largest count (a chart of nothing but
    zeros has no bars, and says 0 beside each label)."""
    room = WIDTH - BAR_START - COUNT_ROOM
    largest = tally.largest
    bars = []
    for index, (label, count) in enumerate(tally.rows):
        width = round(room * count / largest) if largest else 0
        y = TOP + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                count=count,
                y=y,
                text_y=y + BAR_HEIGHT - 5,
                width=width,
                count_x=BAR_START + width + 6,
            )
        )
    return BarChart(
        id=f"{id_prefix}-{tally.key}",
        title=tally.title,
        description=description(tally, subject),
        width=WIDTH,
        height=TOP * 2 + len(bars) * ROW_HEIGHT,
        label_x=LABEL_WIDTH,
        bar_x=BAR_START,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
    )
