"""Charts as inline SVG, drawn on the server: no script, no CDN, readable with the page's CSS.

Each chart is an <svg role="img"> with a <title> saying what it shows and a <title> per bar
(the tooltip and what a screen reader announces). Geometry is in a fixed viewBox; the SVG
scales to its container's width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_W = 210  # room for a product or category name beside a horizontal bar
VALUE_W = 220
ROW_H = 26


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    text: str  # the value as displayed (money formatted, units, ...)
    tone: str = ""  # a CSS class: "", "neg", "a", "b", "c"


def hbars(title: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, longest = the largest value; negative values drawn in the 'neg' tone."""
    if not bars:
        return Markup('<p class="muted empty-chart">Nothing in this period.</p>')
    top = max(abs(b.value) for b in bars) or 1
    span = WIDTH - LABEL_W - VALUE_W
    height = ROW_H * len(bars) + 4
    parts = [_open(title, height, "hbars")]
    for i, bar in enumerate(bars):
        y = 2 + i * ROW_H
        width = max(1.0, span * abs(bar.value) / top) if bar.value else 0
        tone = bar.tone or ("neg" if bar.value < 0 else "")
        parts.append(
            f'<g class="bar {tone}"><title>{escape(bar.label)}: {escape(bar.text)}</title>'
            f'<text class="label" x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end">'
            f'{escape(_clip(bar.label, 30))}</text>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{width:.1f}" height="{ROW_H - 8}" rx="3"/>'
            f'<text class="value" x="{LABEL_W + width + 6:.1f}" y="{y + 17}">{escape(bar.text)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend(title: str, labels: Sequence[str], values: Sequence[int],
          previous: Sequence[int | None] | None, fmt: Callable[[int], str]) -> Markup:
    """Columns per period; `previous` (the same periods a year earlier) as a line over them."""
    if not labels:
        return Markup('<p class="muted empty-chart">Nothing in this period.</p>')
    height, left, bottom, top_pad = 240, 70, 28, 12
    plot_w, plot_h = WIDTH - left - 8, height - bottom - top_pad
    top = max([*values, *[p for p in previous or [] if p is not None], 1])
    step = plot_w / len(labels)
    parts = [_open(title, height, "trend"),
             f'<text class="axis" x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{escape(fmt(top))}</text>',
             f'<text class="axis" x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end">0</text>',
             f'<line class="base" x1="{left}" x2="{WIDTH - 8}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}"/>']
    every = max(1, len(labels) // 8)  # label at most ~8 periods so they never overlap
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top
        x = left + i * step
        parts.append(f'<g class="bar"><title>{escape(label)}: {escape(fmt(value))}</title>'
                     f'<rect x="{x + step * 0.15:.1f}" y="{top_pad + plot_h - h:.1f}" '
                     f'width="{step * 0.7:.1f}" height="{h:.1f}" rx="2"/></g>')
        if i % every == 0:
            parts.append(f'<text class="axis" x="{x + step / 2:.1f}" y="{height - 8}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    if previous and any(p is not None for p in previous):
        points = " ".join(f"{left + (i + 0.5) * step:.1f},{top_pad + plot_h - plot_h * (p or 0) / top:.1f}"
                          for i, p in enumerate(previous))
        parts.append(f'<polyline class="previous" points="{points}"><title>A year earlier</title></polyline>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(title: str, height: int, kind: str) -> str:
    return (f'<svg class="chart {kind}" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
            f"<title>{escape(title)}</title>")


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"
