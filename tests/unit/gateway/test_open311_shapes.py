"""Open311 shapes and errors, and cursor seals, without a server."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from gateway import cursors, open311
from gongshi.v1 import feedback_pb2 as pb
from tests.support.open311_client import structure_errors


def test_a_request_carries_its_location_and_the_spec_structure_in_xml():
    case = pb.PublicFeedback(
        id="GS-20261201-0001",
        agency_code="_platform",
        category=pb.FEEDBACK_CATEGORY_COMPLAINT,
        status=pb.FEEDBACK_STATUS_RECEIVED,
        text="占道",
        received_at="2026-12-01T02:00:00Z",
        acceptance_due="2026-12-08",
        location=pb.Location(latitude=31.5, longitude=121.25, address="人民大道200号"),
    )
    body = open311.service_request(case)
    assert (body["lat"], body["long"], body["address"]) == (31.5, 121.25, "人民大道200号")
    assert body["requested_datetime"] == "2026-12-01T10:00:00+08:00" and body["status"] == "open"
    assert "location" not in body["extended_attributes"]
    document = open311.to_xml("service_requests", "request", [body])
    assert structure_errors(document) == []
    assert ET.fromstring(document).findtext("request/lat") == "31.5"
    nowhere = open311.service_request(pb.PublicFeedback(id="GS-2", status=pb.FEEDBACK_STATUS_CLOSED))
    assert (nowhere["lat"], nowhere["long"], nowhere["address"]) == (None, None, None)


def test_errors_take_the_spec_shape_only_on_its_paths():
    assert open311.is_spec_path("/api/v1/requests.json") and open311.is_spec_path("/api/v1/services/x.xml")
    assert not open311.is_spec_path("/api/v1/requests/GS-1/tracking.json")
    refused = open311.errors_response(
        "/api/v1/requests.json", 400, "bad", [{"field": "service_code", "description": "unknown"}]
    )
    assert json.loads(refused.body) == [{"code": 400, "description": "service_code: unknown"}]
    xml = open311.errors_response("/api/v1/requests.xml", 404, "no such request", None)
    assert xml.media_type == "text/xml" and structure_errors(xml.body) == []


def test_a_cursor_opens_only_on_the_list_that_sealed_it():
    sealed = cursors.seal("/api/v1/results", "2026-11-20|r-123")
    assert cursors.open_("/api/v1/results", sealed) == "2026-11-20|r-123"
    assert cursors.open_("/api/v1/takedowns", sealed) is None
    assert cursors.open_("/api/v1/results", sealed[:-1] + ("A" if sealed[-1] != "A" else "B")) is None
    assert cursors.open_("/api/v1/agencies", "SCJG-310101") is None
    assert cursors.open_("/api/v1/agencies", "!!!.x") is None
