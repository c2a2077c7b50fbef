"""The results service's handlers that bring decisions in and read them out,
assembled into the one object the servicer calls: publishing.py (publish,
register, bulk), reading.py (records, history, takedowns), listing.py
(ListResults), chain_reads.py (GetChain, VerifyChain). The use cases that
change a published record are in lifecycle.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from services.results.chain_reads import ChainReads
from services.results.directory import AgencyDirectory
from services.results.index_queue import SearchIndexer
from services.results.listing import Listing
from services.results.policy import PublicationPolicy, RegionPolicies
from services.results.publishing import Publishing
from services.results.reading import Reading
from services.runtime.app import ServiceRuntime
from services.runtime.calendar import WorkingDayCalendar, default_calendar


@dataclass
class ResultsHandlers(Publishing, Reading, Listing, ChainReads):
    runtime: ServiceRuntime
    agencies: AgencyDirectory
    indexer: SearchIndexer
    policies: RegionPolicies = field(default_factory=RegionPolicies)
    calendar: WorkingDayCalendar = field(default_factory=default_calendar)
    # One chain verification at a time: it reads a whole agency's log, and
    # the RPC is public.
    _verifying: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))

    @property
    def db(self):
        return self.runtime.db

    def policy(self, region_code: str) -> PublicationPolicy:
        return self.policies.for_region(region_code)
