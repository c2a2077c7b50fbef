"""Which statuses a record can be in that the rules tell apart (public, ended
for good) and which parties are organisations."""

from __future__ import annotations

from gongshi.v1 import results_pb2 as pb

PUBLIC_STATUSES = (pb.RESULT_STATUS_PUBLISHED, pb.RESULT_STATUS_CORRECTED)
# Statuses whose record has left public view for good; reads get a tombstone.
ENDED_STATUSES = (pb.RESULT_STATUS_WITHDRAWN, pb.RESULT_STATUS_EXPIRED, pb.RESULT_STATUS_REPAIRED)
# Organisations are identified by their 統一社會信用代碼 (D4: 行政相對人代碼).
ORGANISATION_PARTIES = frozenset(
    {pb.PARTY_TYPE_LEGAL_PERSON, pb.PARTY_TYPE_UNINCORPORATED, pb.PARTY_TYPE_INDIVIDUAL_BUSINESS}
)
