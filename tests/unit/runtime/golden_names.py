"""Reads and scores the person-name golden set (tests/data/person_names_golden.txt)."""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

GOLDEN = pathlib.Path(__file__).parents[2] / "data" / "person_names_golden.txt"
_MARK = re.compile(r"\[([^\]]+)\]|\{([^}]+)\}")


@dataclass(frozen=True)
class Sentence:
    text: str
    names: frozenset[str]  # to be masked
    kept: frozenset[str]  # officers: must stay
    held_out: bool


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load() -> list[Sentence]:
    rows = [
        line for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    ]
    sentences = []
    for n, line in enumerate(rows):
        marks = _MARK.findall(line)
        sentences.append(
            Sentence(
                text=_MARK.sub(lambda m: m.group(1) or m.group(2), line),
                names=frozenset(a for a, _ in marks if a),
                kept=frozenset(b for _, b in marks if b),
                held_out=n % 2 == 1,
            )
        )
    return sentences


def score(sentences: Iterable[Sentence], detect: Callable[[str], Iterable[str]]) -> tuple[Score, list[str]]:
    """Scores by name per sentence: a name found with a wrong boundary counts as
    both a false positive and a false negative, since part of it would show."""
    total, errors = Score(), []
    for s in sentences:
        found = set(detect(s.text))
        total.tp += len(found & s.names)
        total.fp += len(found - s.names)
        total.fn += len(s.names - found)
        if found != s.names:
            errors.append(f"{s.text}\n   missed {sorted(s.names - found)} extra {sorted(found - s.names)}")
    return total, errors
