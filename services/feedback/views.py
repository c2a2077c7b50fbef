"""Rows to the domain Case and back, and to the three views of a case: public
(anyone), tracked (the citizen with the secret) and agency (the handler).

The public view reads only public columns, so it cannot leak what it never reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from gongshi.v1 import feedback_pb2 as pb
from services.feedback.domain import Case
from services.feedback.models import (
    AdditionRow,
    AttachmentRow,
    FeedbackRow,
    HistoryRow,
    ReplyRow,
    SubmissionRow,
)
from services.runtime import holidays
from services.runtime.clock import isoformat

_CASE_FIELDS = (
    "agency_code category status is_objection received_at accepted_at rejected_at rejection_reason "
    "extension_days extension_reason extension_approval_ref extension_approver first_reply_at "
    "replied_on_time closed_at reopen_count reopened_at rating rating_comment acceptance_overdue_at "
    "conclusion_overdue_at objection_outcome target_state transfers"
).split()


def iso(value: dt.datetime | None) -> str:
    return isoformat(value) if value is not None else ""


def case_from_row(row: FeedbackRow) -> Case:
    values = {name: getattr(row, name) for name in _CASE_FIELDS}
    return Case(
        id=row.id,
        acceptance_due=dt.date.fromisoformat(row.acceptance_due),
        conclusion_due=dt.date.fromisoformat(row.conclusion_due) if row.conclusion_due else None,
        **values,
    )


def apply_case(row: FeedbackRow, case: Case, now: dt.datetime) -> None:
    for name in _CASE_FIELDS:
        setattr(row, name, getattr(case, name))
    acceptance = case.acceptance_due.isoformat()
    conclusion = case.conclusion_due.isoformat() if case.conclusion_due else None
    # A due date stays provisional until revised (feedback/revision.py); a newly
    # computed one is provisional when it lies in a year without holiday data
    # (its count started in a known year, so only its end can be unknown).
    row.acceptance_due_provisional = _provisional(
        row.acceptance_due_provisional and row.acceptance_due == acceptance, acceptance
    )
    row.conclusion_due_provisional = _provisional(
        row.conclusion_due_provisional and row.conclusion_due == conclusion, conclusion
    )
    row.acceptance_due, row.conclusion_due = acceptance, conclusion
    row.version += 1
    row.updated_at = now


def _reply_view(reply: ReplyRow) -> pb.PublicReply:
    visible = reply.moderation == pb.MODERATION_STATE_VISIBLE
    return pb.PublicReply(
        id=reply.id,
        agency_code=reply.agency_code,
        text=reply.text_public if visible else "",
        replied_at=iso(reply.replied_at),
        moderation=reply.moderation,
    )


def public_view(
    row: FeedbackRow, agency_name: str, replies: Sequence[ReplyRow], history: Sequence[HistoryRow]
) -> pb.PublicFeedback:
    visible = row.text_moderation == pb.MODERATION_STATE_VISIBLE
    return pb.PublicFeedback(
        id=row.id,
        agency_code=row.agency_code,
        agency_name=agency_name,
        target=pb.FeedbackTarget(type=row.target_type, id=row.target_id, agency_code=row.target_agency_code),
        target_state=row.target_state,
        category=row.category,
        status=row.status,
        text=row.text_public if visible else "",
        text_moderation=row.text_moderation,
        display_name=row.display_name if row.show_display_name else "",
        attachment_count=row.attachment_count,
        received_at=iso(row.received_at),
        updated_at=iso(row.updated_at),
        acceptance_due=row.acceptance_due,
        accepted_at=iso(row.accepted_at),
        rejected_at=iso(row.rejected_at),
        rejection_reason=row.rejection_reason,
        conclusion_due=row.conclusion_due or "",
        extension_days=row.extension_days,
        extension_reason=row.extension_reason,
        closed_at=iso(row.closed_at),
        location=pb.Location(latitude=row.latitude, longitude=row.longitude, address=row.address),
        replies=[_reply_view(r) for r in replies],
        history=[
            pb.StatusChange(
                at=iso(h.at), status=h.status, agency_code=h.agency_code, note=h.note, event=h.event
            )
            for h in history
        ],
        linked_submissions=row.linked_submissions,
        is_objection=row.is_objection,
        objection_outcome=row.objection_outcome,
        original_agency_code=row.original_agency_code,
        acceptance_overdue=row.acceptance_overdue_at is not None,
        conclusion_overdue=row.conclusion_overdue_at is not None,
        reopen_count=row.reopen_count,
        version=row.version,
        first_reply_at=iso(row.first_reply_at),
        acceptance_due_provisional=row.acceptance_due_provisional,
        conclusion_due_provisional=row.conclusion_due_provisional,
    )


def _provisional(kept: bool, due: str | None) -> bool:
    return bool(due) and (kept or not holidays.current().covers(int(due[:4])))


def attachment_info(row: AttachmentRow) -> pb.AttachmentInfo:
    return pb.AttachmentInfo(
        id=row.id,
        filename=row.filename,
        content_type=row.content_type,
        size_bytes=row.size_bytes,
        sha256=row.sha256,
        uploaded_at=iso(row.uploaded_at),
    )


def additions_view(
    additions: Sequence[AdditionRow], attachments: Sequence[AttachmentRow]
) -> list[pb.Addition]:
    return [
        pb.Addition(
            text=a.text,
            added_at=iso(a.added_at),
            attachments=[attachment_info(f) for f in attachments if f.addition_id == a.id],
        )
        for a in additions
    ]


def contact_view(submission: SubmissionRow) -> pb.ContactDetails:
    return pb.ContactDetails(
        name=submission.contact_name,
        phone=submission.contact_phone,
        email=submission.contact_email,
        address=submission.contact_address,
    )


def tracked_view(
    public: pb.PublicFeedback,
    row: FeedbackRow,
    case: Case,
    submission: SubmissionRow,
    additions: Sequence[AdditionRow],
    attachments: Sequence[AttachmentRow],
) -> pb.TrackedFeedback:
    return pb.TrackedFeedback(
        feedback=public,
        contact=contact_view(submission),
        text=row.text,
        attachments=[attachment_info(f) for f in attachments if f.addition_id is None],
        additions=additions_view(additions, attachments),
        rating=row.rating,
        rating_comment=row.rating_comment,
        can_reopen=case.can_reopen(),
        can_rate=case.can_rate(),
        linked=submission.linked,
        show_display_name=submission.show_display_name,
        display_name=submission.display_name,
    )


def agency_view(
    public: pb.PublicFeedback,
    row: FeedbackRow,
    submissions: Sequence[SubmissionRow],
    replies: Sequence[ReplyRow],
    additions: Sequence[AdditionRow],
    attachments: Sequence[AttachmentRow],
) -> pb.AgencyFeedback:
    view = pb.AgencyFeedback(
        feedback=public,
        contacts=[contact_view(s) for s in submissions if _has_contact(s)],
        text=row.text,
        attachments=[attachment_info(f) for f in attachments if f.addition_id is None],
        additions=additions_view(additions, attachments),
        rating=row.rating,
        rating_comment=row.rating_comment,
        text_flags=row.text_flags,
        extension_approval_ref=row.extension_approval_ref,
        extension_approver=row.extension_approver,
        replies=[
            pb.AgencyReply(
                id=r.id, text=r.text, replied_at=iso(r.replied_at), moderation=r.moderation, flags=r.flags
            )
            for r in replies
        ],
    )
    if row.is_objection:
        view.objection.CopyFrom(
            pb.Objection(party_name=row.objection_party_name, party_identifier=row.objection_party_identifier)
        )
    return view


def _has_contact(s: SubmissionRow) -> bool:
    return any((s.contact_name, s.contact_phone, s.contact_email, s.contact_address))
