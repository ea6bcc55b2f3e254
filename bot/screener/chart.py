"""A screener's totals over time as a server-made SVG, against its band lines, with the same
figures as table rows beside it (for screen readers and print). Pure: data in, text out.

The SVG is complete and escaped; a page embeds it as it is (`|safe` in Jinja) and renders
`table(series)` next to it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 120, 16, 36


@dataclass(frozen=True)
class BandLine:
    start: int
    label: str


@dataclass(frozen=True)
class Point:
    day: date
    total: int
    band: str
    # Points against the reference, and "deterioration" / "improvement" when reliable.
    change: int | None = None
    reliable: str | None = None


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    maximum: int
    bands: tuple[BandLine, ...]
    caseness: int | None
    # The end-of-therapy total, drawn at the ending date.
    reference: int | None
    reference_day: date | None
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Row:
    day: str
    total: str
    band: str
    change: str


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def table(series: Series) -> list[Row]:
    """The chart's figures as rows: the ending total first, then each screener, oldest first."""
    rows = []
    if series.reference is not None and series.reference_day is not None:
        rows.append(Row(series.reference_day.isoformat(), str(series.reference), "ending", "-"))
    for point in series.points:
        change = "-" if point.change is None else f"{point.change:+d}"
        if point.reliable:
            change += f" (reliable {point.reliable})"
        rows.append(Row(point.day.isoformat(), str(point.total), point.band, change))
    return rows


def svg(series: Series, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    """The totals as a line over time, band lines dashed, caseness in bold, the ending total
    hollow. With nothing to draw it says so in words."""
    days = [p.day for p in series.points]
    if series.reference_day is not None and series.reference is not None:
        days.append(series.reference_day)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    first, last = (min(days), max(days)) if days else (None, None)
    span = max(((last - first).days if first and last else 0), 1)

    def x(day: date) -> float:
        assert first is not None
        return LEFT + plot_w * ((day - first).days / span if len(set(days)) > 1 else 0.5)

    def y(total: int) -> float:
        return TOP + plot_h * (1 - total / series.maximum)

    title = _escape(f"{series.title} over time")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{series.key}-title">',
        f'<title id="{series.key}-title">{title}</title>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="#999"/>',
        f'<text x="{LEFT - 6}" y="{y(0):.1f}" text-anchor="end" font-size="11">0</text>',
        f'<text x="{LEFT - 6}" y="{y(series.maximum):.1f}" text-anchor="end" '
        f'font-size="11">{series.maximum}</text>',
    ]
    for band in series.bands:
        bold = band.start == series.caseness
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(band.start):.1f}" '
            f'y2="{y(band.start):.1f}" stroke="#888" stroke-dasharray="4 3" '
            f'stroke-width="{2 if bold else 1}"/>'
            f'<text x="{LEFT + plot_w + 6}" y="{y(band.start) + 4:.1f}" font-size="11">'
            f"{band.start} {_escape(band.label)}</text>"
        )
    if series.caseness is not None and series.caseness not in {b.start for b in series.bands}:
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(series.caseness):.1f}" '
            f'y2="{y(series.caseness):.1f}" stroke="#444" stroke-width="2"/>'
            f'<text x="{LEFT + plot_w + 6}" y="{y(series.caseness) + 4:.1f}" font-size="11">'
            f"{series.caseness} caseness</text>"
        )
    if not days:
        parts.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
            f'font-size="13">No {_escape(series.title)} yet</text></svg>'
        )
        return "".join(parts)
    points = sorted(series.points, key=lambda p: p.day)
    line = [(series.reference_day, series.reference)] if series.reference is not None else []
    line += [(p.day, p.total) for p in points]
    path = " ".join(f"{x(day):.1f},{y(total):.1f}" for day, total in line if day is not None)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    if series.reference is not None and series.reference_day is not None:
        parts.append(
            f'<circle cx="{x(series.reference_day):.1f}" cy="{y(series.reference):.1f}" r="4" '
            f'fill="#fff" stroke="#1f5fa8" stroke-width="2"><title>ending '
            f"{series.reference_day.isoformat()}: {series.reference}</title></circle>"
        )
    for point in points:
        label = _escape(f"{point.day.isoformat()}: {point.total} {point.band}")
        parts.append(
            f'<circle cx="{x(point.day):.1f}" cy="{y(point.total):.1f}" r="4" '
            f'fill="#1f5fa8"><title>{label}</title></circle>'
        )
    parts.append(
        f'<text x="{LEFT}" y="{height - 10}" font-size="11">{first.isoformat() if first else ""}'
        f'</text><text x="{LEFT + plot_w}" y="{height - 10}" text-anchor="end" font-size="11">'
        f"{last.isoformat() if last else ''}</text></svg>"
    )
    return "".join(parts)
