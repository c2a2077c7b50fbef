"""Deterministic sample records and payloads shared by benchmarks.

Platform benchmarks should use the same shapes so their ratios to the bare
references compare like with like.
"""

from __future__ import annotations

import json
from typing import Any

LIST_SIZE = 20  # records per HTTP list response
ITEM_BYTES = 300  # approximate size of one streamed / published item (one record as JSON)

_NAMES = ["山水清音", "松风阁", "竹石图", "太湖石", "灵璧石", "英石", "昆石", "雨花石"]
_PLACES = ["苏州", "杭州", "扬州", "南京", "北京", "上海", "广州", "成都"]
_NOTES = [
    "石形瘦皱漏透，纹理自然，置于案头可观可玩。",
    "色泽温润，质地坚硬，叩之有金石之声。",
    "峰峦叠嶂，宛若山水小景，适合书房陈设。",
    "底座为红木雕刻，与石体浑然一体。",
]

# Column order for tabular stores (sqlite) - a dozen fields.
FIELDS = (
    "id",
    "name",
    "origin",
    "category",
    "description",
    "weight_g",
    "height_mm",
    "width_mm",
    "price_cents",
    "in_stock",
    "created_at",
    "tags",
)


def record(i: int) -> dict[str, Any]:
    """Record ``i``: about a dozen fields, several of them Chinese text."""
    return {
        "id": i,
        "name": f"{_NAMES[i % len(_NAMES)]}第{i}号",
        "origin": _PLACES[i % len(_PLACES)],
        "category": "供石" if i % 2 else "赏石",
        "description": _NOTES[i % len(_NOTES)],
        "weight_g": 500 + (i * 37) % 9000,
        "height_mm": 80 + (i * 13) % 400,
        "width_mm": 60 + (i * 7) % 300,
        "price_cents": 10_000 + (i * 991) % 5_000_000,
        "in_stock": i % 3 != 0,
        "created_at": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+08:00",
        "tags": "文房,清供,收藏" if i % 2 else "园林,庭院",
    }


def records(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [record(i) for i in range(start, start + n)]


def row(i: int) -> tuple[Any, ...]:
    rec = record(i)
    return tuple(rec[f] for f in FIELDS)


def item_payload(i: int = 0) -> bytes:
    """One record as compact UTF-8 JSON: about ITEM_BYTES long, and valid JSON."""
    return json.dumps(record(i), ensure_ascii=False, separators=(",", ":")).encode()
