"""The response figures as an SVG drawn on the server (no script or style attributes: the CSP
holds), the table beside it says the same in numbers.

Above: the median time to take an alert, per severity, week by week, on a log scale (minutes to
days fit one axis). Below: alerts raised per week, the part that went past its deadline in red.
"""

from __future__ import annotations

import math
from datetime import timedelta

from markupsafe import Markup, escape

from bot.alert.models import Severity
from bot.console.response_figures import SEVERITIES, Figures, Week
from bot.texts.alerts import duration

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT = 64, 16
TOP, LINES_BOTTOM = 16, 190
BARS_TOP, BARS_BOTTOM = 218, 290
COLOURS = {Severity.urgent: "#b42318", Severity.elevated: "#b54708", Severity.routine: "#2e5aac"}
TICKS = (
    (1, "1 min"),
    (15, "15 min"),
    (60, "1 h"),
    (240, "4 h"),
    (1440, "1 day"),
    (4320, "3 days"),
    (10080, "1 week"),
)
LOW, HIGH = math.log10(1), math.log10(10080)
GREY, TEXT = "#d8dce5", "#5b6475"


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + inner * (index + 0.5) / max(count, 1)


def _y(delta: timedelta) -> float:
    minutes = min(max(delta.total_seconds() / 60, 1), 10080)
    share = (math.log10(minutes) - LOW) / (HIGH - LOW)
    return LINES_BOTTOM - (LINES_BOTTOM - TOP) * share


def _label(week: Week) -> str:
    return f"{week.starts:%d %b}"


def _axes() -> list[str]:
    parts = []
    for minutes, label in TICKS:
        y = _y(timedelta(minutes=minutes))
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GREY}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{TEXT}">{label}</text>'
        )
    return parts


def _lines(weeks: list[Week]) -> list[str]:
    parts = []
    for severity in SEVERITIES:
        colour = COLOURS[severity]
        spots = [
            (i, week, spread.median)
            for i, week in enumerate(weeks)
            if (spread := week.take[severity]).median is not None
        ]
        points = [(_x(i, len(weeks)), _y(median), week, median) for i, week, median in spots]
        if len(points) > 1:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y, week, median in points:
            label = (
                f"Week of {_label(week)}, {severity.value}: median time to take {duration(median)}"
            )
            parts.append(
                f"<g><title>{escape(label)}</title>"
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/></g>'
            )
    return parts


def _bars(weeks: list[Week]) -> list[str]:
    most = max((week.raised for week in weeks), default=0) or 1
    slot = (WIDTH - LEFT - RIGHT) / max(len(weeks), 1)
    bar = max(slot * 0.6, 2)
    parts = [
        f'<text x="{LEFT - 6}" y="{BARS_TOP + 8}" text-anchor="end" font-size="11" '
        f'fill="{TEXT}">{most}</text>',
        f'<text x="{LEFT - 6}" y="{BARS_BOTTOM}" text-anchor="end" font-size="11" '
        f'fill="{TEXT}">0</text>',
    ]
    for i, week in enumerate(weeks):
        x = _x(i, len(weeks)) - bar / 2
        for count, colour in ((week.raised, GREY), (week.past_deadline, "#b42318")):
            height = (BARS_BOTTOM - BARS_TOP) * count / most
            parts.append(
                f'<rect x="{x:.1f}" y="{BARS_BOTTOM - height:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{colour}"/>'
            )
        label = f"Week of {_label(week)}: {week.raised} raised, {week.past_deadline} past deadline"
        parts.append(
            f'<rect x="{x:.1f}" y="{BARS_TOP}" width="{bar:.1f}" height="{BARS_BOTTOM - BARS_TOP}"'
            f' fill="transparent"><title>{escape(label)}</title></rect>'
        )
    return parts


def chart(figures: Figures) -> Markup:
    weeks = figures.weeks
    parts = [
        f'<svg class="figures-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="figures-chart-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="figures-chart-title">Median time to take an alert per week, by severity '
        "(log scale), and alerts raised per week with those past their deadline in red</title>",
        *_axes(),
        *_lines(weeks),
        *_bars(weeks),
    ]
    for index in sorted({0, len(weeks) - 1}):
        anchor = "start" if index == 0 else "end"
        x = LEFT if index == 0 else WIDTH - RIGHT
        parts.append(
            f'<text x="{x}" y="{HEIGHT - 10}" text-anchor="{anchor}" font-size="11" '
            f'fill="{TEXT}">week of {_label(weeks[index])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
