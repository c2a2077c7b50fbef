"""The portal's texts (gateway/texts/*.json): both languages for every key, no
key in two files, and every key a template or module asks for by name exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gateway.i18n import TEXT_FILES, TEXTS, TEXTS_DIR, load_texts, translator

GATEWAY = Path(__file__).resolve().parents[3] / "gateway"
# t('key') / t("key") with a literal key, in templates and Python.
_LITERAL_KEY = re.compile(r"""\bt\(\s*['"]([A-Za-z0-9_.]+)['"]""")


def test_every_text_has_both_languages_and_every_file_is_read():
    assert {path.stem for path in TEXTS_DIR.glob("*.json")} == set(TEXT_FILES)
    for key, text in TEXTS.items():
        assert set(text) == {"zh", "en"} and text["zh"].strip() and text["en"].strip(), key


def test_a_key_in_two_files_is_refused(tmp_path):
    for name in TEXT_FILES:
        (tmp_path / f"{name}.json").write_text("{}", encoding="utf-8")
    (tmp_path / "portal.json").write_text(
        json.dumps({"home": {"zh": "首页", "en": "Home"}}), encoding="utf-8"
    )
    (tmp_path / "follows.json").write_text(json.dumps({"home": {"zh": "家", "en": "Home"}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"follows\.json repeats keys"):
        load_texts(tmp_path)


def test_every_key_asked_for_by_name_exists():
    sources = [*GATEWAY.rglob("*.html"), *GATEWAY.rglob("*.py")]
    asked = {key for path in sources for key in _LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert len(asked) > 300
    prefixes = {key for key in asked if key.endswith(".")}  # t('pk.' ~ kind): a family of keys
    assert sorted(asked - prefixes - TEXTS.keys()) == []
    assert sorted(p for p in prefixes if not any(key.startswith(p) for key in TEXTS)) == []


def test_placeholders_are_the_same_in_both_languages():
    for key, text in TEXTS.items():
        names = [set(re.findall(r"\{(\w*)\}", text[lang])) for lang in ("zh", "en")]
        assert names[0] == names[1], key
    assert translator("en")("total", n=3) == "3 records"
