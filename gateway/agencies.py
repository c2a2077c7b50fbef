"""Agency names for pages: a citizen knows 上海市黄浦区市场监督管理局, not
SCJG-310101. The gateway learns every name from the duties service in one
paged ListAgencies walk and keeps them in-process, so a page never costs a
gRPC call per record. Templates read the names synchronously (`name_of`);
page handlers await `ensure` first so the codes they show are known."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import grpc

from gongshi.v1 import common_pb2
from gongshi.v1 import duties_pb2 as pb
from services.runtime import limits

log = logging.getLogger(__name__)

# Names change rarely (a merger, a renaming): refresh at most this often, and
# no more often than REFETCH_SECONDS when a page shows a code not seen yet.
NAMES_TTL_SECONDS = 300.0
REFETCH_SECONDS = 5.0
# Bounds one walk: MAX_PAGE_SIZE agencies per page.
MAX_PAGES = 50

_names: dict[str, str] = {}
_fetched_at = float("-inf")  # last complete walk
_tried_at = float("-inf")  # last walk started


def name_of(code: str) -> str:
    """The agency's name, or "" when the gateway does not know it (yet)."""
    return _names.get(code, "")


async def ensure(clients, codes: Iterable[str] = ()) -> None:
    """Refresh the names when they are old, or when a code on the page is unknown."""
    now = time.monotonic()
    if now - _tried_at < REFETCH_SECONDS:
        return  # a walk just started or just ended: use what it found
    stale = now - _fetched_at >= NAMES_TTL_SECONDS
    if stale or any(code and code not in _names for code in codes):
        await _refresh(clients)


async def _refresh(clients) -> None:
    global _fetched_at, _tried_at
    # Claimed before the first await: a burst of views starts one walk, not many.
    _tried_at = time.monotonic()
    names, token = {}, ""
    try:
        for _ in range(MAX_PAGES):
            reply = await clients.duties.ListAgencies(
                pb.ListAgenciesRequest(
                    page=common_pb2.PageRequest(page_size=limits.MAX_PAGE_SIZE, page_token=token)
                ),
                timeout=5,
            )
            names.update({a.code: a.name for a in reply.agencies if a.name})
            token = reply.next_page_token
            if not token:
                break
    except grpc.aio.AioRpcError as exc:
        # Pages still render (with codes); the next view after REFETCH_SECONDS tries again.
        log.warning("agency names unavailable: %s", exc.code())
        return
    _names.update(names)
    _fetched_at = _tried_at = time.monotonic()
