"""The public portal: server-rendered pages that work without JavaScript."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from gateway.convert import to_json
from gateway.i18n import translator
from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")


def _context(request: Request, **values) -> dict:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    lang = lang if lang in ("zh", "en") else "zh"
    return {"request": request, "lang": lang, "t": translator(lang), **values}


@router.get("/", response_class=HTMLResponse)
async def home(request: Request):
    reply = await request.app.state.clients.results.ListResults(
        pb.ListResultsRequest(page=common_pb2.PageRequest(page_size=20))
    )
    return templates.TemplateResponse(
        request,
        "results.html",
        _context(request, results=[to_json(r) for r in reply.results], total=reply.total),
    )


@router.get("/results/{result_id}", response_class=HTMLResponse)
async def result_page(request: Request, result_id: str):
    result = await request.app.state.clients.results.GetResult(pb.GetResultRequest(id=result_id))
    return templates.TemplateResponse(request, "result.html", _context(request, r=to_json(result)))
