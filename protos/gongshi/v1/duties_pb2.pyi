from gongshi.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AgencyKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGENCY_KIND_UNSPECIFIED: _ClassVar[AgencyKind]
    AGENCY_KIND_ADMINISTRATIVE_ORGAN: _ClassVar[AgencyKind]
    AGENCY_KIND_AUTHORISED_ORGANISATION: _ClassVar[AgencyKind]
    AGENCY_KIND_ENTRUSTED_ORGANISATION: _ClassVar[AgencyKind]

class CertificateStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CERTIFICATE_STATUS_UNSPECIFIED: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_ACTIVE: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_SUSPENDED: _ClassVar[CertificateStatus]
    CERTIFICATE_STATUS_REVOKED: _ClassVar[CertificateStatus]

class CertificateValidity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CERTIFICATE_VALIDITY_UNSPECIFIED: _ClassVar[CertificateValidity]
    CERTIFICATE_VALIDITY_VALID: _ClassVar[CertificateValidity]
    CERTIFICATE_VALIDITY_EXPIRED: _ClassVar[CertificateValidity]
    CERTIFICATE_VALIDITY_NOT_YET_VALID: _ClassVar[CertificateValidity]
    CERTIFICATE_VALIDITY_SUSPENDED: _ClassVar[CertificateValidity]
    CERTIFICATE_VALIDITY_REVOKED: _ClassVar[CertificateValidity]
    CERTIFICATE_VALIDITY_RETIRED: _ClassVar[CertificateValidity]
    CERTIFICATE_VALIDITY_UNKNOWN: _ClassVar[CertificateValidity]

class InstrumentLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INSTRUMENT_LEVEL_UNSPECIFIED: _ClassVar[InstrumentLevel]
    INSTRUMENT_LEVEL_LAW: _ClassVar[InstrumentLevel]
    INSTRUMENT_LEVEL_ADMINISTRATIVE_REGULATION: _ClassVar[InstrumentLevel]
    INSTRUMENT_LEVEL_LOCAL_REGULATION: _ClassVar[InstrumentLevel]
    INSTRUMENT_LEVEL_DEPARTMENTAL_RULE: _ClassVar[InstrumentLevel]
    INSTRUMENT_LEVEL_LOCAL_GOVERNMENT_RULE: _ClassVar[InstrumentLevel]
    INSTRUMENT_LEVEL_NORMATIVE_DOCUMENT: _ClassVar[InstrumentLevel]

class BasisRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BASIS_ROLE_UNSPECIFIED: _ClassVar[BasisRole]
    BASIS_ROLE_SETTING: _ClassVar[BasisRole]
    BASIS_ROLE_VIOLATED: _ClassVar[BasisRole]
    BASIS_ROLE_PENALTY: _ClassVar[BasisRole]

class PowerType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POWER_TYPE_UNSPECIFIED: _ClassVar[PowerType]
    POWER_TYPE_LICENSING: _ClassVar[PowerType]
    POWER_TYPE_PENALTY: _ClassVar[PowerType]
    POWER_TYPE_COERCION: _ClassVar[PowerType]
    POWER_TYPE_LEVY: _ClassVar[PowerType]
    POWER_TYPE_PAYMENT: _ClassVar[PowerType]
    POWER_TYPE_ADJUDICATION: _ClassVar[PowerType]
    POWER_TYPE_CONFIRMATION: _ClassVar[PowerType]
    POWER_TYPE_REWARD: _ClassVar[PowerType]
    POWER_TYPE_INSPECTION: _ClassVar[PowerType]
    POWER_TYPE_OTHER: _ClassVar[PowerType]

class DutyStage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DUTY_STAGE_UNSPECIFIED: _ClassVar[DutyStage]
    DUTY_STAGE_FILING: _ClassVar[DutyStage]
    DUTY_STAGE_INVESTIGATION: _ClassVar[DutyStage]
    DUTY_STAGE_REVIEW: _ClassVar[DutyStage]
    DUTY_STAGE_NOTIFICATION: _ClassVar[DutyStage]
    DUTY_STAGE_DECISION: _ClassVar[DutyStage]
    DUTY_STAGE_SERVICE: _ClassVar[DutyStage]
    DUTY_STAGE_EXECUTION: _ClassVar[DutyStage]
    DUTY_STAGE_OTHER: _ClassVar[DutyStage]
AGENCY_KIND_UNSPECIFIED: AgencyKind
AGENCY_KIND_ADMINISTRATIVE_ORGAN: AgencyKind
AGENCY_KIND_AUTHORISED_ORGANISATION: AgencyKind
AGENCY_KIND_ENTRUSTED_ORGANISATION: AgencyKind
CERTIFICATE_STATUS_UNSPECIFIED: CertificateStatus
CERTIFICATE_STATUS_ACTIVE: CertificateStatus
CERTIFICATE_STATUS_SUSPENDED: CertificateStatus
CERTIFICATE_STATUS_REVOKED: CertificateStatus
CERTIFICATE_VALIDITY_UNSPECIFIED: CertificateValidity
CERTIFICATE_VALIDITY_VALID: CertificateValidity
CERTIFICATE_VALIDITY_EXPIRED: CertificateValidity
CERTIFICATE_VALIDITY_NOT_YET_VALID: CertificateValidity
CERTIFICATE_VALIDITY_SUSPENDED: CertificateValidity
CERTIFICATE_VALIDITY_REVOKED: CertificateValidity
CERTIFICATE_VALIDITY_RETIRED: CertificateValidity
CERTIFICATE_VALIDITY_UNKNOWN: CertificateValidity
INSTRUMENT_LEVEL_UNSPECIFIED: InstrumentLevel
INSTRUMENT_LEVEL_LAW: InstrumentLevel
INSTRUMENT_LEVEL_ADMINISTRATIVE_REGULATION: InstrumentLevel
INSTRUMENT_LEVEL_LOCAL_REGULATION: InstrumentLevel
INSTRUMENT_LEVEL_DEPARTMENTAL_RULE: InstrumentLevel
INSTRUMENT_LEVEL_LOCAL_GOVERNMENT_RULE: InstrumentLevel
INSTRUMENT_LEVEL_NORMATIVE_DOCUMENT: InstrumentLevel
BASIS_ROLE_UNSPECIFIED: BasisRole
BASIS_ROLE_SETTING: BasisRole
BASIS_ROLE_VIOLATED: BasisRole
BASIS_ROLE_PENALTY: BasisRole
POWER_TYPE_UNSPECIFIED: PowerType
POWER_TYPE_LICENSING: PowerType
POWER_TYPE_PENALTY: PowerType
POWER_TYPE_COERCION: PowerType
POWER_TYPE_LEVY: PowerType
POWER_TYPE_PAYMENT: PowerType
POWER_TYPE_ADJUDICATION: PowerType
POWER_TYPE_CONFIRMATION: PowerType
POWER_TYPE_REWARD: PowerType
POWER_TYPE_INSPECTION: PowerType
POWER_TYPE_OTHER: PowerType
DUTY_STAGE_UNSPECIFIED: DutyStage
DUTY_STAGE_FILING: DutyStage
DUTY_STAGE_INVESTIGATION: DutyStage
DUTY_STAGE_REVIEW: DutyStage
DUTY_STAGE_NOTIFICATION: DutyStage
DUTY_STAGE_DECISION: DutyStage
DUTY_STAGE_SERVICE: DutyStage
DUTY_STAGE_EXECUTION: DutyStage
DUTY_STAGE_OTHER: DutyStage

class Agency(_message.Message):
    __slots__ = ("code", "name", "unified_social_credit_code", "kind", "entrusting_agency_code", "region_code", "parent_agency_code", "legal_basis_of_authority", "address", "office_hours", "phone", "supervision_phone", "email", "website", "version", "updated_at", "change_reason")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNIFIED_SOCIAL_CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ENTRUSTING_AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PARENT_AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_OF_AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    OFFICE_HOURS_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SUPERVISION_PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    WEBSITE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_REASON_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    unified_social_credit_code: str
    kind: AgencyKind
    entrusting_agency_code: str
    region_code: str
    parent_agency_code: str
    legal_basis_of_authority: str
    address: str
    office_hours: str
    phone: str
    supervision_phone: str
    email: str
    website: str
    version: int
    updated_at: str
    change_reason: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., unified_social_credit_code: _Optional[str] = ..., kind: _Optional[_Union[AgencyKind, str]] = ..., entrusting_agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., parent_agency_code: _Optional[str] = ..., legal_basis_of_authority: _Optional[str] = ..., address: _Optional[str] = ..., office_hours: _Optional[str] = ..., phone: _Optional[str] = ..., supervision_phone: _Optional[str] = ..., email: _Optional[str] = ..., website: _Optional[str] = ..., version: _Optional[int] = ..., updated_at: _Optional[str] = ..., change_reason: _Optional[str] = ...) -> None: ...

class RegisterAgencyRequest(_message.Message):
    __slots__ = ("agency", "reason")
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    reason: str
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class RegisterAgencyResponse(_message.Message):
    __slots__ = ("agency", "created")
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    created: bool
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class IssueCredentialRequest(_message.Message):
    __slots__ = ("role", "agency_code", "label")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    role: _common_pb2.Role
    agency_code: str
    label: str
    def __init__(self, role: _Optional[_Union[_common_pb2.Role, str]] = ..., agency_code: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class IssueCredentialResponse(_message.Message):
    __slots__ = ("credential_id", "token")
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    credential_id: str
    token: str
    def __init__(self, credential_id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class RevokeCredentialRequest(_message.Message):
    __slots__ = ("credential_id",)
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    credential_id: str
    def __init__(self, credential_id: _Optional[str] = ...) -> None: ...

class RevokeCredentialResponse(_message.Message):
    __slots__ = ("revoked",)
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    revoked: bool
    def __init__(self, revoked: _Optional[bool] = ...) -> None: ...

class RotateCredentialRequest(_message.Message):
    __slots__ = ("credential_id", "grace_seconds")
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    GRACE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    credential_id: str
    grace_seconds: int
    def __init__(self, credential_id: _Optional[str] = ..., grace_seconds: _Optional[int] = ...) -> None: ...

class RotateCredentialResponse(_message.Message):
    __slots__ = ("credential_id", "token", "old_revoked_at")
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    OLD_REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    credential_id: str
    token: str
    old_revoked_at: str
    def __init__(self, credential_id: _Optional[str] = ..., token: _Optional[str] = ..., old_revoked_at: _Optional[str] = ...) -> None: ...

class GetAgencyRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class ListAgenciesRequest(_message.Message):
    __slots__ = ("page", "region_code")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    region_code: str
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., region_code: _Optional[str] = ...) -> None: ...

class ListAgenciesResponse(_message.Message):
    __slots__ = ("agencies", "next_page_token", "total")
    AGENCIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    agencies: _containers.RepeatedCompositeFieldContainer[Agency]
    next_page_token: str
    total: int
    def __init__(self, agencies: _Optional[_Iterable[_Union[Agency, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class ListAgencyVersionsRequest(_message.Message):
    __slots__ = ("code", "page")
    CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    code: str
    page: _common_pb2.PageRequest
    def __init__(self, code: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAgencyVersionsResponse(_message.Message):
    __slots__ = ("versions", "next_page_token", "total")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[Agency]
    next_page_token: str
    total: int
    def __init__(self, versions: _Optional[_Iterable[_Union[Agency, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class ImportResponse(_message.Message):
    __slots__ = ("outcomes", "accepted", "refused")
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    REFUSED_FIELD_NUMBER: _ClassVar[int]
    outcomes: _containers.RepeatedCompositeFieldContainer[_common_pb2.ItemOutcome]
    accepted: int
    refused: int
    def __init__(self, outcomes: _Optional[_Iterable[_Union[_common_pb2.ItemOutcome, _Mapping]]] = ..., accepted: _Optional[int] = ..., refused: _Optional[int] = ...) -> None: ...

class Officer(_message.Message):
    __slots__ = ("agency_code", "certificate_number", "name", "enforcement_category", "enforcement_area", "valid_from", "valid_to", "status", "publication", "region_code")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENFORCEMENT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    ENFORCEMENT_AREA_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    certificate_number: str
    name: str
    enforcement_category: str
    enforcement_area: str
    valid_from: str
    valid_to: str
    status: CertificateStatus
    publication: _common_pb2.Publication
    region_code: str
    def __init__(self, agency_code: _Optional[str] = ..., certificate_number: _Optional[str] = ..., name: _Optional[str] = ..., enforcement_category: _Optional[str] = ..., enforcement_area: _Optional[str] = ..., valid_from: _Optional[str] = ..., valid_to: _Optional[str] = ..., status: _Optional[_Union[CertificateStatus, str]] = ..., publication: _Optional[_Union[_common_pb2.Publication, _Mapping]] = ..., region_code: _Optional[str] = ...) -> None: ...

class OfficerPrivate(_message.Message):
    __slots__ = ("id_number", "photo")
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PHOTO_FIELD_NUMBER: _ClassVar[int]
    id_number: str
    photo: bytes
    def __init__(self, id_number: _Optional[str] = ..., photo: _Optional[bytes] = ...) -> None: ...

class PutOfficerRequest(_message.Message):
    __slots__ = ("officer", "private", "reason", "publish")
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    officer: Officer
    private: OfficerPrivate
    reason: str
    publish: bool
    def __init__(self, officer: _Optional[_Union[Officer, _Mapping]] = ..., private: _Optional[_Union[OfficerPrivate, _Mapping]] = ..., reason: _Optional[str] = ..., publish: _Optional[bool] = ...) -> None: ...

class PutOfficerResponse(_message.Message):
    __slots__ = ("officer", "changed")
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    officer: Officer
    changed: bool
    def __init__(self, officer: _Optional[_Union[Officer, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class ListOfficersRequest(_message.Message):
    __slots__ = ("page", "agency_code", "region_code", "query")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    region_code: str
    query: str
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., query: _Optional[str] = ...) -> None: ...

class ListOfficersResponse(_message.Message):
    __slots__ = ("officers", "next_page_token", "total")
    OFFICERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    officers: _containers.RepeatedCompositeFieldContainer[Officer]
    next_page_token: str
    total: int
    def __init__(self, officers: _Optional[_Iterable[_Union[Officer, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class OfficerVersions(_message.Message):
    __slots__ = ("versions", "next_page_token", "total")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[Officer]
    next_page_token: str
    total: int
    def __init__(self, versions: _Optional[_Iterable[_Union[Officer, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class CheckCertificateRequest(_message.Message):
    __slots__ = ("certificate_number",)
    CERTIFICATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    certificate_number: str
    def __init__(self, certificate_number: _Optional[str] = ...) -> None: ...

class CheckCertificateResponse(_message.Message):
    __slots__ = ("validity", "officer", "agency_name", "checked_on")
    VALIDITY_FIELD_NUMBER: _ClassVar[int]
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    AGENCY_NAME_FIELD_NUMBER: _ClassVar[int]
    CHECKED_ON_FIELD_NUMBER: _ClassVar[int]
    validity: CertificateValidity
    officer: Officer
    agency_name: str
    checked_on: str
    def __init__(self, validity: _Optional[_Union[CertificateValidity, str]] = ..., officer: _Optional[_Union[Officer, _Mapping]] = ..., agency_name: _Optional[str] = ..., checked_on: _Optional[str] = ...) -> None: ...

class LegalBasis(_message.Message):
    __slots__ = ("agency_code", "code", "instrument_title", "level", "issuing_body", "document_number", "article", "paragraph", "item", "text_excerpt", "role", "effective_date", "amended_date", "repealed_date", "source_url", "publication", "region_code")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_TITLE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    ISSUING_BODY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    PARAGRAPH_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    TEXT_EXCERPT_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    AMENDED_DATE_FIELD_NUMBER: _ClassVar[int]
    REPEALED_DATE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_URL_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    code: str
    instrument_title: str
    level: InstrumentLevel
    issuing_body: str
    document_number: str
    article: str
    paragraph: str
    item: str
    text_excerpt: str
    role: BasisRole
    effective_date: str
    amended_date: str
    repealed_date: str
    source_url: str
    publication: _common_pb2.Publication
    region_code: str
    def __init__(self, agency_code: _Optional[str] = ..., code: _Optional[str] = ..., instrument_title: _Optional[str] = ..., level: _Optional[_Union[InstrumentLevel, str]] = ..., issuing_body: _Optional[str] = ..., document_number: _Optional[str] = ..., article: _Optional[str] = ..., paragraph: _Optional[str] = ..., item: _Optional[str] = ..., text_excerpt: _Optional[str] = ..., role: _Optional[_Union[BasisRole, str]] = ..., effective_date: _Optional[str] = ..., amended_date: _Optional[str] = ..., repealed_date: _Optional[str] = ..., source_url: _Optional[str] = ..., publication: _Optional[_Union[_common_pb2.Publication, _Mapping]] = ..., region_code: _Optional[str] = ...) -> None: ...

class PutLegalBasisRequest(_message.Message):
    __slots__ = ("legal_basis", "reason", "publish")
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    legal_basis: LegalBasis
    reason: str
    publish: bool
    def __init__(self, legal_basis: _Optional[_Union[LegalBasis, _Mapping]] = ..., reason: _Optional[str] = ..., publish: _Optional[bool] = ...) -> None: ...

class PutLegalBasisResponse(_message.Message):
    __slots__ = ("legal_basis", "changed")
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    legal_basis: LegalBasis
    changed: bool
    def __init__(self, legal_basis: _Optional[_Union[LegalBasis, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class ListLegalBasesRequest(_message.Message):
    __slots__ = ("page", "agency_code", "level", "query", "region_code")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    level: InstrumentLevel
    query: str
    region_code: str
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., level: _Optional[_Union[InstrumentLevel, str]] = ..., query: _Optional[str] = ..., region_code: _Optional[str] = ...) -> None: ...

class ListLegalBasesResponse(_message.Message):
    __slots__ = ("legal_bases", "next_page_token", "total")
    LEGAL_BASES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    legal_bases: _containers.RepeatedCompositeFieldContainer[LegalBasis]
    next_page_token: str
    total: int
    def __init__(self, legal_bases: _Optional[_Iterable[_Union[LegalBasis, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class LegalBasisVersions(_message.Message):
    __slots__ = ("versions", "next_page_token", "total")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[LegalBasis]
    next_page_token: str
    total: int
    def __init__(self, versions: _Optional[_Iterable[_Union[LegalBasis, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class RepealInstrumentRequest(_message.Message):
    __slots__ = ("agency_code", "instrument_title", "repealed_date", "reason")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_TITLE_FIELD_NUMBER: _ClassVar[int]
    REPEALED_DATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    instrument_title: str
    repealed_date: str
    reason: str
    def __init__(self, agency_code: _Optional[str] = ..., instrument_title: _Optional[str] = ..., repealed_date: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RepealInstrumentResponse(_message.Message):
    __slots__ = ("legal_basis_codes", "flagged_duty_item_codes")
    LEGAL_BASIS_CODES_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_DUTY_ITEM_CODES_FIELD_NUMBER: _ClassVar[int]
    legal_basis_codes: _containers.RepeatedScalarFieldContainer[str]
    flagged_duty_item_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, legal_basis_codes: _Optional[_Iterable[str]] = ..., flagged_duty_item_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class DutySubItem(_message.Message):
    __slots__ = ("code", "name")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class Responsibility(_message.Message):
    __slots__ = ("stage", "description")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    stage: DutyStage
    description: str
    def __init__(self, stage: _Optional[_Union[DutyStage, str]] = ..., description: _Optional[str] = ...) -> None: ...

class DutyItem(_message.Message):
    __slots__ = ("agency_code", "code", "name", "power_type", "sub_items", "implementing_agency", "handling_unit", "legal_basis_codes", "responsibilities", "accountability_cases", "effective_from", "effective_to", "discretion_benchmark", "publication", "region_code", "needs_review", "review_reason")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POWER_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUB_ITEMS_FIELD_NUMBER: _ClassVar[int]
    IMPLEMENTING_AGENCY_FIELD_NUMBER: _ClassVar[int]
    HANDLING_UNIT_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_CODES_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBILITIES_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTABILITY_CASES_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_TO_FIELD_NUMBER: _ClassVar[int]
    DISCRETION_BENCHMARK_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    NEEDS_REVIEW_FIELD_NUMBER: _ClassVar[int]
    REVIEW_REASON_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    code: str
    name: str
    power_type: PowerType
    sub_items: _containers.RepeatedCompositeFieldContainer[DutySubItem]
    implementing_agency: str
    handling_unit: str
    legal_basis_codes: _containers.RepeatedScalarFieldContainer[str]
    responsibilities: _containers.RepeatedCompositeFieldContainer[Responsibility]
    accountability_cases: _containers.RepeatedScalarFieldContainer[str]
    effective_from: str
    effective_to: str
    discretion_benchmark: str
    publication: _common_pb2.Publication
    region_code: str
    needs_review: bool
    review_reason: str
    def __init__(self, agency_code: _Optional[str] = ..., code: _Optional[str] = ..., name: _Optional[str] = ..., power_type: _Optional[_Union[PowerType, str]] = ..., sub_items: _Optional[_Iterable[_Union[DutySubItem, _Mapping]]] = ..., implementing_agency: _Optional[str] = ..., handling_unit: _Optional[str] = ..., legal_basis_codes: _Optional[_Iterable[str]] = ..., responsibilities: _Optional[_Iterable[_Union[Responsibility, _Mapping]]] = ..., accountability_cases: _Optional[_Iterable[str]] = ..., effective_from: _Optional[str] = ..., effective_to: _Optional[str] = ..., discretion_benchmark: _Optional[str] = ..., publication: _Optional[_Union[_common_pb2.Publication, _Mapping]] = ..., region_code: _Optional[str] = ..., needs_review: _Optional[bool] = ..., review_reason: _Optional[str] = ...) -> None: ...

class PutDutyItemRequest(_message.Message):
    __slots__ = ("duty_item", "reason", "publish")
    DUTY_ITEM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    duty_item: DutyItem
    reason: str
    publish: bool
    def __init__(self, duty_item: _Optional[_Union[DutyItem, _Mapping]] = ..., reason: _Optional[str] = ..., publish: _Optional[bool] = ...) -> None: ...

class PutDutyItemResponse(_message.Message):
    __slots__ = ("duty_item", "changed")
    DUTY_ITEM_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    duty_item: DutyItem
    changed: bool
    def __init__(self, duty_item: _Optional[_Union[DutyItem, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class ListDutyItemsRequest(_message.Message):
    __slots__ = ("page", "agency_code", "region_code", "power_type", "query", "needs_review")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    POWER_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    NEEDS_REVIEW_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    region_code: str
    power_type: PowerType
    query: str
    needs_review: bool
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., power_type: _Optional[_Union[PowerType, str]] = ..., query: _Optional[str] = ..., needs_review: _Optional[bool] = ...) -> None: ...

class ListDutyItemsResponse(_message.Message):
    __slots__ = ("duty_items", "next_page_token", "total")
    DUTY_ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    duty_items: _containers.RepeatedCompositeFieldContainer[DutyItem]
    next_page_token: str
    total: int
    def __init__(self, duty_items: _Optional[_Iterable[_Union[DutyItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class DutyItemVersions(_message.Message):
    __slots__ = ("versions", "next_page_token", "total")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[DutyItem]
    next_page_token: str
    total: int
    def __init__(self, versions: _Optional[_Iterable[_Union[DutyItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class AgencyRegistered(_message.Message):
    __slots__ = ("agency",)
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

class OfficerPublished(_message.Message):
    __slots__ = ("officer",)
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    officer: Officer
    def __init__(self, officer: _Optional[_Union[Officer, _Mapping]] = ...) -> None: ...

class OfficerRevised(_message.Message):
    __slots__ = ("officer", "previous_version")
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    officer: Officer
    previous_version: int
    def __init__(self, officer: _Optional[_Union[Officer, _Mapping]] = ..., previous_version: _Optional[int] = ...) -> None: ...

class OfficerRetired(_message.Message):
    __slots__ = ("officer",)
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    officer: Officer
    def __init__(self, officer: _Optional[_Union[Officer, _Mapping]] = ...) -> None: ...

class LegalBasisPublished(_message.Message):
    __slots__ = ("legal_basis",)
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    legal_basis: LegalBasis
    def __init__(self, legal_basis: _Optional[_Union[LegalBasis, _Mapping]] = ...) -> None: ...

class LegalBasisRevised(_message.Message):
    __slots__ = ("legal_basis", "previous_version")
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    legal_basis: LegalBasis
    previous_version: int
    def __init__(self, legal_basis: _Optional[_Union[LegalBasis, _Mapping]] = ..., previous_version: _Optional[int] = ...) -> None: ...

class LegalBasisRetired(_message.Message):
    __slots__ = ("legal_basis",)
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    legal_basis: LegalBasis
    def __init__(self, legal_basis: _Optional[_Union[LegalBasis, _Mapping]] = ...) -> None: ...

class LegalBasisRepealed(_message.Message):
    __slots__ = ("legal_basis",)
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    legal_basis: LegalBasis
    def __init__(self, legal_basis: _Optional[_Union[LegalBasis, _Mapping]] = ...) -> None: ...

class DutyItemPublished(_message.Message):
    __slots__ = ("duty_item",)
    DUTY_ITEM_FIELD_NUMBER: _ClassVar[int]
    duty_item: DutyItem
    def __init__(self, duty_item: _Optional[_Union[DutyItem, _Mapping]] = ...) -> None: ...

class DutyItemRevised(_message.Message):
    __slots__ = ("duty_item", "previous_version")
    DUTY_ITEM_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    duty_item: DutyItem
    previous_version: int
    def __init__(self, duty_item: _Optional[_Union[DutyItem, _Mapping]] = ..., previous_version: _Optional[int] = ...) -> None: ...

class DutyItemRetired(_message.Message):
    __slots__ = ("duty_item",)
    DUTY_ITEM_FIELD_NUMBER: _ClassVar[int]
    duty_item: DutyItem
    def __init__(self, duty_item: _Optional[_Union[DutyItem, _Mapping]] = ...) -> None: ...

class DutyItemReviewFlagged(_message.Message):
    __slots__ = ("agency_code", "code", "name", "version", "legal_basis_code", "instrument_title", "repealed_date", "reason", "flagged_at")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_CODE_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_TITLE_FIELD_NUMBER: _ClassVar[int]
    REPEALED_DATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    code: str
    name: str
    version: int
    legal_basis_code: str
    instrument_title: str
    repealed_date: str
    reason: str
    flagged_at: str
    def __init__(self, agency_code: _Optional[str] = ..., code: _Optional[str] = ..., name: _Optional[str] = ..., version: _Optional[int] = ..., legal_basis_code: _Optional[str] = ..., instrument_title: _Optional[str] = ..., repealed_date: _Optional[str] = ..., reason: _Optional[str] = ..., flagged_at: _Optional[str] = ...) -> None: ...
