"""The success answer of every public operation, by method and path: the
record, page or view it returns, with required fields and types (built in
gateway/schemas.py, records from their protobuf messages).

Kept as one table rather than in each decorator: route modules change often
and some return pre-encoded bytes, yet the document must say what they send.
"""

from __future__ import annotations

from typing import Any

from gateway.schemas import message_ref, message_schema, obj, page
from gongshi.v1 import duties_pb2, feedback_pb2, procedures_pb2, results_pb2, results_query_pb2

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NULLABLE_STRING = {"type": ["string", "null"]}
_SERVICES = {
    "duties": duties_pb2.DESCRIPTOR.services_by_name["DutiesService"],
    "procedures": procedures_pb2.DESCRIPTOR.services_by_name["ProceduresService"],
    "feedback": feedback_pb2.DESCRIPTOR.services_by_name["FeedbackService"],
    "results": results_pb2.DESCRIPTOR.services_by_name["ResultsService"],
    "results_query": results_query_pb2.DESCRIPTOR.services_by_name["ResultsQueryService"],
}


def rpc(service: str, method: str) -> dict[str, str]:
    """What `to_json` makes of an RPC's reply."""
    return message_ref(_SERVICES[service].methods_by_name[method].output_type)


def listing(service: str, method: str, field: str, **extra: Any) -> dict[str, Any]:
    """gateway/exante.py `listing`: data, total, limit, next_cursor."""
    item = _SERVICES[service].methods_by_name[method].output_type.fields_by_name[field].message_type
    shape = page(message_ref(item))
    shape["properties"].update({"limit": INTEGER, **extra})
    shape["required"] = [*shape["required"], "limit", *extra]
    return shape


def _record_family(prefix: str, service: str, name: str, plural: str, field: str, key: str = "code") -> dict:
    return {
        ("GET", f"/api/v1/{prefix}"): listing(service, f"List{plural}", field),
        ("GET", f"/api/v1/{prefix}/{{agency}}/{{{key}}}"): rpc(service, f"Get{name}"),
        ("GET", f"/api/v1/{prefix}/{{agency}}/{{{key}}}/versions"): listing(
            service, f"List{name}Versions", "versions"
        ),
    }


_RESULT = message_ref(results_pb2.Result.DESCRIPTOR)
_PUBLISHED = obj({"result": _RESULT, "created": BOOLEAN})
_SEARCH_HIT = {"allOf": [_RESULT, obj({"snippet": STRING})]}
_WEBHOOK = obj(
    {
        "id": STRING,
        "url": STRING,
        "filters": {"type": "object", "additionalProperties": STRING},
        "oversight": BOOLEAN,
        "created_at": STRING,
    }
)
_FOLLOW = obj(
    {
        "id": STRING,
        "kind": STRING,
        "interest": {"type": "object", "additionalProperties": STRING},
        "cadence": STRING,
        "lang": STRING,
        "status": STRING,
        "created_at": STRING,
    }
)
_DELIVERY = obj(
    {
        "id": {"type": ["string", "integer"]},
        "event_id": STRING,
        "subject": STRING,
        "sequence": INTEGER,
        "status": STRING,
        "attempts": INTEGER,
        "last_status_code": {"type": ["integer", "null"]},
        "last_error": NULLABLE_STRING,
        "created_at": NULLABLE_STRING,
        "last_attempt_at": NULLABLE_STRING,
        "next_attempt_at": NULLABLE_STRING,
        "delivered_at": NULLABLE_STRING,
    }
)
_REPORT = obj(
    {
        "agency_code": STRING,
        "agency_name": STRING,
        "year": INTEGER,
        "behaviours": {
            "type": "array",
            "items": obj(
                {"type": STRING, "category": STRING, "power": STRING, "decisions": INTEGER, "display": STRING}
            ),
        },
        "penalties": {"type": "array", "items": obj({"column": STRING, "decisions": INTEGER})},
        "penalty_decisions": INTEGER,
        "fine_and_confiscation_wan_yuan": STRING,
        "generated_at": STRING,
    }
)
_CERTIFICATE = message_schema(duties_pb2.CheckCertificateResponse.DESCRIPTOR, nullable=("officer",))


def _with_total(shape: dict, *names: str) -> dict:
    for name in names:
        shape["properties"][name] = BOOLEAN if name.startswith("total_is") else INTEGER
        shape["required"].append(name)
    return shape


def _search() -> dict:
    shape = page(_SEARCH_HIT)
    shape["properties"].update({"type": STRING, "total_is_lower_bound": BOOLEAN, "limit": INTEGER})
    shape["required"] += ["type", "total_is_lower_bound", "limit"]
    # duty_items / procedures searches list those records instead.
    shape["properties"]["data"]["items"] = {
        "anyOf": [
            _SEARCH_HIT,
            message_ref(duties_pb2.DutyItem.DESCRIPTOR),
            message_ref(procedures_pb2.Procedure.DESCRIPTOR),
        ]
    }
    return shape


def table() -> dict[tuple, dict[str, Any]]:
    """(method, path) -> the JSON schema of its success body; (method, path, status)
    for another answer with a body of its own."""
    found: dict[tuple, dict[str, Any]] = {
        ("GET", "/api/v1/results"): _with_total(
            listing("results", "ListResults", "results"), "total_is_lower_bound"
        ),
        ("GET", "/api/v1/results/{result_id}"): _RESULT,
        ("GET", "/api/v1/results/{result_id}", 410): _RESULT,  # the tombstone
        ("GET", "/api/v1/results/{result_id}/history"): rpc("results", "GetResultHistory"),
        ("GET", "/api/v1/takedowns"): listing("results", "ListTakedowns", "takedowns"),
        ("GET", "/api/v1/agencies/{code}/chain"): _chain(),
        ("GET", "/api/v1/agencies/{code}/chain/verify"): rpc("results", "VerifyChain"),
        ("POST", "/api/v1/results/{result_id}/replies"): rpc("results", "SubmitReply"),
        ("POST", "/api/v1/results/{result_id}/repair-applications"): rpc("results", "ApplyForRepair"),
        ("GET", "/api/v1/repair-applications/{application_id}"): rpc("results", "GetRepairApplication"),
        ("POST", "/api/v1/agency/results"): _PUBLISHED,
        ("POST", "/api/v1/agency/results/pending"): _PUBLISHED,
        ("POST", "/api/v1/agency/results/{result_id}/corrections"): _RESULT,
        ("POST", "/api/v1/agency/results/{result_id}/withdrawal"): _RESULT,
        ("PUT", "/api/v1/agency/results/{result_id}/appeal"): _RESULT,
        ("GET", "/api/v1/agency/replies"): _unpaged("results", "ListReplies", "replies"),
        ("POST", "/api/v1/agency/replies/{reply_id}/decision"): rpc("results", "ModerateReply"),
        ("GET", "/api/v1/agency/repairs"): _unpaged("results", "ListRepairApplications", "applications"),
        ("POST", "/api/v1/agency/repairs/{application_id}/decision"): rpc("results", "DecideRepair"),
        ("GET", "/api/v1/search"): _search(),
        ("GET", "/api/v1/statistics"): rpc("results_query", "Statistics"),
        ("GET", "/api/v1/reports/annual/{agency}/{year}"): _REPORT,
        ("POST", "/api/v1/webhooks"): {"allOf": [_WEBHOOK, obj({"secret": STRING})]},
        ("GET", "/api/v1/webhooks/{webhook_id}"): _WEBHOOK,
        ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"): obj(
            {"data": {"type": "array", "items": _DELIVERY}, "limit": INTEGER}
        ),
        ("POST", "/api/v1/follows"): _FOLLOW,
        ("POST", "/api/v1/follows/confirm"): _FOLLOW,
        ("POST", "/api/v1/follows/{follow_id}/unsubscribe"): obj({"id": STRING, "status": STRING}),
        ("GET", "/api/v1/follows"): obj({"data": {"type": "array", "items": _FOLLOW}}),
        ("GET", "/api/v1/agencies"): listing("duties", "ListAgencies", "agencies"),
        ("GET", "/api/v1/agencies/{code}"): rpc("duties", "GetAgency"),
        ("GET", "/api/v1/agencies/{code}/versions"): listing("duties", "ListAgencyVersions", "versions"),
        ("GET", "/api/v1/officers/check"): _CERTIFICATE,
        **_record_family("officers", "duties", "Officer", "Officers", "officers", "certificate"),
        **_record_family("duty-items", "duties", "DutyItem", "DutyItems", "duty_items"),
        **_record_family("legal-bases", "duties", "LegalBasis", "LegalBases", "legal_bases"),
        **_record_family("procedures", "procedures", "Procedure", "Procedures", "procedures"),
        **_record_family(
            "supervision-channels", "procedures", "SupervisionChannel", "SupervisionChannels", "channels"
        ),
        **_record_family(
            "inspection-items", "procedures", "InspectionItem", "InspectionItems", "inspection_items"
        ),
        ("POST", "/api/v1/requests/{request_id}/flags.json"): obj({"counted": BOOLEAN, "moderation": STRING}),
        ("GET", "/api/v1/feedback/statistics.json"): obj(
            {"data": {"type": "array", "items": _feedback_statistics_item()}}
        ),
        ("GET", "/api/v1/agency/feedback"): listing("feedback", "ListAgencyFeedback", "feedback"),
        ("GET", "/api/v1/agency/feedback/{feedback_id}"): rpc("feedback", "GetAgencyFeedback"),
        ("POST", "/api/v1/agency/duty-items/import"): rpc("duties", "ImportDutyItems"),
        ("POST", "/api/v1/agency/records/{service}/{kind}/{code}/publish"): rpc("duties", "PublishRecord"),
        ("POST", "/api/v1/agency/records/{service}/{kind}/{code}/retire"): rpc("duties", "RetireRecord"),
        ("GET", "/healthz"): obj({"status": STRING}),
    }
    tracked = _tracked()
    for action in ("tracking", "information", "rating", "reopen"):
        found[("POST", f"/api/v1/requests/{{request_id}}/{action}.json")] = tracked
    for method, path, service, name in _WRITES:
        found[(method, path)] = rpc(service, name)
    for action, name in _FEEDBACK_ACTIONS:
        found[("POST", f"/api/v1/agency/feedback/{{feedback_id}}/{action}")] = rpc("feedback", name)
    return found


_WRITES = [
    ("PUT", "/api/v1/agency/officers", "duties", "PutOfficer"),
    ("PUT", "/api/v1/agency/legal-bases", "duties", "PutLegalBasis"),
    ("PUT", "/api/v1/agency/duty-items", "duties", "PutDutyItem"),
    ("POST", "/api/v1/agency/legal-bases/repeal", "duties", "RepealInstrument"),
    ("PUT", "/api/v1/agency/procedures", "procedures", "PutProcedure"),
    ("PUT", "/api/v1/agency/supervision-channels", "procedures", "PutSupervisionChannel"),
    ("PUT", "/api/v1/agency/inspection-items", "procedures", "PutInspectionItem"),
]
_FEEDBACK_ACTIONS = [
    ("accept", "AcceptFeedback"),
    ("reject", "RejectFeedback"),
    ("transfer", "TransferFeedback"),
    ("reply", "ReplyFeedback"),
    ("extension", "ExtendDeadline"),
    ("close", "CloseFeedback"),
    ("objection-decision", "DecideObjection"),
    ("flag-review", "ReviewFlagged"),
]


def _chain() -> dict:
    item = results_pb2.GetChainResponse.DESCRIPTOR.fields_by_name["entries"].message_type
    shape = page(message_ref(item), total=False)
    shape["properties"].update({"length": INTEGER, "head_hash": STRING, "limit": INTEGER})
    shape["required"] += ["length", "head_hash", "limit"]
    return shape


def _unpaged(service: str, method: str, field: str) -> dict:
    item = _SERVICES[service].methods_by_name[method].output_type.fields_by_name[field].message_type
    return page(message_ref(item), total=False)


def _feedback_statistics_item() -> dict:
    response = feedback_pb2.FeedbackStatisticsResponse.DESCRIPTOR
    return message_ref(response.fields_by_name["agencies"].message_type)


def _tracked() -> dict:
    """feedback_submission.py `tracked`: the public service request plus `private`."""
    from gateway.schemas import OPEN311_REQUEST

    private = message_schema(feedback_pb2.TrackedFeedback.DESCRIPTOR, without=("feedback",))
    return {"allOf": [OPEN311_REQUEST, obj({"private": private})]}
