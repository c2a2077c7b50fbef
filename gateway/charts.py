"""What a chart shows, as data: /static/charts.js draws it with Apache ECharts
(vendored in static/vendor/echarts) from a `data-chart` JSON attribute, since
the CSP allows no inline script. The page always has a table of the same
figures, which is all a browser without JavaScript shows.

A spec: {"kind": "columns" | "bars", "title", "labels", "series": [{"name",
"values"}], "unit", "decimals", "description"}. "columns" are vertical and
stacked (a time axis, labelled 2026-11); "bars" are horizontal, so long
category names each get a line of their own instead of running together."""

from __future__ import annotations

from gateway.display import number, wan_yuan

# Pixels per horizontal bar and around the plot: the chart grows with its rows.
BAR_ROW_PX = 34
BAR_CHART_EXTRA_PX = 56
COLUMN_CHART_PX = 300


def bars(title: str, items: list[tuple[str, float]], *, unit: str = "", decimals: int = 0) -> dict | None:
    """Horizontal bars, one per (label, value); None when there is nothing to draw."""
    if not items:
        return None
    return {
        "kind": "bars",
        "title": title,
        "labels": [label for label, _ in items],
        "series": [{"name": title, "values": [value for _, value in items]}],
        "unit": unit,
        "decimals": decimals,
        "height": BAR_CHART_EXTRA_PX + BAR_ROW_PX * len(items),
        "description": _describe(title, items, unit, decimals),
    }


def stacked_columns(
    title: str, labels: list[str], series: dict[str, dict[str, int]], names: dict[str, str]
) -> dict | None:
    """One column per label (a month, 2026-11), stacked by series (a category)."""
    if not labels:
        return None
    totals = [(label, sum(values.get(label, 0) for values in series.values())) for label in labels]
    return {
        "kind": "columns",
        "title": title,
        "labels": labels,
        "series": [
            {"name": names.get(key, key), "values": [values.get(label, 0) for label in labels]}
            for key, values in series.items()
        ],
        "unit": "",
        "decimals": 0,
        "height": COLUMN_CHART_PX,
        "description": _describe(title, totals, "", 0),
    }


def wan_yuan_value(fen: int) -> float:
    """Fen as 萬元 for plotting (2 decimals; the tables show the exact text)."""
    return round(fen / 1_000_000, 2)


def _describe(title: str, items: list[tuple[str, float]], unit: str, decimals: int) -> str:
    """The sentence ECharts' aria support gives screen readers (its own is English-only)."""
    shown = "；".join(f"{label} {_format(value, decimals)}{unit}" for label, value in items)
    return f"{title}：{shown}"


def _format(value: float, decimals: int) -> str:
    return wan_yuan(round(value * 1_000_000)) if decimals == 2 else number(int(value))
