"""Agencies known to the results service, cached in memory (from duties'
events, stored by consumers.py)."""

from __future__ import annotations

from services.results.models import AgencyCopy
from services.runtime import copies
from services.runtime.app import ServiceRuntime


class AgencyDirectory:
    """Agencies known locally (from duties' events), cached in memory: they
    change rarely and are read on every publish."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime
        self._cache: dict[str, AgencyCopy] = {}

    async def get(self, code: str) -> AgencyCopy:
        agency = self._cache.get(code)
        if agency is None:
            async with self.runtime.db.reader() as session:
                agency = await copies.known_agency(session, AgencyCopy, code, "results")
            self._cache[code] = agency
        return agency

    def forget(self, code: str) -> None:
        self._cache.pop(code, None)
