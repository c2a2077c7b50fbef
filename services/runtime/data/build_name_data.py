"""Rebuilds the data files of services/runtime/person_names.py (run by hand, not at run time).

    pip install jieba==0.42.1 opencc-purepy==1.5.0
    python services/runtime/data/build_name_data.py

- name_lexicon.txt: a compact jieba dictionary (word, frequency, part of speech)
  distilled from jieba's own dict.txt: the most frequent ordinary words, which
  keep place names, company names and common words from being read as names,
  and every place name. jieba's full dictionary costs ~120 MB and ~3 s to load;
  this one ~20 MB and under a second (docs/domain.md, "Names in free text").
- t2s.txt: traditional -> simplified, one character to one character, from
  OpenCC's TSCharacters (Apache-2.0). One-to-one keeps offsets, so a name found
  in the simplified copy is cut from the original text unchanged."""

from __future__ import annotations

import pathlib

import jieba
import opencc_purepy

HERE = pathlib.Path(__file__).parent
WORDS = 60_000  # the most frequent words, whatever their tag, and every place name (ns)


def build_lexicon() -> None:
    source = pathlib.Path(jieba.__file__).parent / "dict.txt"
    rows = [line.split() for line in source.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if len(r) == 3]
    frequent = sorted(rows, key=lambda r: -int(r[1]))[:WORDS]
    # jieba tags many common words as person names (顾客, 许可, 查明 are "nr"), so
    # no word keeps that tag: names are what the dictionary does not know.
    chosen = {r[0]: [r[0], r[1], "n" if r[2].startswith("nr") else r[2]] for r in frequent}
    chosen.update({r[0]: r for r in rows if r[2] == "ns" and r[0] not in chosen})
    lines = sorted(" ".join(r) for r in chosen.values())
    (HERE / "name_lexicon.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_t2s() -> None:
    source = pathlib.Path(opencc_purepy.__file__).parent / "dicts" / "TSCharacters.txt"
    pairs = []
    for line in source.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        simp = simp.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp and ord(trad) < 0x10000 and ord(simp) < 0x10000:
            pairs.append(trad + simp)
    (HERE / "t2s.txt").write_text("\n".join(pairs) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build_lexicon()
    build_t2s()
