"""Following by e-mail as a person does it, in headless Chromium against the
platform as `make run` starts it (no mail server: mails land in the data
directory's mail folder): follow a company from its record page and a search
from the search page, confirm from the received mail, unsubscribe; axe-core
checks every follow page."""

from __future__ import annotations

import email
import email.policy
import re
import time
import uuid
from pathlib import Path

import grpc
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from tests.e2e.axe import run_axe
from tests.support.decisions import new_uscc, penalty
from tests.support.platform import auth, register_agency

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def company(running):
    tag = uuid.uuid4().hex[:6]
    code = f"SCJG-{tag}"
    token = register_agency(running.settings, code)
    uscc = new_uscc()
    with grpc.insecure_channel(running.settings.grpc_addr("results")) as channel:
        record = (
            results_pb2_grpc.ResultsServiceStub(channel)
            .PublishDecision(
                pb.PublishDecisionRequest(
                    decision=penalty(
                        facts=f"经查，当事人销售标识{tag}不全的预包装食品。",
                        party=pb.Party(
                            type=pb.PARTY_TYPE_LEGAL_PERSON, name="上海某某食品有限公司", uscc=uscc
                        ),
                    )
                ),
                metadata=auth(token),
                timeout=10,
            )
            .result
        )
    return {"record": record, "tag": tag, "uscc": uscc}


def mails_to(folder: Path, address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def wait_for_mail(folder: Path, address: str, count: int, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = mails_to(folder, address)
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(
        f"{address} has {len(mails_to(folder, address))} mails in {folder}, expected {count}"
    )


def link_in(message, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://\S+{re.escape(path)}\S*", text).group(0)


def follow_from(browser, address: str, axe_source: str, failures: list[str]) -> None:
    """On the follow page: check it, fill it in with the keyboard-reachable form, send it."""
    wait = WebDriverWait(browser, 10)
    wait.until(EC.presence_of_element_located((By.ID, "follow-email")))
    assert "mail" in browser.find_element(By.ID, "local-mail").text.lower() or browser.find_element(
        By.ID, "local-mail"
    )
    failures += [f"follow form: {v}" for v in run_axe(browser, axe_source)]
    field = browser.find_element(By.ID, "follow-email")
    label = browser.find_element(By.CSS_SELECTOR, "label[for=follow-email]")
    assert label.text
    field.send_keys(address)
    browser.find_element(By.CSS_SELECTOR, "input[name=cadence][value=immediate]").click()
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[role=status]")))
    failures += [f"follow asked: {v}" for v in run_axe(browser, axe_source)]


def confirm_from_mail(browser, message, axe_source: str, failures: list[str]) -> None:
    browser.get(link_in(message, "/follow/confirm"))
    failures += [f"confirm page: {v}" for v in run_axe(browser, axe_source)]
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[role=status]")))


def test_follow_a_company_and_a_search_confirm_from_the_mail_and_unsubscribe(
    browser, running, company, axe_source
):
    folder = running.settings.data_dir / "mail"
    address = f"citizen-{uuid.uuid4().hex[:6]}@example.org"
    failures: list[str] = []

    # From the record page: the party is a company, so it can be followed.
    browser.get(f"{running.gateway.address}/results/{company['record'].id}?lang=zh")
    browser.find_element(By.CSS_SELECTOR, "a.follow-link").click()
    follow_from(browser, address, axe_source, failures)
    confirm_from_mail(browser, wait_for_mail(folder, address, 1)[0], axe_source, failures)

    # From the search page: the search itself is followed.
    browser.get(f"{running.gateway.address}/search?q={company['tag']}&lang=en")
    browser.find_element(By.CSS_SELECTOR, "a.follow-link").click()
    assert company["tag"] in browser.find_element(By.TAG_NAME, "main").text
    follow_from(browser, address, axe_source, failures)
    confirm_from_mail(browser, wait_for_mail(folder, address, 2)[1], axe_source, failures)

    # The manage page lists both; unsubscribing one leaves the other.
    browser.find_element(By.PARTIAL_LINK_TEXT, "Manage").click()
    items = browser.find_elements(By.CSS_SELECTOR, "ul.follows > li")
    assert len(items) == 2 and company["uscc"] in browser.find_element(By.TAG_NAME, "main").text
    failures += [f"manage page: {v}" for v in run_axe(browser, axe_source)]
    items[0].find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(browser, 10).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "ul.follows > li")) == 1)
    assert company["uscc"] not in browser.find_element(By.TAG_NAME, "main").text
    assert address not in browser.page_source  # the address is never shown back
    assert failures == []
