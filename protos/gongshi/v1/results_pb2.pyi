from gongshi.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DecisionCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_CATEGORY_UNSPECIFIED: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_LICENSING: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_PENALTY: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_COERCION: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_LEVY: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_REQUISITION: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_INSPECTION: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_ADJUDICATION: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_CONFIRMATION: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_REWARD: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_PAYMENT: _ClassVar[DecisionCategory]
    DECISION_CATEGORY_OTHER: _ClassVar[DecisionCategory]

class ProcedureType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROCEDURE_TYPE_UNSPECIFIED: _ClassVar[ProcedureType]
    PROCEDURE_TYPE_ORDINARY: _ClassVar[ProcedureType]
    PROCEDURE_TYPE_SIMPLIFIED: _ClassVar[ProcedureType]

class PartyType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PARTY_TYPE_UNSPECIFIED: _ClassVar[PartyType]
    PARTY_TYPE_LEGAL_PERSON: _ClassVar[PartyType]
    PARTY_TYPE_UNINCORPORATED: _ClassVar[PartyType]
    PARTY_TYPE_INDIVIDUAL_BUSINESS: _ClassVar[PartyType]
    PARTY_TYPE_NATURAL_PERSON: _ClassVar[PartyType]

class PenaltyKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PENALTY_KIND_UNSPECIFIED: _ClassVar[PenaltyKind]
    PENALTY_KIND_WARNING: _ClassVar[PenaltyKind]
    PENALTY_KIND_CRITICISM: _ClassVar[PenaltyKind]
    PENALTY_KIND_FINE: _ClassVar[PenaltyKind]
    PENALTY_KIND_CONFISCATION: _ClassVar[PenaltyKind]
    PENALTY_KIND_LICENCE_SUSPENSION: _ClassVar[PenaltyKind]
    PENALTY_KIND_LICENCE_REVOCATION: _ClassVar[PenaltyKind]
    PENALTY_KIND_BUSINESS_RESTRICTION: _ClassVar[PenaltyKind]
    PENALTY_KIND_SUSPENSION_CLOSURE: _ClassVar[PenaltyKind]
    PENALTY_KIND_DETENTION: _ClassVar[PenaltyKind]
    PENALTY_KIND_OTHER: _ClassVar[PenaltyKind]

class SeverityTier(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEVERITY_TIER_UNSPECIFIED: _ClassVar[SeverityTier]
    SEVERITY_TIER_MINOR: _ClassVar[SeverityTier]
    SEVERITY_TIER_GENERAL: _ClassVar[SeverityTier]
    SEVERITY_TIER_SERIOUS: _ClassVar[SeverityTier]

class ResultStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESULT_STATUS_UNSPECIFIED: _ClassVar[ResultStatus]
    RESULT_STATUS_PUBLISHED: _ClassVar[ResultStatus]
    RESULT_STATUS_CORRECTED: _ClassVar[ResultStatus]
    RESULT_STATUS_WITHDRAWN: _ClassVar[ResultStatus]
    RESULT_STATUS_EXPIRED: _ClassVar[ResultStatus]
    RESULT_STATUS_REPAIRED: _ClassVar[ResultStatus]
    RESULT_STATUS_NOT_PUBLISHED: _ClassVar[ResultStatus]
    RESULT_STATUS_PENDING: _ClassVar[ResultStatus]

class WithdrawalReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WITHDRAWAL_REASON_UNSPECIFIED: _ClassVar[WithdrawalReason]
    WITHDRAWAL_REASON_REVOKED: _ClassVar[WithdrawalReason]
    WITHDRAWAL_REASON_CONFIRMED_ILLEGAL: _ClassVar[WithdrawalReason]
    WITHDRAWAL_REASON_CONFIRMED_INVALID: _ClassVar[WithdrawalReason]
    WITHDRAWAL_REASON_REMAKE_REQUIRED: _ClassVar[WithdrawalReason]
    WITHDRAWAL_REASON_ERROR: _ClassVar[WithdrawalReason]
    WITHDRAWAL_REASON_CHANGED: _ClassVar[WithdrawalReason]

class ReplyStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPLY_STATUS_UNSPECIFIED: _ClassVar[ReplyStatus]
    REPLY_STATUS_SUBMITTED: _ClassVar[ReplyStatus]
    REPLY_STATUS_APPROVED: _ClassVar[ReplyStatus]
    REPLY_STATUS_REJECTED: _ClassVar[ReplyStatus]

class RepairStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPAIR_STATUS_UNSPECIFIED: _ClassVar[RepairStatus]
    REPAIR_STATUS_SUBMITTED: _ClassVar[RepairStatus]
    REPAIR_STATUS_GRANTED: _ClassVar[RepairStatus]
    REPAIR_STATUS_REFUSED: _ClassVar[RepairStatus]

class AnnualReportStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ANNUAL_REPORT_STATUS_UNSPECIFIED: _ClassVar[AnnualReportStatus]
    ANNUAL_REPORT_STATUS_OPEN: _ClassVar[AnnualReportStatus]
    ANNUAL_REPORT_STATUS_DRAFT: _ClassVar[AnnualReportStatus]
    ANNUAL_REPORT_STATUS_CONFIRMED: _ClassVar[AnnualReportStatus]
    ANNUAL_REPORT_STATUS_MISSING: _ClassVar[AnnualReportStatus]
DECISION_CATEGORY_UNSPECIFIED: DecisionCategory
DECISION_CATEGORY_LICENSING: DecisionCategory
DECISION_CATEGORY_PENALTY: DecisionCategory
DECISION_CATEGORY_COERCION: DecisionCategory
DECISION_CATEGORY_LEVY: DecisionCategory
DECISION_CATEGORY_REQUISITION: DecisionCategory
DECISION_CATEGORY_INSPECTION: DecisionCategory
DECISION_CATEGORY_ADJUDICATION: DecisionCategory
DECISION_CATEGORY_CONFIRMATION: DecisionCategory
DECISION_CATEGORY_REWARD: DecisionCategory
DECISION_CATEGORY_PAYMENT: DecisionCategory
DECISION_CATEGORY_OTHER: DecisionCategory
PROCEDURE_TYPE_UNSPECIFIED: ProcedureType
PROCEDURE_TYPE_ORDINARY: ProcedureType
PROCEDURE_TYPE_SIMPLIFIED: ProcedureType
PARTY_TYPE_UNSPECIFIED: PartyType
PARTY_TYPE_LEGAL_PERSON: PartyType
PARTY_TYPE_UNINCORPORATED: PartyType
PARTY_TYPE_INDIVIDUAL_BUSINESS: PartyType
PARTY_TYPE_NATURAL_PERSON: PartyType
PENALTY_KIND_UNSPECIFIED: PenaltyKind
PENALTY_KIND_WARNING: PenaltyKind
PENALTY_KIND_CRITICISM: PenaltyKind
PENALTY_KIND_FINE: PenaltyKind
PENALTY_KIND_CONFISCATION: PenaltyKind
PENALTY_KIND_LICENCE_SUSPENSION: PenaltyKind
PENALTY_KIND_LICENCE_REVOCATION: PenaltyKind
PENALTY_KIND_BUSINESS_RESTRICTION: PenaltyKind
PENALTY_KIND_SUSPENSION_CLOSURE: PenaltyKind
PENALTY_KIND_DETENTION: PenaltyKind
PENALTY_KIND_OTHER: PenaltyKind
SEVERITY_TIER_UNSPECIFIED: SeverityTier
SEVERITY_TIER_MINOR: SeverityTier
SEVERITY_TIER_GENERAL: SeverityTier
SEVERITY_TIER_SERIOUS: SeverityTier
RESULT_STATUS_UNSPECIFIED: ResultStatus
RESULT_STATUS_PUBLISHED: ResultStatus
RESULT_STATUS_CORRECTED: ResultStatus
RESULT_STATUS_WITHDRAWN: ResultStatus
RESULT_STATUS_EXPIRED: ResultStatus
RESULT_STATUS_REPAIRED: ResultStatus
RESULT_STATUS_NOT_PUBLISHED: ResultStatus
RESULT_STATUS_PENDING: ResultStatus
WITHDRAWAL_REASON_UNSPECIFIED: WithdrawalReason
WITHDRAWAL_REASON_REVOKED: WithdrawalReason
WITHDRAWAL_REASON_CONFIRMED_ILLEGAL: WithdrawalReason
WITHDRAWAL_REASON_CONFIRMED_INVALID: WithdrawalReason
WITHDRAWAL_REASON_REMAKE_REQUIRED: WithdrawalReason
WITHDRAWAL_REASON_ERROR: WithdrawalReason
WITHDRAWAL_REASON_CHANGED: WithdrawalReason
REPLY_STATUS_UNSPECIFIED: ReplyStatus
REPLY_STATUS_SUBMITTED: ReplyStatus
REPLY_STATUS_APPROVED: ReplyStatus
REPLY_STATUS_REJECTED: ReplyStatus
REPAIR_STATUS_UNSPECIFIED: RepairStatus
REPAIR_STATUS_SUBMITTED: RepairStatus
REPAIR_STATUS_GRANTED: RepairStatus
REPAIR_STATUS_REFUSED: RepairStatus
ANNUAL_REPORT_STATUS_UNSPECIFIED: AnnualReportStatus
ANNUAL_REPORT_STATUS_OPEN: AnnualReportStatus
ANNUAL_REPORT_STATUS_DRAFT: AnnualReportStatus
ANNUAL_REPORT_STATUS_CONFIRMED: AnnualReportStatus
ANNUAL_REPORT_STATUS_MISSING: AnnualReportStatus

class Party(_message.Message):
    __slots__ = ("type", "name", "uscc", "legal_representative", "id_number", "address", "phone", "bank_account", "is_minor")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    USCC_FIELD_NUMBER: _ClassVar[int]
    LEGAL_REPRESENTATIVE_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    BANK_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    IS_MINOR_FIELD_NUMBER: _ClassVar[int]
    type: PartyType
    name: str
    uscc: str
    legal_representative: str
    id_number: str
    address: str
    phone: str
    bank_account: str
    is_minor: bool
    def __init__(self, type: _Optional[_Union[PartyType, str]] = ..., name: _Optional[str] = ..., uscc: _Optional[str] = ..., legal_representative: _Optional[str] = ..., id_number: _Optional[str] = ..., address: _Optional[str] = ..., phone: _Optional[str] = ..., bank_account: _Optional[str] = ..., is_minor: _Optional[bool] = ...) -> None: ...

class Decision(_message.Message):
    __slots__ = ("document_number", "category", "procedure_type", "duty_item_code", "party", "facts", "violation_type", "violated_provisions", "legal_basis", "conclusion", "penalty_kinds", "fine_amount_fen", "confiscation_amount_fen", "licence_name_no", "licence_item", "approval_category", "licence_validity", "decision_date", "severity", "summary_only", "involves_secrets", "endangers_security", "non_publication_reason", "third_party_names", "health_info")
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PROCEDURE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DUTY_ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    VIOLATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    VIOLATED_PROVISIONS_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_FIELD_NUMBER: _ClassVar[int]
    PENALTY_KINDS_FIELD_NUMBER: _ClassVar[int]
    FINE_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    CONFISCATION_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    LICENCE_NAME_NO_FIELD_NUMBER: _ClassVar[int]
    LICENCE_ITEM_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    LICENCE_VALIDITY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_ONLY_FIELD_NUMBER: _ClassVar[int]
    INVOLVES_SECRETS_FIELD_NUMBER: _ClassVar[int]
    ENDANGERS_SECURITY_FIELD_NUMBER: _ClassVar[int]
    NON_PUBLICATION_REASON_FIELD_NUMBER: _ClassVar[int]
    THIRD_PARTY_NAMES_FIELD_NUMBER: _ClassVar[int]
    HEALTH_INFO_FIELD_NUMBER: _ClassVar[int]
    document_number: str
    category: DecisionCategory
    procedure_type: ProcedureType
    duty_item_code: str
    party: Party
    facts: str
    violation_type: str
    violated_provisions: _containers.RepeatedScalarFieldContainer[str]
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    conclusion: str
    penalty_kinds: _containers.RepeatedScalarFieldContainer[PenaltyKind]
    fine_amount_fen: int
    confiscation_amount_fen: int
    licence_name_no: str
    licence_item: str
    approval_category: str
    licence_validity: str
    decision_date: str
    severity: SeverityTier
    summary_only: bool
    involves_secrets: bool
    endangers_security: bool
    non_publication_reason: str
    third_party_names: _containers.RepeatedScalarFieldContainer[str]
    health_info: str
    def __init__(self, document_number: _Optional[str] = ..., category: _Optional[_Union[DecisionCategory, str]] = ..., procedure_type: _Optional[_Union[ProcedureType, str]] = ..., duty_item_code: _Optional[str] = ..., party: _Optional[_Union[Party, _Mapping]] = ..., facts: _Optional[str] = ..., violation_type: _Optional[str] = ..., violated_provisions: _Optional[_Iterable[str]] = ..., legal_basis: _Optional[_Iterable[str]] = ..., conclusion: _Optional[str] = ..., penalty_kinds: _Optional[_Iterable[_Union[PenaltyKind, str]]] = ..., fine_amount_fen: _Optional[int] = ..., confiscation_amount_fen: _Optional[int] = ..., licence_name_no: _Optional[str] = ..., licence_item: _Optional[str] = ..., approval_category: _Optional[str] = ..., licence_validity: _Optional[str] = ..., decision_date: _Optional[str] = ..., severity: _Optional[_Union[SeverityTier, str]] = ..., summary_only: _Optional[bool] = ..., involves_secrets: _Optional[bool] = ..., endangers_security: _Optional[bool] = ..., non_publication_reason: _Optional[str] = ..., third_party_names: _Optional[_Iterable[str]] = ..., health_info: _Optional[str] = ...) -> None: ...

class PublicParty(_message.Message):
    __slots__ = ("type", "name", "uscc", "legal_representative", "id_number", "address", "phone", "bank_account")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    USCC_FIELD_NUMBER: _ClassVar[int]
    LEGAL_REPRESENTATIVE_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    BANK_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    type: PartyType
    name: str
    uscc: str
    legal_representative: str
    id_number: str
    address: str
    phone: str
    bank_account: str
    def __init__(self, type: _Optional[_Union[PartyType, str]] = ..., name: _Optional[str] = ..., uscc: _Optional[str] = ..., legal_representative: _Optional[str] = ..., id_number: _Optional[str] = ..., address: _Optional[str] = ..., phone: _Optional[str] = ..., bank_account: _Optional[str] = ...) -> None: ...

class Result(_message.Message):
    __slots__ = ("id", "agency_code", "region_code", "version", "status", "document_number", "category", "procedure_type", "duty_item_code", "party", "facts", "violation_type", "violated_provisions", "legal_basis", "conclusion", "penalty_kinds", "fine_amount_fen", "confiscation_amount_fen", "licence_name_no", "licence_item", "approval_category", "licence_validity", "decision_date", "severity", "summary_only", "published_at", "publish_deadline", "published_on_time", "publicity_end", "updated_at", "under_appeal", "reply_text", "withdrawn_at", "withdrawal_reason", "withdrawal_statement", "record_hash", "repair_eligible_from", "deadline_note", "publicity_start", "withdrawal_deadline", "withdrawn_on_time", "reply_at", "appeal_note", "change_reason", "publication_ended_at", "registered_at", "chain_seq", "deadline_provisional", "withdrawal_grounds_date", "withdrawal_deadline_provisional", "non_publication_reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PROCEDURE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DUTY_ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    VIOLATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    VIOLATED_PROVISIONS_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_FIELD_NUMBER: _ClassVar[int]
    PENALTY_KINDS_FIELD_NUMBER: _ClassVar[int]
    FINE_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    CONFISCATION_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    LICENCE_NAME_NO_FIELD_NUMBER: _ClassVar[int]
    LICENCE_ITEM_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    LICENCE_VALIDITY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_ONLY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    PUBLICITY_END_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UNDER_APPEAL_FIELD_NUMBER: _ClassVar[int]
    REPLY_TEXT_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWAL_REASON_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWAL_STATEMENT_FIELD_NUMBER: _ClassVar[int]
    RECORD_HASH_FIELD_NUMBER: _ClassVar[int]
    REPAIR_ELIGIBLE_FROM_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_NOTE_FIELD_NUMBER: _ClassVar[int]
    PUBLICITY_START_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWAL_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    REPLY_AT_FIELD_NUMBER: _ClassVar[int]
    APPEAL_NOTE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_REASON_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    CHAIN_SEQ_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWAL_GROUNDS_DATE_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWAL_DEADLINE_PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    NON_PUBLICATION_REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    agency_code: str
    region_code: str
    version: int
    status: ResultStatus
    document_number: str
    category: DecisionCategory
    procedure_type: ProcedureType
    duty_item_code: str
    party: PublicParty
    facts: str
    violation_type: str
    violated_provisions: _containers.RepeatedScalarFieldContainer[str]
    legal_basis: _containers.RepeatedScalarFieldContainer[str]
    conclusion: str
    penalty_kinds: _containers.RepeatedScalarFieldContainer[PenaltyKind]
    fine_amount_fen: int
    confiscation_amount_fen: int
    licence_name_no: str
    licence_item: str
    approval_category: str
    licence_validity: str
    decision_date: str
    severity: SeverityTier
    summary_only: bool
    published_at: str
    publish_deadline: str
    published_on_time: bool
    publicity_end: str
    updated_at: str
    under_appeal: bool
    reply_text: str
    withdrawn_at: str
    withdrawal_reason: str
    withdrawal_statement: str
    record_hash: str
    repair_eligible_from: str
    deadline_note: str
    publicity_start: str
    withdrawal_deadline: str
    withdrawn_on_time: bool
    reply_at: str
    appeal_note: str
    change_reason: str
    publication_ended_at: str
    registered_at: str
    chain_seq: int
    deadline_provisional: bool
    withdrawal_grounds_date: str
    withdrawal_deadline_provisional: bool
    non_publication_reason: str
    def __init__(self, id: _Optional[str] = ..., agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., version: _Optional[int] = ..., status: _Optional[_Union[ResultStatus, str]] = ..., document_number: _Optional[str] = ..., category: _Optional[_Union[DecisionCategory, str]] = ..., procedure_type: _Optional[_Union[ProcedureType, str]] = ..., duty_item_code: _Optional[str] = ..., party: _Optional[_Union[PublicParty, _Mapping]] = ..., facts: _Optional[str] = ..., violation_type: _Optional[str] = ..., violated_provisions: _Optional[_Iterable[str]] = ..., legal_basis: _Optional[_Iterable[str]] = ..., conclusion: _Optional[str] = ..., penalty_kinds: _Optional[_Iterable[_Union[PenaltyKind, str]]] = ..., fine_amount_fen: _Optional[int] = ..., confiscation_amount_fen: _Optional[int] = ..., licence_name_no: _Optional[str] = ..., licence_item: _Optional[str] = ..., approval_category: _Optional[str] = ..., licence_validity: _Optional[str] = ..., decision_date: _Optional[str] = ..., severity: _Optional[_Union[SeverityTier, str]] = ..., summary_only: _Optional[bool] = ..., published_at: _Optional[str] = ..., publish_deadline: _Optional[str] = ..., published_on_time: _Optional[bool] = ..., publicity_end: _Optional[str] = ..., updated_at: _Optional[str] = ..., under_appeal: _Optional[bool] = ..., reply_text: _Optional[str] = ..., withdrawn_at: _Optional[str] = ..., withdrawal_reason: _Optional[str] = ..., withdrawal_statement: _Optional[str] = ..., record_hash: _Optional[str] = ..., repair_eligible_from: _Optional[str] = ..., deadline_note: _Optional[str] = ..., publicity_start: _Optional[str] = ..., withdrawal_deadline: _Optional[str] = ..., withdrawn_on_time: _Optional[bool] = ..., reply_at: _Optional[str] = ..., appeal_note: _Optional[str] = ..., change_reason: _Optional[str] = ..., publication_ended_at: _Optional[str] = ..., registered_at: _Optional[str] = ..., chain_seq: _Optional[int] = ..., deadline_provisional: _Optional[bool] = ..., withdrawal_grounds_date: _Optional[str] = ..., withdrawal_deadline_provisional: _Optional[bool] = ..., non_publication_reason: _Optional[str] = ...) -> None: ...

class PublishDecisionRequest(_message.Message):
    __slots__ = ("decision", "agency_code")
    DECISION_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    decision: Decision
    agency_code: str
    def __init__(self, decision: _Optional[_Union[Decision, _Mapping]] = ..., agency_code: _Optional[str] = ...) -> None: ...

class PublishDecisionResponse(_message.Message):
    __slots__ = ("result", "created")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    result: Result
    created: bool
    def __init__(self, result: _Optional[_Union[Result, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class BulkPublishResponse(_message.Message):
    __slots__ = ("outcomes", "accepted", "refused")
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    REFUSED_FIELD_NUMBER: _ClassVar[int]
    outcomes: _containers.RepeatedCompositeFieldContainer[_common_pb2.ItemOutcome]
    accepted: int
    refused: int
    def __init__(self, outcomes: _Optional[_Iterable[_Union[_common_pb2.ItemOutcome, _Mapping]]] = ..., accepted: _Optional[int] = ..., refused: _Optional[int] = ...) -> None: ...

class GetResultRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListResultsRequest(_message.Message):
    __slots__ = ("page", "agency_code", "category", "decided_from", "decided_to", "region_code")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_FROM_FIELD_NUMBER: _ClassVar[int]
    DECIDED_TO_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    category: DecisionCategory
    decided_from: str
    decided_to: str
    region_code: str
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., category: _Optional[_Union[DecisionCategory, str]] = ..., decided_from: _Optional[str] = ..., decided_to: _Optional[str] = ..., region_code: _Optional[str] = ...) -> None: ...

class ListResultsResponse(_message.Message):
    __slots__ = ("results", "next_page_token", "total", "total_is_lower_bound")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_IS_LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[Result]
    next_page_token: str
    total: int
    total_is_lower_bound: bool
    def __init__(self, results: _Optional[_Iterable[_Union[Result, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ..., total_is_lower_bound: _Optional[bool] = ...) -> None: ...

class RegisterDecisionRequest(_message.Message):
    __slots__ = ("decision", "agency_code")
    DECISION_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    decision: Decision
    agency_code: str
    def __init__(self, decision: _Optional[_Union[Decision, _Mapping]] = ..., agency_code: _Optional[str] = ...) -> None: ...

class RegisterDecisionResponse(_message.Message):
    __slots__ = ("result", "created")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    result: Result
    created: bool
    def __init__(self, result: _Optional[_Union[Result, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class CorrectResultRequest(_message.Message):
    __slots__ = ("id", "decision", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    decision: Decision
    reason: str
    def __init__(self, id: _Optional[str] = ..., decision: _Optional[_Union[Decision, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class WithdrawResultRequest(_message.Message):
    __slots__ = ("id", "reason", "statement", "grounds_date")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    GROUNDS_DATE_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: WithdrawalReason
    statement: str
    grounds_date: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[_Union[WithdrawalReason, str]] = ..., statement: _Optional[str] = ..., grounds_date: _Optional[str] = ...) -> None: ...

class SetUnderAppealRequest(_message.Message):
    __slots__ = ("id", "under_appeal", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    UNDER_APPEAL_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    under_appeal: bool
    note: str
    def __init__(self, id: _Optional[str] = ..., under_appeal: _Optional[bool] = ..., note: _Optional[str] = ...) -> None: ...

class GetResultHistoryRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ResultChange(_message.Message):
    __slots__ = ("chain_seq", "version", "kind", "reason", "at", "record_hash")
    CHAIN_SEQ_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    RECORD_HASH_FIELD_NUMBER: _ClassVar[int]
    chain_seq: int
    version: int
    kind: str
    reason: str
    at: str
    record_hash: str
    def __init__(self, chain_seq: _Optional[int] = ..., version: _Optional[int] = ..., kind: _Optional[str] = ..., reason: _Optional[str] = ..., at: _Optional[str] = ..., record_hash: _Optional[str] = ...) -> None: ...

class ResultHistory(_message.Message):
    __slots__ = ("id", "status", "versions", "changes", "masked_on_read")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    MASKED_ON_READ_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: ResultStatus
    versions: _containers.RepeatedCompositeFieldContainer[Result]
    changes: _containers.RepeatedCompositeFieldContainer[ResultChange]
    masked_on_read: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[ResultStatus, str]] = ..., versions: _Optional[_Iterable[_Union[Result, _Mapping]]] = ..., changes: _Optional[_Iterable[_Union[ResultChange, _Mapping]]] = ..., masked_on_read: _Optional[_Iterable[int]] = ...) -> None: ...

class ListTakedownsRequest(_message.Message):
    __slots__ = ("page", "agency_code")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ...) -> None: ...

class Takedown(_message.Message):
    __slots__ = ("result_id", "agency_code", "document_number", "category", "decision_date", "withdrawn_at", "reason", "statement", "withdrawal_deadline", "withdrawn_on_time")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWAL_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    agency_code: str
    document_number: str
    category: DecisionCategory
    decision_date: str
    withdrawn_at: str
    reason: str
    statement: str
    withdrawal_deadline: str
    withdrawn_on_time: bool
    def __init__(self, result_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_number: _Optional[str] = ..., category: _Optional[_Union[DecisionCategory, str]] = ..., decision_date: _Optional[str] = ..., withdrawn_at: _Optional[str] = ..., reason: _Optional[str] = ..., statement: _Optional[str] = ..., withdrawal_deadline: _Optional[str] = ..., withdrawn_on_time: _Optional[bool] = ...) -> None: ...

class ListTakedownsResponse(_message.Message):
    __slots__ = ("takedowns", "next_page_token", "total")
    TAKEDOWNS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    takedowns: _containers.RepeatedCompositeFieldContainer[Takedown]
    next_page_token: str
    total: int
    def __init__(self, takedowns: _Optional[_Iterable[_Union[Takedown, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class Reply(_message.Message):
    __slots__ = ("id", "result_id", "agency_code", "text", "status", "submitted_at", "decided_at", "decision_reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    result_id: str
    agency_code: str
    text: str
    status: ReplyStatus
    submitted_at: str
    decided_at: str
    decision_reason: str
    def __init__(self, id: _Optional[str] = ..., result_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., text: _Optional[str] = ..., status: _Optional[_Union[ReplyStatus, str]] = ..., submitted_at: _Optional[str] = ..., decided_at: _Optional[str] = ..., decision_reason: _Optional[str] = ...) -> None: ...

class SubmitReplyRequest(_message.Message):
    __slots__ = ("result_id", "text", "contact")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    text: str
    contact: str
    def __init__(self, result_id: _Optional[str] = ..., text: _Optional[str] = ..., contact: _Optional[str] = ...) -> None: ...

class ModerateReplyRequest(_message.Message):
    __slots__ = ("reply_id", "approve", "reason")
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    reply_id: str
    approve: bool
    reason: str
    def __init__(self, reply_id: _Optional[str] = ..., approve: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class ListRepliesRequest(_message.Message):
    __slots__ = ("page", "agency_code", "status")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    status: ReplyStatus
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., status: _Optional[_Union[ReplyStatus, str]] = ...) -> None: ...

class ListRepliesResponse(_message.Message):
    __slots__ = ("replies", "next_page_token")
    REPLIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    replies: _containers.RepeatedCompositeFieldContainer[Reply]
    next_page_token: str
    def __init__(self, replies: _Optional[_Iterable[_Union[Reply, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RepairApplication(_message.Message):
    __slots__ = ("id", "result_id", "agency_code", "status", "submitted_at", "decision_due", "decided_at", "decision_reason", "eligible_from")
    ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    DECISION_DUE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    ELIGIBLE_FROM_FIELD_NUMBER: _ClassVar[int]
    id: str
    result_id: str
    agency_code: str
    status: RepairStatus
    submitted_at: str
    decision_due: str
    decided_at: str
    decision_reason: str
    eligible_from: str
    def __init__(self, id: _Optional[str] = ..., result_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., status: _Optional[_Union[RepairStatus, str]] = ..., submitted_at: _Optional[str] = ..., decision_due: _Optional[str] = ..., decided_at: _Optional[str] = ..., decision_reason: _Optional[str] = ..., eligible_from: _Optional[str] = ...) -> None: ...

class ApplyForRepairRequest(_message.Message):
    __slots__ = ("result_id", "applicant_name", "uscc", "contact", "correction_proof", "credit_commitment")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    APPLICANT_NAME_FIELD_NUMBER: _ClassVar[int]
    USCC_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_PROOF_FIELD_NUMBER: _ClassVar[int]
    CREDIT_COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    applicant_name: str
    uscc: str
    contact: str
    correction_proof: str
    credit_commitment: str
    def __init__(self, result_id: _Optional[str] = ..., applicant_name: _Optional[str] = ..., uscc: _Optional[str] = ..., contact: _Optional[str] = ..., correction_proof: _Optional[str] = ..., credit_commitment: _Optional[str] = ...) -> None: ...

class DecideRepairRequest(_message.Message):
    __slots__ = ("application_id", "grant", "reason")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    GRANT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    grant: bool
    reason: str
    def __init__(self, application_id: _Optional[str] = ..., grant: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class GetRepairApplicationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListRepairApplicationsRequest(_message.Message):
    __slots__ = ("page", "agency_code", "status")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    status: RepairStatus
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., status: _Optional[_Union[RepairStatus, str]] = ...) -> None: ...

class ListRepairApplicationsResponse(_message.Message):
    __slots__ = ("applications", "next_page_token")
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[RepairApplication]
    next_page_token: str
    def __init__(self, applications: _Optional[_Iterable[_Union[RepairApplication, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ChainEntry(_message.Message):
    __slots__ = ("agency_code", "seq", "result_id", "version", "kind", "recorded_at", "doc_sha256", "prev_hash", "hash", "reason")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    DOC_SHA256_FIELD_NUMBER: _ClassVar[int]
    PREV_HASH_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    seq: int
    result_id: str
    version: int
    kind: str
    recorded_at: str
    doc_sha256: str
    prev_hash: str
    hash: str
    reason: str
    def __init__(self, agency_code: _Optional[str] = ..., seq: _Optional[int] = ..., result_id: _Optional[str] = ..., version: _Optional[int] = ..., kind: _Optional[str] = ..., recorded_at: _Optional[str] = ..., doc_sha256: _Optional[str] = ..., prev_hash: _Optional[str] = ..., hash: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetChainRequest(_message.Message):
    __slots__ = ("agency_code", "page")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    page: _common_pb2.PageRequest
    def __init__(self, agency_code: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class GetChainResponse(_message.Message):
    __slots__ = ("entries", "next_page_token", "length", "head_hash")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    HEAD_HASH_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[ChainEntry]
    next_page_token: str
    length: int
    head_hash: str
    def __init__(self, entries: _Optional[_Iterable[_Union[ChainEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., length: _Optional[int] = ..., head_hash: _Optional[str] = ...) -> None: ...

class VerifyChainRequest(_message.Message):
    __slots__ = ("agency_code",)
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    def __init__(self, agency_code: _Optional[str] = ...) -> None: ...

class ChainProblem(_message.Message):
    __slots__ = ("seq", "result_id", "problem")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    seq: int
    result_id: str
    problem: str
    def __init__(self, seq: _Optional[int] = ..., result_id: _Optional[str] = ..., problem: _Optional[str] = ...) -> None: ...

class VerifyChainResponse(_message.Message):
    __slots__ = ("intact", "entries_checked", "records_checked", "head_hash", "problems")
    INTACT_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_CHECKED_FIELD_NUMBER: _ClassVar[int]
    RECORDS_CHECKED_FIELD_NUMBER: _ClassVar[int]
    HEAD_HASH_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    intact: bool
    entries_checked: int
    records_checked: int
    head_hash: str
    problems: _containers.RepeatedCompositeFieldContainer[ChainProblem]
    def __init__(self, intact: _Optional[bool] = ..., entries_checked: _Optional[int] = ..., records_checked: _Optional[int] = ..., head_hash: _Optional[str] = ..., problems: _Optional[_Iterable[_Union[ChainProblem, _Mapping]]] = ...) -> None: ...

class ResultPublished(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: Result
    def __init__(self, result: _Optional[_Union[Result, _Mapping]] = ...) -> None: ...

class ResultCorrected(_message.Message):
    __slots__ = ("result", "previous_version", "reason")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    result: Result
    previous_version: int
    reason: str
    def __init__(self, result: _Optional[_Union[Result, _Mapping]] = ..., previous_version: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class ResultWithdrawn(_message.Message):
    __slots__ = ("result_id", "agency_code", "document_number", "reason", "statement", "withdrawn_at", "tombstone")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    TOMBSTONE_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    agency_code: str
    document_number: str
    reason: str
    statement: str
    withdrawn_at: str
    tombstone: Result
    def __init__(self, result_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_number: _Optional[str] = ..., reason: _Optional[str] = ..., statement: _Optional[str] = ..., withdrawn_at: _Optional[str] = ..., tombstone: _Optional[_Union[Result, _Mapping]] = ...) -> None: ...

class ResultExpired(_message.Message):
    __slots__ = ("result_id", "agency_code", "document_number", "publicity_end", "expired_at")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PUBLICITY_END_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_AT_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    agency_code: str
    document_number: str
    publicity_end: str
    expired_at: str
    def __init__(self, result_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_number: _Optional[str] = ..., publicity_end: _Optional[str] = ..., expired_at: _Optional[str] = ...) -> None: ...

class ResultRepaired(_message.Message):
    __slots__ = ("result_id", "agency_code", "document_number", "application_id", "reason", "repaired_at")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REPAIRED_AT_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    agency_code: str
    document_number: str
    application_id: str
    reason: str
    repaired_at: str
    def __init__(self, result_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_number: _Optional[str] = ..., application_id: _Optional[str] = ..., reason: _Optional[str] = ..., repaired_at: _Optional[str] = ...) -> None: ...

class ResultOverdue(_message.Message):
    __slots__ = ("result_id", "agency_code", "document_number", "category", "decision_date", "publish_deadline", "detected_at", "working_days_overdue", "deadline_provisional")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AT_FIELD_NUMBER: _ClassVar[int]
    WORKING_DAYS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    agency_code: str
    document_number: str
    category: DecisionCategory
    decision_date: str
    publish_deadline: str
    detected_at: str
    working_days_overdue: int
    deadline_provisional: bool
    def __init__(self, result_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_number: _Optional[str] = ..., category: _Optional[_Union[DecisionCategory, str]] = ..., decision_date: _Optional[str] = ..., publish_deadline: _Optional[str] = ..., detected_at: _Optional[str] = ..., working_days_overdue: _Optional[int] = ..., deadline_provisional: _Optional[bool] = ...) -> None: ...

class ResultAnnotated(_message.Message):
    __slots__ = ("result", "change")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    result: Result
    change: str
    def __init__(self, result: _Optional[_Union[Result, _Mapping]] = ..., change: _Optional[str] = ...) -> None: ...

class ConfirmAnnualReportRequest(_message.Message):
    __slots__ = ("agency_code", "year", "narrative")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    NARRATIVE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    year: int
    narrative: str
    def __init__(self, agency_code: _Optional[str] = ..., year: _Optional[int] = ..., narrative: _Optional[str] = ...) -> None: ...

class AnnualReportConfirmation(_message.Message):
    __slots__ = ("agency_code", "year", "revision", "narrative", "confirmed_at", "deadline", "late", "created", "decisions")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    NARRATIVE_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    year: int
    revision: int
    narrative: str
    confirmed_at: str
    deadline: str
    late: bool
    created: bool
    decisions: int
    def __init__(self, agency_code: _Optional[str] = ..., year: _Optional[int] = ..., revision: _Optional[int] = ..., narrative: _Optional[str] = ..., confirmed_at: _Optional[str] = ..., deadline: _Optional[str] = ..., late: _Optional[bool] = ..., created: _Optional[bool] = ..., decisions: _Optional[int] = ...) -> None: ...

class ListMissingAnnualReportsRequest(_message.Message):
    __slots__ = ("year", "region_code")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    year: int
    region_code: str
    def __init__(self, year: _Optional[int] = ..., region_code: _Optional[str] = ...) -> None: ...

class MissingAnnualReport(_message.Message):
    __slots__ = ("agency_code", "agency_name", "region_code", "year", "deadline", "detected_at")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    agency_name: str
    region_code: str
    year: int
    deadline: str
    detected_at: str
    def __init__(self, agency_code: _Optional[str] = ..., agency_name: _Optional[str] = ..., region_code: _Optional[str] = ..., year: _Optional[int] = ..., deadline: _Optional[str] = ..., detected_at: _Optional[str] = ...) -> None: ...

class ListMissingAnnualReportsResponse(_message.Message):
    __slots__ = ("year", "reports")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    year: int
    reports: _containers.RepeatedCompositeFieldContainer[MissingAnnualReport]
    def __init__(self, year: _Optional[int] = ..., reports: _Optional[_Iterable[_Union[MissingAnnualReport, _Mapping]]] = ...) -> None: ...

class AnnualReportPublished(_message.Message):
    __slots__ = ("confirmation", "agency_name", "region_code")
    CONFIRMATION_FIELD_NUMBER: _ClassVar[int]
    AGENCY_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    confirmation: AnnualReportConfirmation
    agency_name: str
    region_code: str
    def __init__(self, confirmation: _Optional[_Union[AnnualReportConfirmation, _Mapping]] = ..., agency_name: _Optional[str] = ..., region_code: _Optional[str] = ...) -> None: ...

class AnnualReportMissing(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: MissingAnnualReport
    def __init__(self, report: _Optional[_Union[MissingAnnualReport, _Mapping]] = ...) -> None: ...

class ResultDeadlineRevised(_message.Message):
    __slots__ = ("result_id", "agency_code", "document_number", "deadline_kind", "previous_deadline", "deadline", "provisional", "on_time", "overdue_cleared", "revised_at")
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_KIND_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_CLEARED_FIELD_NUMBER: _ClassVar[int]
    REVISED_AT_FIELD_NUMBER: _ClassVar[int]
    result_id: str
    agency_code: str
    document_number: str
    deadline_kind: str
    previous_deadline: str
    deadline: str
    provisional: bool
    on_time: bool
    overdue_cleared: bool
    revised_at: str
    def __init__(self, result_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_number: _Optional[str] = ..., deadline_kind: _Optional[str] = ..., previous_deadline: _Optional[str] = ..., deadline: _Optional[str] = ..., provisional: _Optional[bool] = ..., on_time: _Optional[bool] = ..., overdue_cleared: _Optional[bool] = ..., revised_at: _Optional[str] = ...) -> None: ...

class MaskedName(_message.Message):
    __slots__ = ("field", "name", "masked_as", "source")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MASKED_AS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    field: str
    name: str
    masked_as: str
    source: str
    def __init__(self, field: _Optional[str] = ..., name: _Optional[str] = ..., masked_as: _Optional[str] = ..., source: _Optional[str] = ...) -> None: ...

class MaskingRuleApplied(_message.Message):
    __slots__ = ("rule", "field", "count")
    RULE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    rule: str
    field: str
    count: int
    def __init__(self, rule: _Optional[str] = ..., field: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class MaskingPreview(_message.Message):
    __slots__ = ("masked", "names", "rules")
    MASKED_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    masked: Decision
    names: _containers.RepeatedCompositeFieldContainer[MaskedName]
    rules: _containers.RepeatedCompositeFieldContainer[MaskingRuleApplied]
    def __init__(self, masked: _Optional[_Union[Decision, _Mapping]] = ..., names: _Optional[_Iterable[_Union[MaskedName, _Mapping]]] = ..., rules: _Optional[_Iterable[_Union[MaskingRuleApplied, _Mapping]]] = ...) -> None: ...

class RemaskResultsRequest(_message.Message):
    __slots__ = ("agency_code", "dry_run")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    dry_run: bool
    def __init__(self, agency_code: _Optional[str] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class RemaskResultsResponse(_message.Message):
    __slots__ = ("checked", "corrected", "result_ids")
    CHECKED_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_FIELD_NUMBER: _ClassVar[int]
    RESULT_IDS_FIELD_NUMBER: _ClassVar[int]
    checked: int
    corrected: int
    result_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, checked: _Optional[int] = ..., corrected: _Optional[int] = ..., result_ids: _Optional[_Iterable[str]] = ...) -> None: ...
