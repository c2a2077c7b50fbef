"""Existing Open311 clients against a running platform: the PyPI `georeport`
client reads services, definitions and requests in JSON and in XML; a client
written from the spec's examples (tests/support/open311_client.py) posts the
spec's form fields only. The XML follows the spec's element structure."""

from __future__ import annotations

import datetime as dt
import uuid

import grpc
import pytest
import requests
from georeport import GeoReport

from gongshi.v1 import feedback_pb2, feedback_pb2_grpc
from tests.support.open311_client import Open311Error, SpecClient, structure_errors
from tests.support.platform import ADMIN_TOKEN, auth, register_agency

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def endpoint(platform):
    running, settings = platform
    code = f"OPN-{uuid.uuid4().hex[:6]}"
    token = register_agency(settings, code)
    return running.gateway.address + "/api/v1", code, settings, token


def test_a_spec_client_submits_a_general_complaint_and_georeport_reads_it(endpoint):
    url, agency, settings, token = endpoint
    poster = SpecClient(url, api_key="any-key", jurisdiction_id="gongshi")
    reader, xml_reader = GeoReport(url), GeoReport(url, output_format="xml")

    services = reader.get_service_list()
    assert {s["service_code"] for s in services} >= {"complaint", "suggestion"}
    assert all(s["metadata"] is True for s in services)
    assert xml_reader.get_service_list()[0]["metadata"] == "true"
    definition = reader.get_service_definition("complaint")
    target = next(a for a in definition["attributes"] if a["code"] == "target_type")
    assert target["datatype"] == "singlevaluelist" and {"platform", "agency", "result"} <= {
        v["key"] for v in target["values"]
    }
    assert xml_reader.get_service_definition("complaint")["service_code"] == "complaint"

    # Only the spec's fields: no target at all -> a general complaint the platform holds.
    general = poster.post_request(
        "complaint",
        description="街道上的执法车辆长期占用人行道。",
        lat="31.2304",
        long="121.4737",
        address_string="上海市黄浦区人民大道200号",
        email="citizen@example.com",
        first_name="Wei",
    )
    assert general.service_request_id.startswith("GS-") and general.service_notice
    # And one about an agency, with the definition's attributes.
    about_agency = poster.post_request(
        "suggestion",
        attributes={"target_type": "agency", "target_id": agency},
        description="希望公示栏增加英文说明。",
    )

    read = reader.get_service_request(general.service_request_id)
    assert read["status"] == "open" and read["service_code"] == "complaint"
    assert (read["lat"], read["long"]) == (31.2304, 121.4737)
    assert read["address"] == "上海市黄浦区人民大道200号"
    assert read["agency_responsible"] == "_platform"
    assert "citizen@example.com" not in str(read) and "Wei" not in str(read)
    xml_read = xml_reader.get_service_request(general.service_request_id)
    assert xml_read["lat"] == "31.2304" and xml_read["address"] == "上海市黄浦区人民大道200号"

    both = reader.get_service_requests(
        service_request_id=f"{general.service_request_id},{about_agency.service_request_id},GS-NOPE"
    )
    assert {r["service_request_id"] for r in both} == {
        general.service_request_id,
        about_agency.service_request_id,
    }
    now = dt.datetime.now(dt.UTC)
    window = {
        "start_date": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_date": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    listed = reader.get_service_requests(status="open,closed", **window)
    assert {general.service_request_id, about_agency.service_request_id} <= {
        r["service_request_id"] for r in listed
    }
    before = reader.get_service_requests(
        start_date="2020-01-01T00:00:00Z", end_date="2020-01-02T00:00:00+08:00", status="open"
    )
    assert before == []
    assert reader.get_service_requests(status="closed", **window) == []

    # An operator assigns the general complaint to the responsible agency; no agency may take it.
    with grpc.insecure_channel(settings.grpc_addr("feedback")) as channel:
        stub = feedback_pb2_grpc.FeedbackServiceStub(channel)
        with pytest.raises(grpc.RpcError) as taken:
            stub.AcceptFeedback(
                feedback_pb2.AcceptFeedbackRequest(feedback_id=general.service_request_id),
                metadata=auth(token),
                timeout=10,
            )
        assert taken.value.code() == grpc.StatusCode.PERMISSION_DENIED
        stub.TransferFeedback(
            feedback_pb2.TransferFeedbackRequest(
                feedback_id=general.service_request_id, to_agency_code=agency, reason="属本局职责"
            ),
            metadata=auth(ADMIN_TOKEN),
            timeout=10,
        )
    assigned = reader.get_service_request(general.service_request_id)
    assert assigned["extended_attributes"]["agency_code"] == agency
    assert assigned["extended_attributes"]["original_agency_code"] == "_platform"


def test_errors_and_xml_follow_the_spec(endpoint):
    url, agency, _, _ = endpoint
    poster = SpecClient(url)
    with pytest.raises(Open311Error) as refused:
        poster.post_request("praise", description="x")
    assert refused.value.status == 400
    assert refused.value.errors[0][0] == "400" and refused.value.errors[0][1].startswith("service_code: ")
    with pytest.raises(Open311Error) as unknown:
        poster.post_request("complaint", attributes={"target_id": "NOPE-1"}, description="关于不存在的机关。")
    assert unknown.value.errors[0][1].startswith("target_id: ")
    json_error = requests.get(f"{url}/requests.json", params={"status": "pending"}, timeout=10)
    assert json_error.status_code == 400 and json_error.json()[0]["code"] == 400
    missing = requests.get(f"{url}/requests/GS-NOPE.json", timeout=10)
    assert missing.status_code == 404 and set(missing.json()[0]) == {"code", "description"}

    created = poster.post_request(
        "question",
        attributes={"target_type": "agency", "target_id": agency},
        description="请问办理时限是多久？",
    )
    for path in (
        "discovery.xml",
        "services.xml",
        "services/question.xml",
        "requests.xml",
        f"requests/{created.service_request_id}.xml",
        "requests/GS-NOPE.xml",
        "requests.xml?start_date=yesterday",
    ):
        response = requests.get(f"{url}/{path}", timeout=10)
        assert response.headers["content-type"].startswith("text/xml"), path
        assert structure_errors(response.content) == [], path
    discovery = requests.get(f"{url}/discovery.json", timeout=10).json()
    endpoint_entry = discovery["endpoints"][0]
    assert endpoint_entry["url"] == url and "text/xml" in endpoint_entry["formats"]
    assert discovery["changeset"] and endpoint_entry["specification"].endswith("GeoReport_v2")
