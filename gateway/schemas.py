"""Response schemas for the OpenAPI document: the problem shape, the page
shape, the Open311 shapes, and every record, derived from its protobuf
message exactly as gateway/convert.py turns it into JSON (so a generated
client gets types and a schema check can fail).

Routes declare them with `responses=` (routes returning pre-encoded bytes
too); app.py adds the standard error answers to every operation.
"""

from __future__ import annotations

from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from gateway import open311
from gateway.convert import _enum_names
from gateway.problems import PROBLEM_JSON

REF = "#/components/schemas/"
_INTEGER = {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32,
            FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64,
            FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED32,
            FieldDescriptor.TYPE_SFIXED64}  # fmt: skip
_NUMBER = {FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT}

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "one entry per refused field, named as the client sent it",
            "items": {
                "type": "object",
                "required": ["field", "description"],
                "properties": {"field": {"type": "string"}, "description": {"type": "string"}},
            },
        },
    },
}

# ---------------------------------------------------------------- records from protobuf


def _field(field: FieldDescriptor, components: dict[str, Any]) -> dict[str, Any]:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        one: dict[str, Any] = {"$ref": REF + message_component(field.message_type, components)}
    elif field.type == FieldDescriptor.TYPE_ENUM:
        names = list(_enum_names(field.enum_type).values())
        one = {"type": "string", "enum": names}
    elif field.type == FieldDescriptor.TYPE_BOOL:
        one = {"type": "boolean"}
    elif field.type in _INTEGER:
        one = {"type": "integer"}
    elif field.type in _NUMBER:
        one = {"type": "number"}
    else:  # string; bytes travel as hex
        one = {"type": "string"}
    return {"type": "array", "items": one} if field.is_repeated else one


def message_component(descriptor: Descriptor, components: dict[str, Any]) -> str:
    """Add the message (and those it holds) to `components`; return its name."""
    name = descriptor.full_name.replace("gongshi.v1.", "").replace(".", "_")
    if name not in components:
        components[name] = {}  # placed first: messages may refer to themselves
        components[name] = {
            "type": "object",
            "required": [f.name for f in descriptor.fields],
            "properties": {f.name: _field(f, components) for f in descriptor.fields},
        }
    return name


def message_ref(descriptor: Descriptor) -> dict[str, str]:
    """A `$ref` to the message's schema; app.py collects the components it needs."""
    _REGISTERED.add(descriptor)
    return {"$ref": REF + _name(descriptor)}


_REGISTERED: set[Descriptor] = set()


def message_schema(
    descriptor: Descriptor, *, without: tuple[str, ...] = (), nullable: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The message inline, for a view that drops fields or may null a message field."""
    fields = [f for f in descriptor.fields if f.name not in without]
    for field in fields:
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            _REGISTERED.add(field.message_type)
    properties = {}
    for field in fields:
        one = _field(field, {}) if field.type != FieldDescriptor.TYPE_MESSAGE else None
        if one is None:
            ref = {"$ref": REF + _name(field.message_type)}
            one = {"type": "array", "items": ref} if field.is_repeated else ref
        properties[field.name] = {"anyOf": [one, {"type": "null"}]} if field.name in nullable else one
    return {"type": "object", "required": [f.name for f in fields], "properties": properties}


def _name(descriptor: Descriptor) -> str:
    return descriptor.full_name.replace("gongshi.v1.", "").replace(".", "_")


def components() -> dict[str, Any]:
    found: dict[str, Any] = {"Problem": PROBLEM, "Open311Error": OPEN311_ERROR}
    for descriptor in sorted(_REGISTERED, key=lambda d: d.full_name):
        message_component(descriptor, found)
    return found


def page(item: dict[str, Any], *, total: bool = True) -> dict[str, Any]:
    """The list shape: `data`, `next_cursor` (null at the end) and usually `total`."""
    properties: dict[str, Any] = {
        "data": {"type": "array", "items": item},
        "next_cursor": {"type": ["string", "null"]},
    }
    if total:
        properties["total"] = {"type": "integer"}
    return {"type": "object", "required": list(properties), "properties": properties}


def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "required": list(properties) if required is None else required,
            "properties": properties}  # fmt: skip


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def ok(schema: dict[str, Any], description: str = "OK", status: int = 200) -> dict[int, dict[str, Any]]:
    return {status: {"description": description, "content": json_content(schema)}}


# ---------------------------------------------------------------- standard error answers

ERROR_DESCRIPTIONS = {
    400: "a parameter or the body is refused: `errors` names each field as it was sent",
    401: "an agency or administrator credential is needed",
    403: "the credential may not do this",
    404: "no such record or path",
    405: "the method is not allowed on this path",
    409: "the record is in a state that does not allow this",
    410: "the record was withdrawn, expired or repaired: what may still be said about it",
    411: "a Content-Length header is required",
    413: "the request is larger than the limit",
    415: "the body's content type is not accepted",
    429: "too many requests: try again later",
    500: "internal error (logged)",
    503: "a service is unavailable: try again",
    504: "a service did not answer in time",
}


def problem_responses(statuses: list[int]) -> dict[int, dict[str, Any]]:
    problem = {PROBLEM_JSON: {"schema": {"$ref": REF + "Problem"}}}
    return {s: {"description": ERROR_DESCRIPTIONS[s], "content": problem} for s in statuses}


# ---------------------------------------------------------------- Open311 (GeoReport v2)

_NULLABLE_STRING = {"type": ["string", "null"]}
OPEN311_ERROR = obj({"code": {"type": "integer"}, "description": {"type": "string"}})
OPEN311_SERVICES = {
    "type": "array",
    "items": obj(
        {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": {"type": "string"},
            "metadata": {"type": "boolean"},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": {"type": "string"},
            "group": {"type": "string"},
        }
    ),
}
OPEN311_DEFINITION = obj(
    {
        "service_code": {"type": "string"},
        "attributes": {
            "type": "array",
            "items": obj(
                {
                    "variable": {"type": "boolean"},
                    "code": {"type": "string"},
                    "datatype": {"type": "string"},
                    "required": {"type": "boolean"},
                    "datatype_description": _NULLABLE_STRING,
                    "order": {"type": "integer"},
                    "description": {"type": "string"},
                    "values": {
                        "type": "array",
                        "items": obj({"key": {"type": "string"}, "name": {"type": "string"}}),
                    },
                },
                ["variable", "code", "datatype", "required", "order", "description"],
            ),
        },
    }
)
OPEN311_DISCOVERY = obj(
    {
        "changeset": {"type": "string"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {
            "type": "array",
            "items": obj(
                {
                    "specification": {"type": "string"},
                    "url": {"type": "string"},
                    "changeset": {"type": "string"},
                    "type": {"type": "string"},
                    "formats": {"type": "array", "items": {"type": "string"}},
                }
            ),
        },
    }
)
OPEN311_CREATED = {
    "type": "array",
    "items": obj(
        {
            "service_request_id": {"type": "string"},
            "secret": {"type": "string", "description": "shown once: needed to track the case"},
            "linked": {"type": "boolean"},
            "service_notice": _NULLABLE_STRING,
            "account_id": _NULLABLE_STRING,
            "token": _NULLABLE_STRING,
            "expected_datetime": _NULLABLE_STRING,
        }
    ),
}
_NULLABLE_NUMBER = {"type": ["number", "null"]}
OPEN311_REQUEST = obj(
    {
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": _NULLABLE_STRING,
        "service_name": {"type": "string"},
        "service_code": {"type": "string"},
        "description": _NULLABLE_STRING,
        "agency_responsible": {"type": "string"},
        "service_notice": _NULLABLE_STRING,
        "requested_datetime": _NULLABLE_STRING,
        "updated_datetime": _NULLABLE_STRING,
        "expected_datetime": _NULLABLE_STRING,
        "address": _NULLABLE_STRING,
        "address_id": _NULLABLE_STRING,
        "zipcode": _NULLABLE_STRING,
        "lat": _NULLABLE_NUMBER,
        "long": _NULLABLE_NUMBER,
        "media_url": _NULLABLE_STRING,
        "extended_attributes": {"type": "object", "description": "Gongshi's fields of the case"},
    }
)
OPEN311_REQUESTS = {"type": "array", "items": OPEN311_REQUEST}


def xml_content(root: str) -> dict[str, Any]:
    return {"text/xml": {"schema": {"type": "string", "description": f"<{root}> as in GeoReport v2"}}}


def open311_errors() -> dict[int, dict[str, Any]]:
    """Errors on the spec's paths: `[{code, description}]` or `<errors>`."""
    content = {
        "application/json": {"schema": {"type": "array", "items": {"$ref": REF + "Open311Error"}}},
        **xml_content("errors"),
    }
    statuses = (400, 404, 405, 411, 413, 415, 429, 500, 503, 504)
    return {s: {"description": ERROR_DESCRIPTIONS[s], "content": content} for s in statuses}


# ---------------------------------------------------------------- the whole document


def _standard_errors(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    """What any operation may answer besides its own codes: the app's handlers and middleware."""
    statuses = [400, 404, 405, 500, 503, 504]
    if "requestBody" in operation or method in ("post", "put", "patch"):
        statuses += [411, 413, 415]
    if path.startswith(("/api/v1/agency", "/api/v1/webhooks")) or "security" in operation:
        statuses += [401, 403, 409]
    if method != "get" and path.startswith(
        ("/api/v1/webhooks", "/api/v1/requests", "/api/v1/results", "/api/v1/follows")
    ):
        statuses += [409, 429]  # per-client and per-record limits, states that refuse a write
    return statuses


def document(spec: dict[str, Any]) -> dict[str, Any]:
    """FastAPI's document, made truthful: no 422 (the API answers 400 problem
    details), every standard error documented with its schema, every success
    body with the schema of what it really holds (gateway/responses.py)."""
    from gateway.responses import table  # builds on this module

    bodies = table()
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            success = bodies.get((method.upper(), path))
            for status, entry in responses.items():
                body = bodies.get((method.upper(), path, int(status))) if status.isdigit() else None
                if body is None and success is not None and status.startswith("2") and status != "204":
                    body = success
                if body is not None:
                    entry.setdefault("content", {}).setdefault("application/json", {})["schema"] = body
            if open311.is_spec_path(path):
                continue  # declared by routes/open311.py in the spec's error shape
            for status, entry in problem_responses(_standard_errors(path, method, operation)).items():
                responses.setdefault(str(status), entry)
    _link_requests(spec["paths"])
    found = spec.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        found.pop(unused, None)
    found.update(components())
    return spec


def _link_requests(paths: dict[str, Any]) -> None:
    """OpenAPI links: a submitted request can be read and tracked with what the answer holds."""
    submitted = paths.get("/api/v1/requests.json", {}).get("post")
    read = paths.get("/api/v1/requests/{request_id}.json", {}).get("get")
    track = paths.get("/api/v1/requests/{request_id}/tracking.json", {}).get("post")
    if not (submitted and read and track):
        return
    submitted["responses"]["201"]["links"] = {
        "ReadRequest": {
            "operationId": read["operationId"],
            "parameters": {"request_id": "$response.body#/0/service_request_id"},
        },
        "TrackRequest": {
            "operationId": track["operationId"],
            "parameters": {"request_id": "$response.body#/0/service_request_id"},
            "requestBody": {"secret": "$response.body#/0/secret"},
        },
    }
