"""The public view of a decision as a Result, and the tombstone that is all
an ended record still shows."""

from __future__ import annotations

from gongshi.v1 import results_pb2 as pb
from services.runtime.calendar import Deadline


def public_view(
    result_id: str,
    agency_code: str,
    region_code: str,
    decision: pb.Decision,
    *,
    status: int,
    deadline: Deadline,
    version: int = 1,
) -> pb.Result:
    """The record as the public sees it, built from an already masked decision.
    Publication dates are set by `mark_published`."""
    d = decision
    party = pb.PublicParty(
        type=d.party.type,
        name=d.party.name,
        uscc=d.party.uscc,
        legal_representative=d.party.legal_representative,
        id_number=d.party.id_number,
        address=d.party.address,
        phone=d.party.phone,
        bank_account=d.party.bank_account,
    )
    return pb.Result(
        id=result_id,
        agency_code=agency_code,
        region_code=region_code,
        version=version,
        status=status,
        document_number=d.document_number,
        category=d.category,
        procedure_type=d.procedure_type,
        duty_item_code=d.duty_item_code,
        party=party,
        facts=d.facts,
        violation_type=d.violation_type,
        violated_provisions=d.violated_provisions,
        legal_basis=d.legal_basis,
        conclusion=d.conclusion,
        penalty_kinds=d.penalty_kinds,
        fine_amount_fen=d.fine_amount_fen,
        confiscation_amount_fen=d.confiscation_amount_fen,
        licence_name_no=d.licence_name_no,
        licence_item=d.licence_item,
        approval_category=d.approval_category,
        licence_validity=d.licence_validity,
        decision_date=d.decision_date,
        severity=d.severity,
        summary_only=d.summary_only,
        publish_deadline=deadline.day.isoformat(),
        deadline_note=deadline.note,
        deadline_provisional=deadline.provisional,
    )


def tombstone(result: pb.Result) -> pb.Result:
    """What stays visible of a record taken out of publication: which decision
    it was, and why and when it went (withdrawal), or only that publication
    ended (expiry and credit repair, whose purpose is that the record is no
    longer shown). Never the party, facts or conclusion."""
    if result.status == pb.RESULT_STATUS_WITHDRAWN:
        return pb.Result(
            id=result.id,
            agency_code=result.agency_code,
            region_code=result.region_code,
            version=result.version,
            status=result.status,
            document_number=result.document_number,
            category=result.category,
            decision_date=result.decision_date,
            published_at=result.published_at,
            updated_at=result.updated_at,
            withdrawn_at=result.withdrawn_at,
            withdrawal_reason=result.withdrawal_reason,
            withdrawal_statement=result.withdrawal_statement,
            withdrawal_deadline=result.withdrawal_deadline,
            withdrawn_on_time=result.withdrawn_on_time,
            withdrawal_grounds_date=result.withdrawal_grounds_date,
            withdrawal_deadline_provisional=result.withdrawal_deadline_provisional,
            record_hash=result.record_hash,
            chain_seq=result.chain_seq,
        )
    return pb.Result(
        id=result.id,
        agency_code=result.agency_code,
        status=result.status,
        publication_ended_at=result.publication_ended_at,
        updated_at=result.updated_at,
        record_hash=result.record_hash,
        chain_seq=result.chain_seq,
    )
