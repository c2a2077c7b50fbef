"""Chinese full-text search over published results (SearchResults): a request
parsed (search_request.py), its statements run (search_plan.py) over the
read model (search_index.py), each hit with a snippet of its public text."""

from __future__ import annotations

import re

from sqlalchemy import text

from gongshi.v1 import results_query_pb2 as qpb
from services.results import domain
from services.results.search_plan import SearchPage, search_steps
from services.results.search_request import encode_offset, parse_request
from services.runtime import limits


def snippet(text_: str, terms: list[str], width: int = limits.SEARCH_SNIPPET_CHARS) -> str:
    """A window of the public text around the first term found."""
    flat = re.sub(r"\s+", " ", text_)
    lowered = flat.lower()
    positions = [p for p in (lowered.find(t.lower()) for t in terms) if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


class ResultSearch:
    def __init__(self, db) -> None:
        self.db = db

    async def search(self, request: qpb.SearchResultsRequest) -> qpb.SearchResultsResponse:
        query = parse_request(request)
        response = qpb.SearchResultsResponse()
        if query.filters["status"] and query.filters["status"] not in domain.PUBLIC_STATUSES:
            return response  # withdrawn, expired, never published: not searchable
        steps = search_steps(query, self.db.engine.dialect.name)
        async with self.db.engine.connect() as conn:
            rows = None
            try:
                while True:
                    statement, params = steps.send(rows)
                    rows = (await conn.execute(text(statement), params)).all()
            except StopIteration as done:
                found: SearchPage = done.value
        for result_id, text_ in found.rows[: query.limit]:
            doc = found.docs.get(result_id)
            if doc is not None:  # the row itself is the final word on visibility
                hit = response.hits.add(snippet=snippet(text_, query.terms))
                hit.result.ParseFromString(doc)
        response.total = min(found.total, limits.SEARCH_COUNT_CAP)
        response.total_is_lower_bound = found.total > limits.SEARCH_COUNT_CAP
        next_offset = query.offset + query.limit
        if len(found.rows) > query.limit and next_offset <= limits.MAX_SEARCH_OFFSET:
            response.next_page_token = encode_offset(next_offset)
        return response
