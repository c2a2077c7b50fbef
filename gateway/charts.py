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


@dataclass
class Segment:
    series: str
    value: int
    y: float
    height: float
    colour: str


@dataclass
class StackedColumn:
    label: str
    total: int
    x: float
    width: float
    segments: list[Segment]


@dataclass
class StackedChart:
    title: str
    columns: list[StackedColumn]
    legend: list[tuple[str, str]]
    width: int
    height: int
    baseline: float

    @property
    def empty(self) -> bool:
        return not self.columns


def stacked_chart(
    title: str, labels: list[str], series: dict[str, dict[str, int]], *, width: int = 480, height: int = 240
) -> StackedChart:
    """One column per label (e.g. month), stacked by series (e.g. category), with a legend."""
    top, bottom = 24, 44
    baseline = height - bottom
    totals = {label: sum(values.get(label, 0) for values in series.values()) for label in labels}
    peak = max(totals.values(), default=0) or 1
    slot = width / max(len(labels), 1)
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    columns = []
    for i, label in enumerate(labels):
        y, segments = baseline, []
        for name, values in series.items():
            value = values.get(label, 0)
            if not value:
                continue
            h = (baseline - top) * value / peak
            y -= h
            segments.append(Segment(name, value, y, h, colours[name]))
        columns.append(StackedColumn(label, totals[label], i * slot + slot * 0.15, slot * 0.7, segments))
    return StackedChart(title, columns, list(colours.items()), width, height, baseline)
