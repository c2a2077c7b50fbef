"""The portal as a citizen sees it, in headless Chromium against the real
platform, on a desktop (1280 px) and a phone (375 px): agency names instead
of codes, China time with <time datetime>, charts whose labels do not
overlap, no sideways scrolling, the record -> feedback link, errors in the
page's language next to their field, provisional deadlines, and axe-core's
WCAG 2.1 A/AA rules (no critical or serious violation) on every kind of page."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import re
import time
import uuid

import grpc
import httpx
import pytest
from selenium.common.exceptions import StaleElementReferenceException

from gongshi.v1 import feedback_pb2, feedback_pb2_grpc, results_pb2_grpc
from gongshi.v1 import results_pb2 as pb
from tests.e2e.axe import run_axe
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency

# A page that is still loading replaces the elements a wait just found: look again.
STALE = (StaleElementReferenceException,)

pytestmark = pytest.mark.browser

AGENCY_NAME = "上海市黄浦区市场监督管理局"
PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": True}
MAX_SHOT_PX = 6000
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
KINDS = [
    pb.PENALTY_KIND_WARNING,
    pb.PENALTY_KIND_FINE,
    pb.PENALTY_KIND_CONFISCATION,
    pb.PENALTY_KIND_LICENCE_SUSPENSION,
    pb.PENALTY_KIND_LICENCE_REVOCATION,
    pb.PENALTY_KIND_BUSINESS_RESTRICTION,
    pb.PENALTY_KIND_SUSPENSION_CLOSURE,
]


def eventually(call, *, until=lambda value: True, retry_on=(), timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = call()
            if until(value):
                return value
        except grpc.RpcError as exc:
            if exc.code() not in retry_on or time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached within {timeout}s")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def city(running):
    """One agency with 30 months of decisions (a crowded month axis), every
    penalty kind (long names), a withdrawn record, a record whose deadline was
    counted without holiday data, and answered public feedback on a record."""
    tag = uuid.uuid4().hex[:6]
    code = f"SCJG-{tag}"
    token = register_agency(running.settings, code, name=AGENCY_NAME)
    results_channel = grpc.insecure_channel(running.settings.grpc_addr("results"))
    feedback_channel = grpc.insecure_channel(running.settings.grpc_addr("feedback"))
    results = results_pb2_grpc.ResultsServiceStub(results_channel)
    feedback = feedback_pb2_grpc.FeedbackServiceStub(feedback_channel)

    def publish(number: str, **fields) -> pb.Result:
        decision = penalty(document_number=f"沪黄市监罚〔2026〕{tag}{number}号", **fields)
        request = pb.PublishDecisionRequest(decision=decision)
        return results.PublishDecision(request, metadata=auth(token), timeout=10).result

    month = dt.date(2024, 6, 10)
    published = []
    for i in range(30):
        kind = KINDS[i % len(KINDS)]
        published.append(
            publish(
                f"M{i}",
                decision_date=month.isoformat(),
                penalty_kinds=[kind],
                fine_amount_fen=123_456_789 + i,
            )
        )
        month = (month.replace(day=1) + dt.timedelta(days=32)).replace(day=10)
    record = published[-1]
    gone = publish("W", decision_date="2026-10-12", facts="当事人虚假宣传保健食品功效。")
    results.WithdrawResult(
        pb.WithdrawResultRequest(
            id=gone.id, reason=pb.WITHDRAWAL_REASON_REVOKED, statement="原决定已依法撤销。"
        ),
        metadata=auth(token),
        timeout=10,
    )
    # Before 2004 there is no holiday data: the deadline is counted on weekdays only.
    provisional = publish(
        "P",
        category=pb.DECISION_CATEGORY_INSPECTION,
        penalty_kinds=[],
        fine_amount_fen=0,
        decision_date="2003-12-22",
        conclusion="检查合格。",
    )
    assert provisional.deadline_note, "a 2003 decision is counted without holiday data"

    submitted = eventually(
        lambda: feedback.SubmitFeedback(
            feedback_pb2.SubmitFeedbackRequest(
                target=feedback_pb2.FeedbackTarget(
                    type=feedback_pb2.FEEDBACK_TARGET_TYPE_RESULT, id=record.id
                ),
                category=feedback_pb2.FEEDBACK_CATEGORY_QUESTION,
                text="请问罚款应在何时缴纳？",
            ),
            metadata=[("x-client-address", "198.51.100.140")],
            timeout=10,
        ),
        retry_on=(grpc.StatusCode.INVALID_ARGUMENT,),  # until results' event reaches feedback
    )
    case = submitted.tracking_code
    eventually(
        lambda: feedback.AcceptFeedback(
            feedback_pb2.AcceptFeedbackRequest(feedback_id=case), metadata=auth(token), timeout=10
        ),
        retry_on=(grpc.StatusCode.UNAUTHENTICATED,),
    )
    feedback.ReplyFeedback(
        feedback_pb2.ReplyFeedbackRequest(feedback_id=case, text="应自收到处罚决定书之日起十五日内缴纳。"),
        metadata=auth(token),
        timeout=10,
    )
    yield {"code": code, "record": record, "gone": gone, "provisional": provisional, "case": case}
    results_channel.close()
    feedback_channel.close()


def visit(browser, running, path: str) -> None:
    browser.get(running.gateway.address + path)


def emulate(browser, metrics: dict) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


@pytest.fixture
def phone(browser):
    """The next pages at 375 px; back to the desktop afterwards (the browser is shared)."""
    emulate(browser, PHONE)
    yield
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def pages(city) -> list[tuple[str, str]]:
    code, record = city["code"], city["record"]
    return [
        ("home", "/"),
        ("search", "/search?q=%E9%A3%9F%E5%93%81"),
        ("record", f"/results/{record.id}"),
        ("tombstone", f"/results/{city['gone'].id}"),
        ("feedback-form", f"/feedback/new?target_type=result&target_id={record.id}"),
        ("feedback-tracking", "/feedback/track"),
        ("feedback-case", f"/feedback/{city['case']}"),
        ("statistics", f"/statistics?agency={code}"),
        ("annual-report", f"/reports/annual?agency={code}&year=2025"),
        ("exante", "/exante"),
        ("agencies", "/agencies"),
        ("agency", f"/agencies/{code}"),
        ("duty-items", "/duty-items"),
        ("certificate-check", "/officers/check"),
    ]


def wait_for_charts(browser, expected: int) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10, ignored_exceptions=STALE).until(
        lambda b: (
            b.execute_script("return document.querySelectorAll('.chart-canvas svg text').length") > 0
            and len(b.find_elements("css selector", ".chart-canvas svg")) >= expected
        )
    )


OVERLAPS = """
const found = [];
for (const chart of document.querySelectorAll('.chart-canvas')) {
  const boxes = [...chart.querySelectorAll('svg text')]
    .filter(t => t.textContent.trim() && getComputedStyle(t).display !== 'none')
    .filter(t => t.getAttribute('opacity') !== '0')
    .map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const frame = chart.getBoundingClientRect();
  for (const [text, r] of boxes)  // a label cut off at the chart's edge is not readable either
    if (r.left < frame.left - 1 || r.right > frame.right + 1) found.push(chart.id + ': ' + text + ' cut');
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, s] = boxes[j];
      // 1 px of slack for anti-aliased edges
      if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1)
        found.push(chart.id + ': ' + a + ' / ' + b);
    }
}
return found;
"""


def test_record_and_lists_show_agency_names_and_china_time(browser, running, city, screenshots):
    from selenium.webdriver.common.by import By

    record = city["record"]
    published = dt.datetime.fromisoformat(record.published_at.replace("Z", "+00:00"))
    local = published.astimezone(dt.timezone(dt.timedelta(hours=8)))
    visit(browser, running, f"/results/{record.id}?lang=zh")
    agency = browser.find_element(By.CSS_SELECTOR, "dd.agency")
    assert AGENCY_NAME in agency.text and city["code"] in agency.text  # name first, code as a detail
    shown = browser.find_element(By.CSS_SELECTOR, "dd.published-at time")
    assert shown.get_attribute("datetime") == local.isoformat(timespec="seconds")
    assert shown.get_attribute("datetime").endswith("+08:00")
    assert shown.text == f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    assert "Z" not in shown.text and "T" not in shown.text

    visit(browser, running, f"/results/{record.id}?lang=en")
    shown = browser.find_element(By.CSS_SELECTOR, "dd.published-at time")
    assert shown.text == f"{local.day} {local:%b} {local.year}, {local:%H:%M}"
    assert AGENCY_NAME in browser.find_element(By.CSS_SELECTOR, "dd.agency").text

    visit(browser, running, f"/search?agency={city['code']}&lang=zh")
    metas = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".hits .hit .meta")]
    assert metas and all(AGENCY_NAME in m for m in metas)
    assert all(t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, ".hits time"))
    visit(browser, running, "/?lang=zh")
    assert AGENCY_NAME in browser.find_element(By.ID, "latest-list").text

    # The API keeps ISO 8601 and the code.
    api = httpx.get(f"{running.gateway.address}/api/v1/results/{record.id}", timeout=10).json()
    assert api["agency_code"] == city["code"] and api["published_at"] == record.published_at


def test_chart_labels_do_not_overlap_on_desktop_and_phone(browser, running, city, screenshots):
    from selenium.webdriver.common.by import By

    for (width, metrics), lang in itertools.product(((1280, DESKTOP), (375, PHONE)), ("zh", "en")):
        emulate(browser, metrics)
        try:
            visit(browser, running, f"/statistics?agency={city['code']}&lang={lang}")
            wait_for_charts(browser, 3)
            assert browser.execute_script(OVERLAPS) == [], f"overlapping labels at {width} px ({lang})"
            months = browser.find_elements(By.CSS_SELECTOR, "#chart-months svg text")
            assert any(re.fullmatch(r"20\d\d-\d\d", t.text) for t in months)
            amounts = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.chart-data td.num")]
            assert amounts and all(re.fullmatch(r"[\d,]+(\.\d\d)?", a) for a in amounts)
            figures = browser.find_element(By.CSS_SELECTOR, ".figures").text
            assert re.search(r"\d{1,3}(,\d{3})+\.\d\d\b", figures) and not re.search(r"\.\d{4}\b", figures)
            box = browser.find_element(By.ID, "chart-months")
            assert box.get_attribute("aria-label"), "ECharts' aria support describes the chart"

            visit(browser, running, f"/reports/annual?agency={city['code']}&year=2025&lang={lang}")
            wait_for_charts(browser, 2)
            assert browser.execute_script(OVERLAPS) == [], (
                f"overlapping labels at {width} px ({lang}, report)"
            )
            assert browser.find_elements(By.CSS_SELECTOR, "#chart-behaviours svg")
            assert browser.find_elements(By.CSS_SELECTOR, "#chart-penalties svg")
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    logs = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert logs == [], "charts must work within the CSP"


def test_record_links_to_a_prefilled_feedback_form_and_shows_replies(browser, running, city):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    record = city["record"]
    visit(browser, running, f"/results/{record.id}?lang=zh")
    replies = browser.find_element(By.CSS_SELECTOR, "section.record-feedback").text
    assert "应自收到处罚决定书之日起十五日内缴纳。" in replies and "请问罚款应在何时缴纳？" in replies

    link = browser.find_element(By.CSS_SELECTOR, "a.comment-link")
    assert link.text == "对此提出意见"
    link.click()
    WebDriverWait(browser, 10, ignored_exceptions=STALE).until(
        lambda b: b.find_elements(By.ID, "f-description")
    )
    assert (
        Select(browser.find_element(By.ID, "f-target_type")).first_selected_option.get_attribute("value")
        == "result"
    )
    assert browser.find_element(By.ID, "f-target_id").get_attribute("value") == record.id
    assert browser.find_element(By.ID, "f-agency_code").get_attribute("value") == city["code"]

    # Nothing written: the error is Chinese, names the field by its label, sits next to it.
    browser.find_element(By.CSS_SELECTOR, "form.feedback-form button[type=submit]").click()
    WebDriverWait(browser, 10, ignored_exceptions=STALE).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".problems")
    )
    textarea = browser.find_element(By.ID, "f-description")
    assert textarea.get_attribute("aria-invalid") == "true"
    error = browser.find_element(By.ID, "e-description")
    assert error.text.endswith("请填写“反馈内容”")
    assert error.find_element(By.XPATH, "..") == textarea.find_element(By.XPATH, "..")
    assert "e-description" in textarea.get_attribute("aria-describedby")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "is required" not in page and "description:" not in page
    border = browser.execute_script("return getComputedStyle(arguments[0]).borderTopColor", textarea)
    assert border == "rgb(139, 0, 0)", "the field in error is highlighted"

    visit(browser, running, f"/results/{record.id}?lang=en")
    browser.find_element(By.CSS_SELECTOR, "a.comment-link").click()
    WebDriverWait(browser, 10, ignored_exceptions=STALE).until(
        lambda b: b.find_elements(By.ID, "f-description")
    )
    browser.find_element(By.CSS_SELECTOR, "form.feedback-form button[type=submit]").click()
    WebDriverWait(browser, 10, ignored_exceptions=STALE).until(
        lambda b: b.find_elements(By.ID, "e-description")
    )
    assert browser.find_element(By.ID, "e-description").text.endswith("Text is required")


def test_provisional_deadline_says_so_in_the_page_language(browser, running, city):
    from selenium.webdriver.common.by import By

    path = f"/results/{city['provisional'].id}"
    visit(browser, running, path + "?lang=zh")
    deadline = browser.find_element(By.CSS_SELECTOR, "dd.deadline")
    assert [b.text for b in deadline.find_elements(By.CSS_SELECTOR, ".badge")] == ["暂定"]  # not 按时公示
    assert not re.search(r"[A-Za-z]{3,}", deadline.text), "no English on the Chinese page"
    assert "节假日" in deadline.find_element(By.CSS_SELECTOR, ".deadline-note").text
    visit(browser, running, path + "?lang=en")
    deadline = browser.find_element(By.CSS_SELECTOR, "dd.deadline")
    assert [b.text for b in deadline.find_elements(By.CSS_SELECTOR, ".badge")] == ["Provisional"]
    assert "holidays" in deadline.find_element(By.CSS_SELECTOR, ".deadline-note").text


def test_textarea_focus_ring_favicon_and_focusable_tables(browser, running, city):
    from selenium.webdriver.common.by import By

    visit(browser, running, "/feedback/new")
    textarea = browser.find_element(By.ID, "f-description")
    textarea.click()
    ring = browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineWidth, s.outlineStyle]", textarea
    )
    assert ring == ["3px", "solid"]
    icon = httpx.get(f"{running.gateway.address}/favicon.ico", timeout=10)
    assert (
        icon.status_code == 200
        and icon.headers["content-type"] == "image/x-icon"
        and icon.content[:4] == b"\0\0\1\0"
    )
    visit(browser, running, f"/statistics?agency={city['code']}")
    for region in browser.find_elements(By.CSS_SELECTOR, ".scroll"):
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"


def test_every_page_fits_a_phone_passes_axe_and_is_photographed(
    browser, running, city, screenshots, axe_source
):
    """At 1280 px: axe-core's WCAG 2.1 A/AA rules; at 375 px: no sideways
    scrolling. Screenshots of both go to var/screenshots/."""
    failures = []
    for metrics, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        emulate(browser, metrics)
        try:
            for lang in ("zh", "en"):
                for name, path in pages(city):
                    visit(browser, running, path + ("&" if "?" in path else "?") + f"lang={lang}")
                    if name in ("statistics", "annual-report"):
                        wait_for_charts(browser, 2)
                    full_page_screenshot(browser, screenshots / f"{name}-{lang}-{suffix}.png")
                    if suffix == "phone":
                        root = "document.documentElement"
                        sizes = browser.execute_script(f"return [{root}.scrollWidth, {root}.clientWidth]")
                        if sizes[0] > sizes[1]:
                            failures.append(f"{name} ({lang}) scrolls sideways at 375 px: {sizes}")
                    else:
                        failures += [f"{name} ({lang}): {v}" for v in run_axe(browser, axe_source)]
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert failures == []


def full_page_screenshot(browser, path) -> None:
    """The whole page, not only the window (at most MAX_SHOT_PX high)."""
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], MAX_SHOT_PX), "scale": 1}
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"clip": clip, "captureBeyondViewport": True})
    path.write_bytes(base64.b64decode(shot["data"]))
