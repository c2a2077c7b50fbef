"""Bare Starlette app: GET /records answers a 20-record JSON list.

Run under uvicorn by bench.bare.http_list, e.g.
  python -m uvicorn bench.apps.http_list:app --loop uvloop --http httptools --port N
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.records import LIST_SIZE, records

# Built once: the reference measures the HTTP stack and JSON encoding, not record assembly.
RECORDS = records(LIST_SIZE)


async def list_records(request: Request) -> JSONResponse:
    return JSONResponse(RECORDS)


app = Starlette(routes=[Route("/records", list_records)])
