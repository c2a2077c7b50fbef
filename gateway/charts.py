"""Server-rendered SVG bar charts: geometry is computed here, the template
draws it; every chart also has a data table for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

# Colours with at least 3:1 contrast on white (WCAG 1.4.11 non-text contrast).
PALETTE = ["#0b3d91", "#8b0000", "#1b5e20", "#6a1b9a", "#bf360c", "#004d40", "#37474f", "#880e4f", "#33691e"]


@dataclass
class Bar:
    label: str
    value: float
    display: str
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    baseline: float

    @property
    def empty(self) -> bool:
        return not self.bars


def bar_chart(
    title: str,
    items: list[tuple[str, float, str]],
    *,
    width: int = 480,
    height: int = 220,
    colour_by_index: bool = False,
) -> BarChart:
    """items: (label, value, value as displayed). Vertical bars with labels below."""
    top, bottom = 24, 44
    baseline = height - bottom
    peak = max((v for _, v, _ in items), default=0) or 1
    slot = width / max(len(items), 1)
    bars = []
    for i, (label, value, display) in enumerate(items):
        h = (baseline - top) * value / peak
        bars.append(
            Bar(
                label=label,
                value=value,
                display=display,
                x=i * slot + slot * 0.15,
                y=baseline - h,
                width=slot * 0.7,
                height=h,
                colour=PALETTE[i % len(PALETTE)] if colour_by_index else PALETTE[0],
            )
        )
    return BarChart(title=title, bars=bars, width=width, height=height, baseline=baseline)
