"""Rules of citizen feedback: what a submission must look like, the workflow
of a case and its clocks (DOMAIN.md J, F3, (c) items 8 and 10). No gRPC, NATS
or SQL here: handlers load a Case, call these rules, and save what changed.

case.py (the workflow and its clocks), submissions.py, public_text.py
(masking), parties.py (objections), moderation.py, figures.py, labels.py;
their public names are importable from here.
"""

from services.feedback.domain.case import (
    ACCEPTANCE_WORKING_DAYS,
    CONCLUSION_CLOCK_STATUSES,
    CONCLUSION_DAYS,
    MAX_EXTENSION_DAYS,
    MAX_REOPENS,
    OBJECTION_WORKING_DAYS,
    OPEN_STATUSES,
    RATING_MAX,
    RATING_MIN,
    RECORD_TARGETS_NEEDING_AGENCY,
    TARGETS_NOT_OPEN_TO_NEW_OBJECTIONS,
    Case,
    Change,
    add_calendar_days,
    add_working_days,
    china_date,
    new_case,
)
from services.feedback.domain.figures import median_hours, ratio
from services.feedback.domain.labels import OUTCOME_LABELS, outcome_label, status_name, target_state_name
from services.feedback.domain.moderation import moderation_after_flag, moderation_after_review
from services.feedback.domain.parties import NATURAL_PERSON, PublishedParty, party_matches
from services.feedback.domain.public_text import mask_public_text
from services.feedback.domain.submissions import (
    check_attachments,
    check_location,
    clean_filename,
    new_tracking_code,
    normalise_text,
    secret_digest,
    sniff_content_type,
    text_digest,
    validate_addition,
    validate_submission,
)

__all__ = [
    "ACCEPTANCE_WORKING_DAYS",
    "CONCLUSION_CLOCK_STATUSES",
    "CONCLUSION_DAYS",
    "MAX_EXTENSION_DAYS",
    "MAX_REOPENS",
    "NATURAL_PERSON",
    "OBJECTION_WORKING_DAYS",
    "OPEN_STATUSES",
    "OUTCOME_LABELS",
    "RATING_MAX",
    "RATING_MIN",
    "RECORD_TARGETS_NEEDING_AGENCY",
    "TARGETS_NOT_OPEN_TO_NEW_OBJECTIONS",
    "Case",
    "Change",
    "PublishedParty",
    "add_calendar_days",
    "add_working_days",
    "check_attachments",
    "check_location",
    "china_date",
    "clean_filename",
    "mask_public_text",
    "median_hours",
    "moderation_after_flag",
    "moderation_after_review",
    "new_case",
    "new_tracking_code",
    "normalise_text",
    "outcome_label",
    "party_matches",
    "ratio",
    "secret_digest",
    "sniff_content_type",
    "status_name",
    "target_state_name",
    "text_digest",
    "validate_addition",
    "validate_submission",
]
