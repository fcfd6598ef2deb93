"""A small trend line for a goal card: inline SVG built on the server from the stored figures, so it needs no
script and no style attribute (the strict CSP allows presentation attributes and classes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.html import escape

WIDTH, HEIGHT, PAD = 160, 40, 4


def svg(points: list[tuple[dt.date, Decimal | float]], label: str, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    """An <svg role="img"> with `label` as its accessible name and title, drawing `points` (period start, value) as
    a line in time order, the latest point marked; "" with fewer than two points, as a line needs two."""
    points = sorted((start, float(value)) for start, value in points if value is not None)
    if len(points) < 2:
        return ""
    first, last = points[0][0], points[-1][0]
    span = (last - first).days or 1
    low, high = min(v for _, v in points), max(v for _, v in points)
    rise = (high - low) or 1.0

    def x(start: dt.date) -> float:
        return PAD + (start - first).days / span * (width - 2 * PAD)

    def y(value: float) -> float:
        if high == low:
            return height / 2  # a flat series is a line across the middle, not along the edge
        return PAD + (high - value) / rise * (height - 2 * PAD)

    line = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in points)
    end_x, end_y = x(points[-1][0]), y(points[-1][1])
    text = escape(label)
    return (
        f'<svg class="jm-spark" role="img" aria-label="{text}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{text}</title>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" '
        f'stroke-linecap="round" points="{line}"/>'
        f'<circle cx="{end_x:.1f}" cy="{end_y:.1f}" r="3" fill="currentColor"/></svg>'
    )
