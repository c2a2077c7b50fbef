"""What every agency write through the gateway shares (gateway/routes/results.py
and gateway/routes/agency.py): the caller's credential passed through as gRPC
metadata, so the service checks it with the same code as a direct gRPC call,
and proto JSON bodies parsed into request messages with a 400 problem that
names the refused field."""

from __future__ import annotations

import re
from typing import TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from google.protobuf import json_format
from google.protobuf.message import Message

from gateway import problems

M = TypeVar("M", bound=Message)

# json_format nests its messages: 'Failed to parse duty_item field: Failed to parse name field: ...'
_NESTED = re.compile(r"Failed to parse (\w+) field: ")
_UNKNOWN = re.compile(r'has no field named "([^"]+)"')


def bearer(request: Request) -> list[tuple[str, str]]:
    """The caller's credential, passed through unchanged (the service checks it)."""
    value = request.headers.get("authorization")
    return [("authorization", value)] if value else []


class BadBody(Exception):
    def __init__(self, field: str, description: str) -> None:
        super().__init__(description)
        self.field, self.description = field, description


def parse(data: dict, message: M, field: str | None = None) -> M:
    """Proto JSON (field names in camelCase or snake_case, enums by full name,
    e.g. "POWER_TYPE_PENALTY") into `message`. A refusal names `field`, or
    when None the field path json_format reports (e.g. "duty_item.power_type")."""
    try:
        return json_format.ParseDict(data, message)
    except json_format.ParseError as exc:
        raise BadBody(field or error_field(str(exc)), str(exc)) from exc


def error_field(error: str) -> str:
    path = _NESTED.findall(error)
    unknown = _UNKNOWN.search(error)
    if unknown:
        path.append(unknown.group(1))
    return ".".join(path) or "body"


def bad_body(exc: BadBody, detail: str = "the request body is not a valid request message") -> JSONResponse:
    return problems.problem(400, detail, [{"field": exc.field, "description": exc.description}])
