"""Finding the record in other services' events, whatever their shape."""

from __future__ import annotations

import pytest

from gongshi.v1 import common_pb2, duties_pb2, procedures_pb2, results_pb2
from gongshi.v1 import feedback_pb2 as pb
from services.feedback.consumers import STATE_EVENTS, copies_subscription, record_ref
from services.runtime.events import event_type
from services.runtime.subscription import InboundEvent


def inbound(subject: str) -> InboundEvent:
    return InboundEvent(subject, "e1", "", {}, 1, 1)


def test_a_result_event_carries_the_record_and_its_party():
    result = results_pb2.Result(
        id="r1", agency_code="SCJG", version=3, party=results_pb2.PublicParty(name="张某某")
    )
    ref = record_ref(results_pb2.ResultCorrected(result=result), inbound("gongshi.results.corrected.SCJG"))
    assert (ref.record_id, ref.agency_code, ref.version) == ("r1", "SCJG", 3)
    assert ref.result.party.name == "张某某"


def test_a_withdrawal_names_the_result_by_id():
    message = results_pb2.ResultWithdrawn(result_id="r2", agency_code="SCJG", reason="撤销")
    ref = record_ref(message, inbound("gongshi.results.withdrawn.SCJG"))
    assert (ref.record_id, ref.agency_code, ref.version, ref.result) == ("r2", "SCJG", 0, None)


def test_nested_records_use_their_code_not_a_cited_duty_item():
    procedure = procedures_pb2.Procedure(
        agency_code="SCJG",
        code="P-7",
        duty_item_code="330217001000",
        publication=common_pb2.Publication(version=4),
    )
    ref = record_ref(
        procedures_pb2.ProcedureRevised(procedure=procedure), inbound("gongshi.procedures.x.SCJG")
    )
    assert (ref.record_id, ref.agency_code, ref.version) == ("P-7", "SCJG", 4)


def test_the_subject_supplies_a_missing_agency():
    ref = record_ref(
        duties_pb2.DutyItemRetired(duty_item=duties_pb2.DutyItem(code="D1")), inbound("a.b.c.CGJ")
    )
    assert (ref.record_id, ref.agency_code) == ("D1", "CGJ")
    assert record_ref(duties_pb2.DutyItemRetired(), inbound("a.b.c.CGJ")) is None


@pytest.mark.parametrize(("module", "name", "kind", "state"), STATE_EVENTS)
def test_every_state_event_that_exists_is_subscribed(module, name, kind, state):
    subscription = copies_subscription()
    message_type = getattr(module, name, None)
    if message_type is None:
        pytest.skip(f"{name} is not defined yet")
    assert event_type(message_type) in subscription.handlers
    assert kind in pb.FeedbackTargetType.values()
    domain = module.DESCRIPTOR.name.rsplit("/", 1)[-1].removesuffix(".proto")
    assert f"gongshi.{domain}.>" in subscription.filter_subjects
