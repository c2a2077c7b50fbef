"""The feedback use cases on the in-memory unit of work (tests/support/feedback_fakes.py)."""

from __future__ import annotations

import pytest

from tests.support.feedback_fakes import FakeFeedback

SCJG, CGJ = "SCJG-1", "CGJ-1"


@pytest.fixture
def fake() -> FakeFeedback:
    """The handlers on the fake, two agencies known, the clock at Monday 2026-11-02 10:00 in China."""
    fake = FakeFeedback.start(client_key="fake-client-key")
    fake.units.add_agency(SCJG, "测试市场监督管理局")
    fake.units.add_agency(CGJ, "测试城市管理综合执法局")
    return fake
