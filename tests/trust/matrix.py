"""The authorization matrix: every protected RPC of every service, with a
minimal valid sample request for each.

A method is protected unless a servicer lists it in PUBLIC_METHODS. Every
protected method needs an entry in SAMPLES, or the coverage test fails: a
new method cannot slip past the matrix. A sample says who may call it:

  AGENCY  the owning agency writes (or reads) its own records; oversight and
          other agencies are refused with PERMISSION_DENIED
  ADMIN   administrators only
  READER  administrators and oversight bodies (the audit log)

Requests name the owning agency A's real records (made by `Records`), so a
refusal can only be about who calls, never about a missing record.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

import gongshi.v1
from gongshi.v1 import audit_pb2, common_pb2
from gongshi.v1 import duties_pb2 as dpb
from gongshi.v1 import feedback_pb2 as fpb
from gongshi.v1 import procedures_pb2 as ppb
from gongshi.v1 import results_pb2 as rpb
from tests.support.decisions import penalty

AGENCY, ADMIN, READER = "agency", "admin", "reader"
SERVICE_MODULES = ("duties", "procedures", "results", "feedback")


def load_all_protos() -> descriptor_pool.DescriptorPool:
    for module in pkgutil.iter_modules(gongshi.v1.__path__):
        if module.name.endswith("_pb2"):
            importlib.import_module(f"gongshi.v1.{module.name}")
    return descriptor_pool.Default()


def public_methods() -> set[str]:
    """Every PUBLIC_METHODS set a service module declares (servicer.py, query.py ...)."""
    found: set[str] = set()
    root = Path(__file__).resolve().parents[2] / "services"
    for name in SERVICE_MODULES:
        for path in sorted((root / name).glob("*.py")):
            if "PUBLIC_METHODS =" in path.read_text(encoding="utf-8"):
                found |= set(importlib.import_module(f"services.{name}.{path.stem}").PUBLIC_METHODS)
    return found


def method_classes(full_method: str) -> tuple[type[Message], type[Message], bool]:
    """(request class, response class, client streaming) of '/pkg.Service/Method'."""
    service_name, method_name = full_method.strip("/").split("/")
    method = load_all_protos().FindServiceByName(service_name).methods_by_name[method_name]
    return (
        message_factory.GetMessageClass(method.input_type),
        message_factory.GetMessageClass(method.output_type),
        method.client_streaming,
    )


@dataclass
class Records:
    """Real records of the owning agency A that the samples point at."""

    agency: str
    other_agency: str
    result_id: str
    reply_id: str
    repair_id: str
    feedback_id: str


@dataclass(frozen=True)
class Sample:
    who: str
    build: Callable[[Records], Message | list[Message]]


def _status(kind: int, retire: bool = False) -> Callable[[Records], Message]:
    return lambda r: common_pb2.ChangeStatusRequest(
        kind=kind, agency_code=r.agency, code="TRUST-1", reason="核查后下线" if retire else ""
    )


def _basis(r: Records) -> dpb.LegalBasis:
    return dpb.LegalBasis(
        agency_code=r.agency,
        code="TRUST-1",
        instrument_title="中华人民共和国食品安全法",
        level=dpb.INSTRUMENT_LEVEL_LAW,
        issuing_body="全国人民代表大会常务委员会",
        article="第一百二十四条",
        role=dpb.BASIS_ROLE_PENALTY,
        effective_date="2015-10-01",
        text_excerpt="违反本法规定，有下列情形之一……",
    )


def _duty_item(r: Records) -> dpb.DutyItem:
    return dpb.DutyItem(
        agency_code=r.agency,
        code="TRUST-1",
        name="对生产经营超过保质期食品的处罚",
        power_type=dpb.POWER_TYPE_PENALTY,
        legal_basis_codes=["TRUST-1"],
        handling_unit="执法稽查科",
        responsibilities=[dpb.Responsibility(stage=dpb.DUTY_STAGE_FILING, description="对违法线索依法立案")],
        accountability_cases=["不履行或者不正确履行职责的"],
    )


def _officer(r: Records) -> dpb.PutOfficerRequest:
    return dpb.PutOfficerRequest(
        officer=dpb.Officer(
            agency_code=r.agency,
            certificate_number="TRUST0001",
            name="张三",
            enforcement_category="市场监管",
            enforcement_area="黄浦区",
            valid_from="2024-01-01",
            valid_to="2029-12-31",
        ),
        publish=True,
    )


def _decision(r: Records, number: str) -> rpb.PublishDecisionRequest:
    return rpb.PublishDecisionRequest(decision=penalty(f"矩阵{number}号"), agency_code=r.agency)


SAMPLES: dict[str, Sample] = {
    # -- duties: administrator operations
    "/gongshi.v1.AdminService/RegisterAgency": Sample(
        ADMIN,
        lambda r: dpb.RegisterAgencyRequest(
            agency=dpb.Agency(
                code=f"{r.agency}-X",
                name="矩阵测试局",
                region_code="310101",
                kind=dpb.AGENCY_KIND_ADMINISTRATIVE_ORGAN,
            )
        ),
    ),
    "/gongshi.v1.AdminService/IssueCredential": Sample(
        ADMIN, lambda r: dpb.IssueCredentialRequest(role=common_pb2.ROLE_AGENCY, agency_code=r.agency)
    ),
    "/gongshi.v1.AdminService/RevokeCredential": Sample(
        ADMIN, lambda r: dpb.RevokeCredentialRequest(credential_id="0000000000000000")
    ),
    "/gongshi.v1.AdminService/RotateCredential": Sample(
        ADMIN, lambda r: dpb.RotateCredentialRequest(credential_id="0000000000000000")
    ),
    # -- duties: the agency's own ex-ante records
    "/gongshi.v1.DutiesService/PutOfficer": Sample(AGENCY, _officer),
    "/gongshi.v1.DutiesService/PutLegalBasis": Sample(
        AGENCY, lambda r: dpb.PutLegalBasisRequest(legal_basis=_basis(r), publish=True)
    ),
    "/gongshi.v1.DutiesService/RepealInstrument": Sample(
        AGENCY,
        lambda r: dpb.RepealInstrumentRequest(
            agency_code=r.agency, instrument_title="某某条例", repealed_date="2026-01-01", reason="已废止"
        ),
    ),
    "/gongshi.v1.DutiesService/PutDutyItem": Sample(
        AGENCY, lambda r: dpb.PutDutyItemRequest(duty_item=_duty_item(r), publish=True)
    ),
    "/gongshi.v1.DutiesService/ImportDutyItems": Sample(
        AGENCY, lambda r: [dpb.PutDutyItemRequest(duty_item=_duty_item(r), publish=True)]
    ),
    "/gongshi.v1.DutiesService/PublishRecord": Sample(AGENCY, _status(common_pb2.RECORD_KIND_DUTY_ITEM)),
    "/gongshi.v1.DutiesService/RetireRecord": Sample(
        AGENCY, _status(common_pb2.RECORD_KIND_DUTY_ITEM, retire=True)
    ),
    # -- procedures
    "/gongshi.v1.ProceduresService/PutProcedure": Sample(
        AGENCY,
        lambda r: ppb.PutProcedureRequest(
            procedure=ppb.Procedure(agency_code=r.agency, code="TRUST-1", name="行政处罚一般程序"),
            publish=True,
        ),
    ),
    "/gongshi.v1.ProceduresService/PutSupervisionChannel": Sample(
        AGENCY,
        lambda r: ppb.PutSupervisionChannelRequest(
            channel=ppb.SupervisionChannel(agency_code=r.agency, code="TRUST-1", name="投诉举报电话"),
            publish=True,
        ),
    ),
    "/gongshi.v1.ProceduresService/PutInspectionItem": Sample(
        AGENCY,
        lambda r: ppb.PutInspectionItemRequest(
            inspection_item=ppb.InspectionItem(agency_code=r.agency, code="TRUST-1", item="食品经营检查"),
            publish=True,
        ),
    ),
    "/gongshi.v1.ProceduresService/PublishRecord": Sample(AGENCY, _status(common_pb2.RECORD_KIND_PROCEDURE)),
    "/gongshi.v1.ProceduresService/RetireRecord": Sample(
        AGENCY, _status(common_pb2.RECORD_KIND_PROCEDURE, retire=True)
    ),
    # -- results
    "/gongshi.v1.ResultsService/PublishDecision": Sample(AGENCY, lambda r: _decision(r, "1")),
    # A dry run of the masking of a decision: stores nothing, but only its agency may ask.
    "/gongshi.v1.ResultsService/PreviewMasking": Sample(AGENCY, lambda r: _decision(r, "5")),
    # Re-masks stored texts as corrections: administrators only (a dry run here changes nothing).
    "/gongshi.v1.ResultsService/RemaskResults": Sample(
        ADMIN, lambda r: rpb.RemaskResultsRequest(agency_code=r.agency, dry_run=True)
    ),
    "/gongshi.v1.AnnualReportsService/ConfirmAnnualReport": Sample(
        AGENCY,
        lambda r: rpb.ConfirmAnnualReportRequest(agency_code=r.agency, year=2025, narrative="矩阵年报说明。"),
    ),
    "/gongshi.v1.ResultsService/BulkPublish": Sample(
        AGENCY, lambda r: [_decision(r, "2"), _decision(r, "3")]
    ),
    "/gongshi.v1.ResultsService/RegisterDecision": Sample(
        AGENCY, lambda r: rpb.RegisterDecisionRequest(decision=penalty("矩阵4号"), agency_code=r.agency)
    ),
    "/gongshi.v1.ResultsService/CorrectResult": Sample(
        AGENCY,
        lambda r: rpb.CorrectResultRequest(
            id=r.result_id, decision=penalty("矩阵0号", fine_amount_fen=1), reason="更正"
        ),
    ),
    "/gongshi.v1.ResultsService/WithdrawResult": Sample(
        AGENCY,
        lambda r: rpb.WithdrawResultRequest(
            id=r.result_id,
            reason=rpb.WITHDRAWAL_REASON_REVOKED,
            statement="依法撤销",
            grounds_date="2026-11-03",
        ),
    ),
    "/gongshi.v1.ResultsService/SetUnderAppeal": Sample(
        AGENCY, lambda r: rpb.SetUnderAppealRequest(id=r.result_id, under_appeal=True, note="已申请行政复议")
    ),
    "/gongshi.v1.ResultsService/ModerateReply": Sample(
        AGENCY, lambda r: rpb.ModerateReplyRequest(reply_id=r.reply_id, approve=True)
    ),
    "/gongshi.v1.ResultsService/ListReplies": Sample(
        AGENCY, lambda r: rpb.ListRepliesRequest(agency_code=r.agency)
    ),
    "/gongshi.v1.ResultsService/DecideRepair": Sample(
        AGENCY, lambda r: rpb.DecideRepairRequest(application_id=r.repair_id, grant=False, reason="材料不全")
    ),
    "/gongshi.v1.ResultsService/ListRepairApplications": Sample(
        AGENCY, lambda r: rpb.ListRepairApplicationsRequest(agency_code=r.agency)
    ),
    # -- feedback: the agency's case handling
    "/gongshi.v1.FeedbackService/ListAgencyFeedback": Sample(
        AGENCY, lambda r: fpb.ListAgencyFeedbackRequest(agency_code=r.agency)
    ),
    "/gongshi.v1.FeedbackService/GetAgencyFeedback": Sample(
        AGENCY, lambda r: fpb.GetAgencyFeedbackRequest(feedback_id=r.feedback_id)
    ),
    "/gongshi.v1.FeedbackService/AcceptFeedback": Sample(
        AGENCY, lambda r: fpb.AcceptFeedbackRequest(feedback_id=r.feedback_id, note="已受理")
    ),
    "/gongshi.v1.FeedbackService/RejectFeedback": Sample(
        AGENCY, lambda r: fpb.RejectFeedbackRequest(feedback_id=r.feedback_id, reason="不属于本机关职责")
    ),
    "/gongshi.v1.FeedbackService/TransferFeedback": Sample(
        AGENCY,
        lambda r: fpb.TransferFeedbackRequest(
            feedback_id=r.feedback_id, to_agency_code=r.other_agency, reason="转办"
        ),
    ),
    "/gongshi.v1.FeedbackService/ReplyFeedback": Sample(
        AGENCY, lambda r: fpb.ReplyFeedbackRequest(feedback_id=r.feedback_id, text="经核查，情况属实。")
    ),
    "/gongshi.v1.FeedbackService/ExtendDeadline": Sample(
        AGENCY,
        lambda r: fpb.ExtendDeadlineRequest(
            feedback_id=r.feedback_id,
            days=5,
            reason="情况复杂",
            approval_ref="审批〔2026〕1号",
            approver="李四",
        ),
    ),
    "/gongshi.v1.FeedbackService/CloseFeedback": Sample(
        AGENCY, lambda r: fpb.CloseFeedbackRequest(feedback_id=r.feedback_id, note="已办结")
    ),
    "/gongshi.v1.FeedbackService/DecideObjection": Sample(
        AGENCY,
        lambda r: fpb.DecideObjectionRequest(
            feedback_id=r.feedback_id, outcome=fpb.OBJECTION_OUTCOME_KEEP, reason="经复核，原记录无误"
        ),
    ),
    "/gongshi.v1.FeedbackService/ReviewFlagged": Sample(
        AGENCY, lambda r: fpb.ReviewFlaggedRequest(feedback_id=r.feedback_id, restore=True)
    ),
    # -- every service: the audit log
    "/gongshi.v1.AuditService/ListAudit": Sample(READER, lambda r: audit_pb2.ListAuditRequest()),
}
