"""The flow diagram of a procedure (執法流程圖), drawn server-side as an
accessible inline SVG from its published steps.

The SVG is a picture of the same steps the page also lists as text (DOMAIN.md
(c) 5: the flowchart needs a text alternative); it has a title and a
description for screen readers, and every piece of agency text is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from gongshi.v1 import procedures_pb2 as pb

WIDTH = 560
BOX_X = 40
BOX_WIDTH = WIDTH - 2 * BOX_X
LINE_HEIGHT = 20
PADDING = 10
GAP = 34  # room for the arrow between boxes
CHARS_PER_LINE = 24  # CJK glyphs at 15px (bold) fit about this many per box width
DETAIL_CHARS_PER_LINE = 32  # ... and at 13px
MAX_NAME_LINES = 3
MAX_DETAIL_LINES = 2


@dataclass(frozen=True)
class _Box:
    y: int
    height: int
    lines: list[str]
    detail: list[str]


def _wrap(text: str, width: int = CHARS_PER_LINE, max_lines: int = MAX_NAME_LINES) -> list[str]:
    lines = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return lines


def _detail(step: pb.ProcedureStep) -> list[str]:
    text = " · ".join(p for p in (step.actor, step.time_limit, step.output_document) if p)
    return _wrap(text, DETAIL_CHARS_PER_LINE, MAX_DETAIL_LINES) if text else []


def flowchart_svg(steps: list[pb.ProcedureStep], *, svg_id: str, title: str, description: str) -> Markup:
    """An SVG of the steps top to bottom, joined by arrows."""
    boxes, y = [], 16
    for number, step in enumerate(steps, start=1):
        lines = _wrap(f"{number}. {step.name}")
        detail = _detail(step)
        height = PADDING * 2 + LINE_HEIGHT * (len(lines) + len(detail))
        boxes.append(_Box(y, height, lines, detail))
        y += height + GAP
    height = max(y - GAP + 16, 60)
    parts = [
        f'<svg id="{escape(svg_id)}" class="flowchart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{escape(svg_id)}-title {escape(svg_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="15">',
        f'<title id="{escape(svg_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(svg_id)}-desc">{escape(description)}</desc>',
        '<defs><marker id="' + escape(svg_id) + '-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="6" markerHeight="6" markerUnits="strokeWidth" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#1a1a1a"/></marker></defs>',
    ]
    for index, box in enumerate(boxes):
        parts.append(
            f'<rect x="{BOX_X}" y="{box.y}" width="{BOX_WIDTH}" height="{box.height}" rx="8" '
            'fill="#fff" stroke="#8b0000" stroke-width="2"/>'
        )
        text_y = box.y + PADDING + 15
        for line in box.lines:
            parts.append(
                f'<text x="{WIDTH // 2}" y="{text_y}" text-anchor="middle" font-weight="700" '
                f'fill="#1a1a1a">{escape(line)}</text>'
            )
            text_y += LINE_HEIGHT
        for line in box.detail:
            parts.append(
                f'<text x="{WIDTH // 2}" y="{text_y}" text-anchor="middle" font-size="13" '
                f'fill="#4a4a4a">{escape(line)}</text>'
            )
            text_y += LINE_HEIGHT
        if index + 1 < len(boxes):
            start, end = box.y + box.height, boxes[index + 1].y
            parts.append(
                f'<line x1="{WIDTH // 2}" y1="{start + 2}" x2="{WIDTH // 2}" y2="{end - 2}" stroke="#1a1a1a" '
                f'stroke-width="2" marker-end="url(#{escape(svg_id)}-arrow)"/>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def text_alternative(steps: list[pb.ProcedureStep]) -> str:
    """The steps as one sentence each, for the SVG's description."""
    sentences = []
    for number, step in enumerate(steps, start=1):
        details = "，".join(p for p in (step.actor, step.time_limit, step.output_document) if p)
        sentences.append(f"{number}. {step.name}" + (f"（{details}）" if details else ""))
    return "；".join(sentences)
