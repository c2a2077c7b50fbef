"""Storage and use cases of versioned ex-ante records, written once for the
duties and procedures services (the rules are in publication.py).

A service declares its two tables (current state and versions, each named
for the service) on the bases in tables.py, and one RecordSpec per kind of record;
RecordWriter then does every write the same way: check the caller, validate,
plan, save the version, its outbox event and its audit entry in one
transaction. Reads compose the stored content with its publication envelope,
so a published version's bytes are never rewritten.

tables.py (the bases of the two tables), spec.py (RecordSpec), store.py
(VersionedStore), writer.py (RecordWriter), paging.py (pages and filters),
api.py (VersionedRecordsApi); their public names are importable from here.
"""

from services.runtime.versioned.api import VersionedRecordsApi
from services.runtime.versioned.paging import ListFilter, Listing, PageQuery, page_query
from services.runtime.versioned.spec import AfterChange, Check, RecordSpec
from services.runtime.versioned.store import VersionedStore
from services.runtime.versioned.tables import RecordStateBase, RecordVersionBase
from services.runtime.versioned.writer import PutItem, PutOutcome, RecordWriter, RegionOf

__all__ = [
    "AfterChange",
    "Check",
    "ListFilter",
    "Listing",
    "PageQuery",
    "PutItem",
    "PutOutcome",
    "RecordSpec",
    "RecordStateBase",
    "RecordVersionBase",
    "RecordWriter",
    "RegionOf",
    "VersionedRecordsApi",
    "VersionedStore",
    "page_query",
]
