"""Portal texts in Chinese (default) and English.

The texts are data, one JSON file per area of the portal under gateway/texts/
(`{"key": {"zh": ..., "en": ...}}`), read once at import. A key names its area
by a prefix where it has one (`fb.` feedback, `fo.` follows, `ex.` ex-ante
publicity, `fe.` form errors, `ar.` the annual report)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

TEXTS_DIR = Path(__file__).resolve().parent / "texts"
# Read in this order; a key may appear in one file only (tests/unit/gateway/test_display.py).
TEXT_FILES = ("portal", "exante", "records", "feedback", "annual_report", "citizen", "follows")


def load_texts(directory: Path = TEXTS_DIR) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for name in TEXT_FILES:
        area = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        repeated = texts.keys() & area.keys()
        if repeated:
            raise ValueError(f"texts/{name}.json repeats keys of an earlier file: {sorted(repeated)}")
        texts.update(area)
    return texts


TEXTS = load_texts()


def translator(lang: str) -> Callable[..., str]:
    def t(key: str, **values) -> str:
        text = TEXTS.get(key, {}).get(lang) or TEXTS.get(key, {}).get("zh") or key
        return text.format(**values) if values else text

    return t
