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
    __slots__ = ("id", "agency_code", "region_code", "version", "status", "document_number", "category", "procedure_type", "duty_item_code", "party", "facts", "violation_type", "violated_provisions", "legal_basis", "conclusion", "penalty_kinds", "fine_amount_fen", "confiscation_amount_fen", "licence_name_no", "licence_item", "approval_category", "licence_validity", "decision_date", "severity", "summary_only", "published_at", "publish_deadline", "published_on_time", "publicity_end", "updated_at", "under_appeal", "reply_text", "withdrawn_at", "withdrawal_reason", "withdrawal_statement", "record_hash", "repair_eligible_from", "deadline_note")
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
    def __init__(self, id: _Optional[str] = ..., agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., version: _Optional[int] = ..., status: _Optional[_Union[ResultStatus, str]] = ..., document_number: _Optional[str] = ..., category: _Optional[_Union[DecisionCategory, str]] = ..., procedure_type: _Optional[_Union[ProcedureType, str]] = ..., duty_item_code: _Optional[str] = ..., party: _Optional[_Union[PublicParty, _Mapping]] = ..., facts: _Optional[str] = ..., violation_type: _Optional[str] = ..., violated_provisions: _Optional[_Iterable[str]] = ..., legal_basis: _Optional[_Iterable[str]] = ..., conclusion: _Optional[str] = ..., penalty_kinds: _Optional[_Iterable[_Union[PenaltyKind, str]]] = ..., fine_amount_fen: _Optional[int] = ..., confiscation_amount_fen: _Optional[int] = ..., licence_name_no: _Optional[str] = ..., licence_item: _Optional[str] = ..., approval_category: _Optional[str] = ..., licence_validity: _Optional[str] = ..., decision_date: _Optional[str] = ..., severity: _Optional[_Union[SeverityTier, str]] = ..., summary_only: _Optional[bool] = ..., published_at: _Optional[str] = ..., publish_deadline: _Optional[str] = ..., published_on_time: _Optional[bool] = ..., publicity_end: _Optional[str] = ..., updated_at: _Optional[str] = ..., under_appeal: _Optional[bool] = ..., reply_text: _Optional[str] = ..., withdrawn_at: _Optional[str] = ..., withdrawal_reason: _Optional[str] = ..., withdrawal_statement: _Optional[str] = ..., record_hash: _Optional[str] = ..., repair_eligible_from: _Optional[str] = ..., deadline_note: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("results", "next_page_token", "total")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[Result]
    next_page_token: str
    total: int
    def __init__(self, results: _Optional[_Iterable[_Union[Result, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class ResultPublished(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: Result
    def __init__(self, result: _Optional[_Union[Result, _Mapping]] = ...) -> None: ...
