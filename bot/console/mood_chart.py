"""The mood chart on a client's timeline: an SVG drawn on the server (no script, no style
attributes, so the console's CSP holds), moods 1-5 over time, warning-sign answers marked.
The page puts the same points in a table for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.console.timeline import MoodPoint

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 14, 30
MOODS = {1: "Very low", 2: "Low", 3: "OK", 4: "Good", 5: "Really good"}


def _x(at: datetime, first: datetime, last: datetime) -> float:
    span = (last - first).total_seconds()
    inner = WIDTH - LEFT - RIGHT
    if span <= 0:
        return LEFT + inner / 2
    return LEFT + inner * (at - first).total_seconds() / span


def _y(mood: int) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (5 - mood) / 4


def _point(point: MoodPoint, x: float, y: float, zone: ZoneInfo) -> str:
    when = point.at.astimezone(zone).strftime("%d %b %Y")
    label = f"{when}: {MOODS[point.mood]} ({point.mood}/5)"
    if point.signs:
        label += "; warning signs: " + "; ".join(point.signs)
        return (
            f'<g class="sign"><title>{escape(label)}</title>'
            f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="#b42318"/></g>'
        )
    return (
        f"<g><title>{escape(label)}</title>"
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#2e5aac"/></g>'
    )


def chart(points: Sequence[MoodPoint], timezone: str) -> Markup:
    """The chart as inline SVG markup; `points` in any order (drawn in time order)."""
    zone = ZoneInfo(timezone)
    ordered = sorted(points, key=lambda p: p.at)
    parts = [
        f'<svg class="mood-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="mood-chart-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="mood-chart-title">Mood at each answered check-in, 1 (very low) to 5 '
        "(really good); squares mark answers with warning signs</title>",
    ]
    for mood in range(1, 6):
        y = _y(mood)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#d8dce5" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#5b6475">{mood}</text>'
        )
    if ordered:
        first, last = ordered[0].at, ordered[-1].at
        spots = [(p, _x(p.at, first, last), _y(p.mood)) for p in ordered]
        line = " ".join(f"{x:.1f},{y:.1f}" for _, x, y in spots)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#2e5aac" stroke-width="2"/>')
        parts += [_point(p, x, y, zone) for p, x, y in spots]
        for at, anchor, x in ((first, "start", LEFT), (last, "end", WIDTH - RIGHT)):
            parts.append(
                f'<text x="{x}" y="{HEIGHT - 8}" text-anchor="{anchor}" font-size="12" '
                f'fill="#5b6475">{at.astimezone(zone):%d %b %Y}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
