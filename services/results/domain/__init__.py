"""Rules of an enforcement decision: what must be present, what may be
published, and by when. No gRPC, NATS or SQL here.

validation.py, deadlines.py, masking.py, publicity.py, public_view.py and
kinds.py (statuses, parties); their public names are importable from here.
"""

from services.results.domain.deadlines import (
    DEFAULT_WORKING_DAYS,
    FAST_TRACK_CATEGORIES,
    FAST_TRACK_WORKING_DAYS,
    publication_deadline,
    set_deadline,
    set_withdrawal_deadline,
)
from services.results.domain.kinds import ENDED_STATUSES, ORGANISATION_PARTIES, PUBLIC_STATUSES
from services.results.domain.masking import FREE_TEXT_FIELDS, mask_added_text, mask_decision, redact
from services.results.domain.public_view import public_view, tombstone
from services.results.domain.publicity import (
    add_months,
    is_warning_only,
    non_publication,
    period_over,
    publicity_span,
    publicity_start,
    publish_record,
    repair_refusal,
    severity_of,
    withdrawal_code,
)
from services.results.domain.validation import must_not_be_published, parse_date, validate_decision

__all__ = [
    "DEFAULT_WORKING_DAYS",
    "ENDED_STATUSES",
    "FAST_TRACK_CATEGORIES",
    "FAST_TRACK_WORKING_DAYS",
    "FREE_TEXT_FIELDS",
    "ORGANISATION_PARTIES",
    "PUBLIC_STATUSES",
    "add_months",
    "is_warning_only",
    "mask_added_text",
    "mask_decision",
    "must_not_be_published",
    "non_publication",
    "parse_date",
    "period_over",
    "public_view",
    "publication_deadline",
    "publicity_span",
    "publicity_start",
    "publish_record",
    "redact",
    "repair_refusal",
    "set_deadline",
    "set_withdrawal_deadline",
    "severity_of",
    "tombstone",
    "validate_decision",
    "withdrawal_code",
]
