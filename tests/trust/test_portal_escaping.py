"""Portal output is escaped everywhere: script and HTML payloads are stored in
every free-text field of every kind of record (agency, legal basis, duty
item, procedure, supervision channel, decision, feedback and its reply) and
sent in query strings and paths; headless Chromium opens every page that
shows them and proves none executed and none became markup. Forms carry a
CSRF token and responses the security headers."""

from __future__ import annotations

import itertools
import time
import urllib.parse
import uuid

import grpc
import httpx
import pytest
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from gongshi.v1 import duties_pb2 as dpb
from gongshi.v1 import duties_pb2_grpc, feedback_pb2_grpc, procedures_pb2_grpc, results_pb2_grpc
from gongshi.v1 import feedback_pb2 as fpb
from gongshi.v1 import procedures_pb2 as ppb
from gongshi.v1 import results_pb2 as rpb
from tests.e2e.conftest import browser, screenshots  # noqa: F401 - the shared Chromium fixtures
from tests.support.decisions import penalty
from tests.support.platform import ADMIN_TOKEN, auth, register_agency
from tests.trust.conftest import own_platform
from tests.trust.test_authorization_matrix import _eventually
from tests.trust.test_fuzz_grpc import field_violations

pytestmark = pytest.mark.browser

# Each payload carries a data-xss attribute: had any become markup, the DOM
# would hold an element with it, whether or not the CSP stopped the script.
PAYLOADS = [
    "<script data-xss>window.__xss=1</script>",
    '<img data-xss src=x onerror="window.__xss=2">',
    '"><svg data-xss onload="window.__xss=3">',
    '\'><iframe data-xss srcdoc="<script>parent.__xss=4</script>"></iframe>',
    "</textarea></title><b data-xss onmouseover=window.__xss=5>x</b>",
    "{{7*7}}${7*7}<a data-xss href=javascript:window.__xss=6>x</a>",
]
JS_URL = "javascript:window.__xss=7"
# Identifiers, dates and codes keep their valid values: they are not free text.
NOT_FREE_TEXT = {
    "code",
    "agency_code",
    "region_code",
    "certificate_number",
    "legal_basis_codes",
    "duty_item_code",
}


def poison(message: Message, counter=None, prefix: str = "") -> None:
    """Put a payload in every string field of `message` (and its set sub-messages)."""
    counter = counter if counter is not None else itertools.count()
    for field in message.DESCRIPTOR.fields:
        if field.name in NOT_FREE_TEXT or field.name.endswith(
            ("_date", "_from", "_to", "_url", "url", "website")
        ):
            continue
        if field.type == FieldDescriptor.TYPE_STRING:
            if field.is_repeated:
                values = getattr(message, field.name)
                count = max(1, len(values))
                del values[:]
                values.extend(PAYLOADS[next(counter) % len(PAYLOADS)] for _ in range(count))
            else:
                setattr(message, field.name, PAYLOADS[next(counter) % len(PAYLOADS)])
        elif field.message_type is not None and not field.is_repeated and message.HasField(field.name):
            poison(getattr(message, field.name), counter, f"{prefix}{field.name}.")
        elif field.message_type is not None and field.is_repeated:
            for item in getattr(message, field.name):
                poison(item, counter, f"{prefix}{field.name}.")


def restore(request: Message, base: Message, path: str) -> None:
    """Give back the valid value of a field the service refused (path like a.b[0].c)."""
    names = [part.split("[")[0] for part in path.split(".") if part]
    target, source = request, base
    for name in names[:-1]:
        target, source = getattr(target, name), getattr(source, name)
        if hasattr(target, "add"):  # a repeated message field: restore it whole
            del target[:]
            target.extend(source)
            return
    field = target.DESCRIPTOR.fields_by_name[names[-1]]
    if field.is_repeated:
        del getattr(target, names[-1])[:]
        getattr(target, names[-1]).extend(getattr(source, names[-1]))
    elif field.message_type is not None:
        getattr(target, names[-1]).CopyFrom(getattr(source, names[-1]))
    else:
        setattr(target, names[-1], getattr(source, names[-1]))


def store(call, base: Message, *, token: str, refused: list[str], prefix: str = ""):
    """Call with every free-text field poisoned; where validation refuses a
    field (length, format), put its valid value back and try again."""
    request = type(base)()
    request.CopyFrom(base)
    poison(request)
    empty = type(base)()
    seen: set[str] = set()
    for _ in range(20):
        try:
            return call(request, metadata=auth(token), timeout=10)
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.INVALID_ARGUMENT:
                raise
            fields = [f for f in field_violations(exc) if f]
            assert fields, exc.details()
            for path in fields:
                refused.append(prefix + path)
                # The valid value first; if even that is refused (a javascript: URL), none.
                restore(request, empty if path in seen else base, path.removeprefix(prefix))
                seen.add(path)
    raise AssertionError(f"still refused: {refused}")


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    for platform, settings, _ in own_platform(tmp_path_factory, "sqlite"):
        yield platform, settings


@pytest.fixture(scope="module")
def stored(running):
    _, settings = running
    tag = uuid.uuid4().hex[:6]
    code = f"XSS-{tag}"
    refused: list[str] = []
    duties = grpc.insecure_channel(settings.grpc_addr("duties"))
    admin = duties_pb2_grpc.AdminServiceStub(duties)
    agency = dpb.Agency(
        code=code, name="测试局", region_code="310101", kind=dpb.AGENCY_KIND_ADMINISTRATIVE_ORGAN,
        address="上海市", office_hours="9:00-17:00", phone="021-12345678", email="a@example.cn",
    )  # fmt: skip
    store(admin.RegisterAgency, dpb.RegisterAgencyRequest(agency=agency), token=ADMIN_TOKEN, refused=refused)
    for field in ("website",):  # a javascript: URL must never become a link
        try:
            with_url = dpb.Agency()
            with_url.CopyFrom(agency)
            setattr(with_url, field, JS_URL)
            admin.RegisterAgency(
                dpb.RegisterAgencyRequest(agency=with_url, reason="网址"),
                metadata=auth(ADMIN_TOKEN),
                timeout=10,
            )
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.INVALID_ARGUMENT
            refused.append(f"agency.{field}")
    token = register_agency(settings, code)
    records = duties_pb2_grpc.DutiesServiceStub(duties)
    basis = dpb.LegalBasis(
        agency_code=code, code="XSS-B", instrument_title="中华人民共和国食品安全法",
        level=dpb.INSTRUMENT_LEVEL_LAW, issuing_body="全国人民代表大会常务委员会", article="第一百二十四条",
        role=dpb.BASIS_ROLE_PENALTY, effective_date="2015-10-01", text_excerpt="违反本法规定",
        source_url=JS_URL,
    )  # fmt: skip
    store(
        records.PutLegalBasis,
        dpb.PutLegalBasisRequest(legal_basis=basis, publish=True),
        token=token,
        refused=refused,
    )
    item = dpb.DutyItem(
        agency_code=code, code="XSS-D", name="对经营超过保质期食品的处罚", power_type=dpb.POWER_TYPE_PENALTY,
        legal_basis_codes=["XSS-B"], handling_unit="执法稽查科",
        responsibilities=[dpb.Responsibility(stage=dpb.DUTY_STAGE_FILING, description="立案")],
        accountability_cases=["不履行职责的"],
    )  # fmt: skip
    store(
        records.PutDutyItem,
        dpb.PutDutyItemRequest(duty_item=item, publish=True),
        token=token,
        refused=refused,
    )

    procedures = procedures_pb2_grpc.ProceduresServiceStub(
        grpc.insecure_channel(settings.grpc_addr("procedures"))
    )
    procedure = ppb.Procedure(
        agency_code=code, code="XSS-P", duty_item_code="XSS-D", name="行政处罚一般程序",
        steps=[ppb.ProcedureStep(name="立案", actor="稽查科"), ppb.ProcedureStep(name="决定", actor="本局")],
    )  # fmt: skip
    _eventually(
        lambda: store(
            procedures.PutProcedure, ppb.PutProcedureRequest(procedure=procedure, publish=True),
            token=token, refused=refused,
        ),
        retry_on=(grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.UNAUTHENTICATED),
    )  # fmt: skip
    channel = ppb.SupervisionChannel(
        agency_code=code,
        code="XSS-C",
        type=1,
        name="投诉电话",
        receiving_body="本局",
        phone="12315",
        url=JS_URL,
    )
    store(
        procedures.PutSupervisionChannel, ppb.PutSupervisionChannelRequest(channel=channel, publish=True),
        token=token, refused=refused,
    )  # fmt: skip

    results = results_pb2_grpc.ResultsServiceStub(grpc.insecure_channel(settings.grpc_addr("results")))
    decision = penalty(
        f"沪{tag}罚1号", duty_item_code="", third_party_names=[], violated_provisions=["第一条"]
    )
    result = store(
        results.PublishDecision, rpb.PublishDecisionRequest(decision=decision), token=token, refused=refused
    ).result

    feedback = feedback_pb2_grpc.FeedbackServiceStub(grpc.insecure_channel(settings.grpc_addr("feedback")))
    submission = fpb.SubmitFeedbackRequest(
        target=fpb.FeedbackTarget(type=fpb.FEEDBACK_TARGET_TYPE_RESULT, id=result.id),
        category=fpb.FEEDBACK_CATEGORY_SUGGESTION,
        text="建议公示更多信息",
        display_name="市民",
        show_display_name=True,
    )
    # Feedback learns of the result through an event: a plain submission first, until it is accepted.
    plain = fpb.SubmitFeedbackRequest()
    plain.CopyFrom(submission)
    plain.text = "请核实公示信息。"
    _eventually(
        lambda: feedback.SubmitFeedback(plain, metadata=[("x-client-address", "198.51.100.8")], timeout=10)
    )
    submitted = _eventually(
        lambda: store(
            lambda request, metadata, timeout: feedback.SubmitFeedback(
                request, metadata=[("x-client-address", "198.51.100.9")], timeout=timeout
            ),
            submission, token=token, refused=refused,
        )
    )  # fmt: skip
    agency_feedback = feedback_pb2_grpc.FeedbackServiceStub(
        grpc.insecure_channel(settings.grpc_addr("feedback"))
    )
    agency_feedback.AcceptFeedback(
        fpb.AcceptFeedbackRequest(feedback_id=submitted.tracking_code, note=PAYLOADS[0]), metadata=auth(token)
    )
    agency_feedback.ReplyFeedback(
        fpb.ReplyFeedbackRequest(feedback_id=submitted.tracking_code, text="感谢建议。" + PAYLOADS[1]),
        metadata=auth(token),
    )
    time.sleep(1.5)  # events reach the gateway's and services' copies
    return {
        "code": code,
        "result": result.id,
        "feedback": submitted.tracking_code,
        "refused": refused,
    }


def pages(stored: dict) -> list[str]:
    code = stored["code"]
    q = urllib.parse.quote
    return [
        "/",
        f"/results/{stored['result']}",
        f"/results/{stored['result']}/history",
        f"/search?q={q(PAYLOADS[0])}",
        f"/search?q={q('测试局')}",
        f"/agencies/{code}",
        f"/legal-bases/{code}/XSS-B",
        f"/duty-items/{code}/XSS-D",
        f"/procedures/{code}/XSS-P",
        f"/supervision-channels/{code}/XSS-C",
        f"/feedback/{stored['feedback']}",
        "/feedback",
        "/takedowns",
        f"/results/{q(PAYLOADS[1])}",  # a 404 that names the path
        f"/feedback?status={q(PAYLOADS[2])}",
        f"/statistics?agency={q(PAYLOADS[3])}",
    ]


CHECK = """
return {
  executed: window.__xss || 0,
  injected: document.querySelectorAll('[data-xss]').length,
  jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
};
"""


def test_stored_and_reflected_payloads_never_execute(browser, running, stored, screenshots):  # noqa: F811
    platform, _ = running
    shown = []
    for path in pages(stored):
        browser.get(platform.gateway.address + path)
        time.sleep(0.2)  # an onerror handler fires after load
        found = browser.execute_script(CHECK)
        assert found == {"executed": 0, "injected": 0, "jsLinks": 0}, f"{path}: {found}"
        if any(p in browser.page_source for p in ("&lt;script data-xss", "&lt;img data-xss", "data-xss")):
            shown.append(path)
    browser.save_screenshot(str(screenshots / "xss-result.png"))
    # The payloads were stored and are on the pages, as text.
    assert {f"/results/{stored['result']}", f"/agencies/{stored['code']}"} <= set(shown), shown
    print(f"\npayload pages checked: {len(pages(stored))}; fields refused by validation: {stored['refused']}")


def test_responses_carry_security_headers(running):
    platform, _ = running
    with httpx.Client(base_url=platform.gateway.address, timeout=10) as http:
        for path in ("/", "/api/v1/results", "/feedback/new", "/no-such-page", "/static/site.css"):
            headers = http.get(path).headers
            csp = headers["content-security-policy"]
            assert (
                "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
            )
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "same-origin"
            assert headers["x-frame-options"] == "DENY"


def test_forms_carry_csrf_protection(running):
    platform, _ = running
    with httpx.Client(base_url=platform.gateway.address, timeout=10) as http:
        form = http.get("/feedback/new")
        assert 'name="csrf_token"' in form.text and "gongshi_csrf" in form.headers.get("set-cookie", "")
        # A cross-site post has neither the cookie nor a valid token: refused, nothing stored.
        forged = httpx.post(
            f"{platform.gateway.address}/feedback/new",
            data={"target_type": "agency", "target_id": "X", "category": "complaint", "text": "伪造提交"},
            timeout=10,
        )
        assert forged.status_code in (400, 403), forged.status_code
