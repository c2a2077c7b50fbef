"""The server-side flow diagram of a procedure (gateway/flowchart.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gateway.flowchart import CHARS_PER_LINE, flowchart_svg, text_alternative
from gongshi.v1 import procedures_pb2 as pb

SVG = "{http://www.w3.org/2000/svg}"


def steps(*names: str) -> list[pb.ProcedureStep]:
    return [
        pb.ProcedureStep(name=n, actor="执法科", time_limit="5个工作日", output_document="文书")
        for n in names
    ]


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def test_one_box_per_step_joined_by_arrows():
    root = parse(flowchart_svg(steps("立案", "调查", "决定"), svg_id="f", title="流程", description="d"))
    assert len(root.findall(f"{SVG}rect")) == 3
    assert len(root.findall(f"{SVG}line")) == 2
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "1. 立案" and "3. 决定" in texts


def test_it_is_labelled_for_screen_readers():
    root = parse(flowchart_svg(steps("立案"), svg_id="flow", title="某程序流程图", description="1. 立案"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "flow-title flow-desc"
    assert root.find(f"{SVG}title").text == "某程序流程图"
    assert root.find(f"{SVG}desc").text == "1. 立案"


def test_agency_text_is_escaped():
    evil = '<script>alert("x")</script>&'
    svg = str(flowchart_svg(steps(evil), svg_id="f", title=evil, description=evil))
    assert "<script>" not in svg
    parse(svg)  # still well-formed XML


def test_long_names_wrap_and_stay_bounded():
    root = parse(flowchart_svg(steps("长" * (CHARS_PER_LINE * 5)), svg_id="f", title="t", description="d"))
    lines = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "700"]
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(len(line) <= CHARS_PER_LINE for line in lines)


def test_text_alternative_lists_every_step_in_order():
    text = text_alternative(steps("立案", "决定"))
    assert text == "1. 立案（执法科，5个工作日，文书）；2. 决定（执法科，5个工作日，文书）"
    assert text_alternative([pb.ProcedureStep(name="受理")]) == "1. 受理"
