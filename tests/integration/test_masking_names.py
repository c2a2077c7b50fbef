"""Names of other persons in free text (DOMAIN.md E2, issue #16), end to end on the
real platform (NATS, the services as processes, SQLite or PostgreSQL): a name no
agency listed never reaches the record, its history, search, the NDJSON export,
the portal or the event stream; the agency's dry run shows what is hidden; and
`gongshi results remask` corrects records stored before the rule.

Region 310199 starts with finding switched off (masking.find_names: false), as
every region was before the rule; the remask test switches it on and restarts
the results service, as an operator upgrading would."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import uuid
from collections.abc import Iterator

import grpc
import httpx
import pytest
from google.protobuf import json_format

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.launcher import Platform
from services.results.chain import doc_digest
from services.results.remask import REASON
from services.runtime.settings import SERVICE_NAMES
from tests.support.databases import PostgresDatabases, backends, require_postgres
from tests.support.decisions import penalty
from tests.support.platform import ADMIN_TOKEN, auth, platform_env, platform_settings, register_agency
from tests.support.results import events, publish

OLD_RULES_REGION = "310199"
GIVEN_CHARS = "晓红丽娟伟杰明华芳敏婷宇涛洁"


def policy(find_in_old_region: bool) -> str:
    regions = {OLD_RULES_REGION: {"masking": {"find_names": find_in_old_region}}}
    return json.dumps({"regions": regions})


@pytest.fixture(scope="module", params=backends())
def names_platform(request, tmp_path_factory) -> Iterator[Platform]:
    if request.param == "postgres":
        require_postgres()
    data_dir = tmp_path_factory.mktemp("names")
    databases = PostgresDatabases()
    db_urls = {n: databases.url(n) for n in SERVICE_NAMES} if request.param == "postgres" else None
    settings = platform_settings(data_dir, db_urls)
    policy_file = data_dir / "policies.json"
    policy_file.write_text(policy(False), encoding="utf-8")
    env = platform_env(settings) | {"GONGSHI_RESULTS_POLICY_FILE": str(policy_file)}
    running = Platform(settings, extra_env=env)
    running.start()
    running.policy_file, running.finding_in_old_region = policy_file, False
    yield running
    running.stop()
    databases.drop_all()


@pytest.fixture(scope="module")
def results(names_platform):
    channel = grpc.insecure_channel(names_platform.settings.grpc_addr("results"))
    yield results_pb2_grpc.ResultsServiceStub(channel)
    channel.close()


@pytest.fixture(scope="module")
def http(names_platform):
    with httpx.Client(base_url=names_platform.gateway.address, timeout=15) as client:
        yield client


def find_names_in_old_region(running: Platform, on: bool) -> None:
    """Switch finding on (or back off) in OLD_RULES_REGION as an operator would:
    the policy file, then a restart of the results service."""
    if running.finding_in_old_region == on:
        return
    running.policy_file.write_text(policy(on), encoding="utf-8")
    running.services["results"].stop()
    running.services["results"].start()
    running.services["results"].wait_healthy()
    running.finding_in_old_region = on


def new_agency(running: Platform, region: str = "310101") -> tuple[str, str]:
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    return code, register_agency(running.settings, code, region=region)


def a_name() -> str:
    return "李" + "".join(random.sample(GIVEN_CHARS, 2))


def facts_naming(name: str) -> str:
    return f"当事人于2026年3月5日雇用{name}从事无证经营，货值金额二千元。"


def everything_public(http, result_id: str, agency: str) -> str:
    """The record, its history, its portal page and the NDJSON export, as one text."""
    parts = [
        http.get(f"/api/v1/results/{result_id}").text,
        http.get(f"/api/v1/results/{result_id}/history").text,
        http.get(f"/results/{result_id}").text,
        http.get("/api/v1/exports/results.ndjson", params={"agency": agency}).text,
    ]
    assert all(parts)
    return "\n".join(parts)


def search_ids(http, query: str) -> list[str]:
    response = http.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["data"]]


def test_a_name_nobody_listed_is_never_published(names_platform, results, http):
    code, token = new_agency(names_platform)
    name = a_name()
    result = publish(results, token, penalty(facts=facts_naming(name))).result
    assert f"雇用{name[0]}某某从事" in result.facts
    assert name not in everything_public(http, result.id, code)
    assert search_ids(http, name) == []
    (event,) = events(names_platform.nats.address, f"gongshi.results.published.{code}", pb.ResultPublished)
    assert event.result.id == result.id and name not in event.SerializeToString().decode("utf-8", "replace")


def test_the_agency_previews_what_masking_hides_and_nothing_is_stored(names_platform, results, http):
    _code, token = new_agency(names_platform)
    name = a_name()
    decision = penalty(
        facts=facts_naming(name) + "执法人员张国庆（执法证号31010001）现场检查。",
        third_party_names=["赵晓燕"],
        conclusion="证人赵晓燕的证言予以采信。",
    )
    preview = results.PreviewMasking(pb.PublishDecisionRequest(decision=decision), metadata=auth(token))
    names = {(n.field, n.name, n.masked_as, n.source) for n in preview.names}
    assert names == {
        ("facts", name, name[0] + "某某", "detected"),
        ("conclusion", "赵晓燕", "赵某某", "listed"),
    }
    assert "张国庆" in preview.masked.facts and name not in preview.masked.facts
    assert any(r.rule == "third_party_name" and r.field == "facts" for r in preview.rules)

    # The same through the agency REST API, in proto JSON.
    response = http.post(
        "/api/v1/agency/results/masking-preview",
        json=json_format.MessageToDict(decision),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    assert {n["name"] for n in response.json()["names"]} == {name, "赵晓燕"}

    # A dry run: the decision was not stored, so its push is a creation.
    assert publish(results, token, decision).created is True


def test_a_bad_preview_is_refused_with_the_field_named(names_platform, results, http):
    _code, token = new_agency(names_platform)
    other, _ = new_agency(names_platform)
    headers = {"Authorization": f"Bearer {token}"}
    bad = penalty()
    bad.ClearField("party")
    with pytest.raises(grpc.RpcError) as refused:
        results.PreviewMasking(pb.PublishDecisionRequest(decision=bad), metadata=auth(token))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "decision.party" in refused.value.details()
    with pytest.raises(grpc.RpcError) as foreign:
        results.PreviewMasking(
            pb.PublishDecisionRequest(decision=penalty(), agency_code=other), metadata=auth(token)
        )
    assert foreign.value.code() == grpc.StatusCode.PERMISSION_DENIED
    response = http.post("/api/v1/agency/results/masking-preview", json={"nope": 1}, headers=headers)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "decision"
    assert http.post("/api/v1/agency/results/masking-preview", json={}).status_code == 401


def test_remask_corrects_records_stored_before_the_rule(names_platform, results, http):
    running = names_platform
    find_names_in_old_region(running, False)
    code, token = new_agency(running, region=OLD_RULES_REGION)
    name = a_name()
    old = publish(results, token, penalty(facts=facts_naming(name))).result
    clean = publish(results, token, penalty()).result
    assert name in old.facts and search_ids(http, name) == [old.id]  # as before the rule
    # The party's approved reply names someone too, and was shown as written.
    employee = "张" + name[1:]
    reply = results.SubmitReply(
        pb.SubmitReplyRequest(result_id=old.id, text=f"我司已辞退员工{employee}，整改完毕。")
    )
    results.ModerateReply(pb.ModerateReplyRequest(reply_id=reply.id, approve=True), metadata=auth(token))
    assert employee in results.GetResult(pb.GetResultRequest(id=old.id)).reply_text

    with pytest.raises(grpc.RpcError) as refused:
        results.RemaskResults(pb.RemaskResultsRequest(), metadata=auth(token))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED

    # The operator upgrades: the rule is on, the results service restarts.
    find_names_in_old_region(running, True)

    admin = auth(ADMIN_TOKEN)
    dry = results.RemaskResults(pb.RemaskResultsRequest(agency_code=code, dry_run=True), metadata=admin)
    assert (dry.checked, dry.corrected, list(dry.result_ids)) == (2, 1, [old.id])
    assert results.GetResult(pb.GetResultRequest(id=old.id)).version == 1

    done = gongshi(running, "results", "remask", "--agency", code)
    assert done.returncode == 0, done.stderr
    assert "2 published records checked, 1 corrected" in done.stdout

    now = results.GetResult(pb.GetResultRequest(id=old.id))
    assert (now.version, now.change_reason, now.status) == (2, REASON, pb.RESULT_STATUS_CORRECTED)
    assert name not in now.facts and name[0] + "某某" in now.facts
    assert now.reply_text == "我司已辞退员工张某某，整改完毕。"
    assert results.GetResult(pb.GetResultRequest(id=clean.id)).version == 1
    assert search_ids(http, name) == []
    (event,) = events(running.nats.address, f"gongshi.results.corrected.{code}", pb.ResultCorrected)
    assert event.result.id == old.id and event.reason == REASON and name not in event.result.facts
    history = results.GetResultHistory(pb.GetResultHistoryRequest(id=old.id))
    assert [c.reason for c in history.changes][-1] == REASON
    chain = results.VerifyChain(pb.VerifyChainRequest(agency_code=code))
    assert chain.intact, chain.problems

    again = results.RemaskResults(pb.RemaskResultsRequest(agency_code=code), metadata=admin)
    assert (again.checked, again.corrected) == (2, 0)


def test_no_version_in_the_history_shows_a_name_todays_rules_hide(names_platform, results, http):
    running = names_platform
    find_names_in_old_region(running, False)
    code, token = new_agency(running, region=OLD_RULES_REGION)
    name = a_name()
    first = publish(results, token, penalty(facts=facts_naming(name))).result
    # The agency corrects the fine before the rule: version 2 still names the person.
    fixed = penalty(
        document_number=first.document_number, facts=facts_naming(name), fine_amount_fen=4_000_000
    )
    results.CorrectResult(
        pb.CorrectResultRequest(id=first.id, decision=fixed, reason="罚款金额更正"), metadata=auth(token)
    )
    history_url, page_url = f"/api/v1/results/{first.id}/history", f"/results/{first.id}/history"
    assert name in http.get(history_url).text and http.get(history_url).json()["masked_on_read"] == []

    find_names_in_old_region(running, True)
    # Masked on read at once, before any remask: every version, the current one too.
    history = results.GetResultHistory(pb.GetResultHistoryRequest(id=first.id))
    assert list(history.masked_on_read) == [1, 2]
    assert results.GetResult(pb.GetResultRequest(id=first.id)).version == 2

    done = gongshi(running, "results", "remask", "--agency", code)
    assert done.returncode == 0, done.stderr
    assert "1 published records checked, 1 corrected" in done.stdout

    response = http.get(history_url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [v["version"] for v in body["versions"]] == [1, 2, 3]
    assert body["masked_on_read"] == [1, 2]  # version 3, the remask's correction, was stored masked
    assert all(f"雇用{name[0]}某某从事" in v["facts"] for v in body["versions"])
    page = http.get(page_url, params={"lang": "en"})
    assert page.status_code == 200 and page.text.count("differs from the stored text") == 2
    assert name not in response.text and name not in page.text
    assert name not in http.get(page_url).text  # and in Chinese

    # The chain still verifies what was stored, and says which versions are not shown as hashed.
    chain = results.VerifyChain(pb.VerifyChainRequest(agency_code=code))
    assert chain.intact, chain.problems
    links = results.GetChain(pb.GetChainRequest(agency_code=code)).entries
    hashed = {e.version: e.doc_sha256 for e in links if e.result_id == first.id}
    history = results.GetResultHistory(pb.GetResultHistoryRequest(id=first.id))
    matches = {v.version: doc_digest(v) == hashed[v.version] for v in history.versions}
    assert matches == {1: False, 2: False, 3: True}


def gongshi(running: Platform, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env=running.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
