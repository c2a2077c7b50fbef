"""An Open311 GeoReport v2 client written only from the specification's
examples (http://wiki.open311.org/GeoReport_v2), for what the PyPI client
(georeport) cannot do: POST a service request, and read errors. It shares no
code with the gateway on purpose: it is how any city's client talks.

Also the spec's element structure, to check the XML the server writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

import requests

# Element names per document, from the spec's XML examples. Each maps an element
# to the child elements the spec shows for it (None: text only).
SPEC_ELEMENTS: dict[str, set[str] | None] = {
    "services": {"service"},
    "service": {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"},
    "service_definition": {"service_code", "attributes"},
    "attributes": {"attribute"},
    "attribute": {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    },
    "values": {"value"},
    "value": {"key", "name"},
    "service_requests": {"request"},
    "request": {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
        "token",
        "account_id",
    },
    "errors": {"error"},
    "error": {"code", "description"},
    "discovery": {"changeset", "contact", "key_service", "endpoints"},
    "endpoints": {"endpoint"},
    "endpoint": {"specification", "url", "changeset", "type", "formats"},
    "formats": {"format"},
}
# Elements a service provider may add inside <request> (the spec allows extensions).
EXTENSIONS = {"request": {"extended_attributes", "secret", "linked"}}
REQUIRED = {
    "service": {"service_code", "service_name", "metadata", "type"},
    "attribute": {"variable", "code", "datatype", "required", "order", "description"},
    "request": {"service_request_id"},
    "error": {"code", "description"},
    "endpoint": {"specification", "url", "changeset", "type", "formats"},
}


def structure_errors(document: bytes) -> list[str]:
    """Where the XML leaves the spec's element structure (empty: it follows it)."""
    root = ET.fromstring(document)
    problems: list[str] = []

    def walk(node: ET.Element, path: str) -> None:
        allowed = SPEC_ELEMENTS.get(node.tag)
        if allowed is None:
            return  # a leaf, or an extension's content
        names = {child.tag for child in node}
        extra = names - allowed - EXTENSIONS.get(node.tag, set())
        missing = REQUIRED.get(node.tag, set()) - names
        if extra:
            problems.append(f"{path}: elements the spec does not define: {sorted(extra)}")
        if missing:
            problems.append(f"{path}: missing {sorted(missing)}")
        for child in node:
            if child.tag in SPEC_ELEMENTS or child.tag in allowed:
                walk(child, f"{path}/{child.tag}")

    if root.tag not in ("services", "service_definition", "service_requests", "errors", "discovery"):
        problems.append(f"unknown root element <{root.tag}>")
    walk(root, root.tag)
    return problems


@dataclass
class Created:
    service_request_id: str
    service_notice: str
    extra: dict[str, str]


class Open311Error(Exception):
    def __init__(self, status: int, errors: list[tuple[str, str]]) -> None:
        super().__init__(f"{status}: {errors}")
        self.status, self.errors = status, errors


class SpecClient:
    """POST /requests.xml as the spec shows it: form-encoded, attributes as attribute[code]."""

    def __init__(self, endpoint: str, api_key: str = "", jurisdiction_id: str = "") -> None:
        self.endpoint = endpoint.rstrip("/")
        self.api_key, self.jurisdiction_id = api_key, jurisdiction_id

    def post_request(self, service_code: str, attributes: dict[str, str] | None = None, **fields) -> Created:
        form = {"api_key": self.api_key, "service_code": service_code, **fields}
        if self.jurisdiction_id:
            form["jurisdiction_id"] = self.jurisdiction_id
        for code, value in (attributes or {}).items():
            form[f"attribute[{code}]"] = value
        response = requests.post(f"{self.endpoint}/requests.xml", data=form, timeout=15)
        root = ET.fromstring(response.content)
        if response.status_code >= 400:
            raise Open311Error(
                response.status_code,
                [(e.findtext("code", ""), e.findtext("description", "")) for e in root.iter("error")],
            )
        request = root.find("request")
        return Created(
            service_request_id=request.findtext("service_request_id", ""),
            service_notice=request.findtext("service_notice", ""),
            extra={child.tag: child.text or "" for child in request},
        )
