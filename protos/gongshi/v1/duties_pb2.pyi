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
AGENCY_KIND_UNSPECIFIED: AgencyKind
AGENCY_KIND_ADMINISTRATIVE_ORGAN: AgencyKind
AGENCY_KIND_AUTHORISED_ORGANISATION: AgencyKind
AGENCY_KIND_ENTRUSTED_ORGANISATION: AgencyKind

class Agency(_message.Message):
    __slots__ = ("code", "name", "unified_social_credit_code", "kind", "entrusting_agency_code", "region_code", "parent_agency_code", "legal_basis_of_authority", "address", "office_hours", "phone", "supervision_phone", "email", "website", "version", "updated_at")
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
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., unified_social_credit_code: _Optional[str] = ..., kind: _Optional[_Union[AgencyKind, str]] = ..., entrusting_agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., parent_agency_code: _Optional[str] = ..., legal_basis_of_authority: _Optional[str] = ..., address: _Optional[str] = ..., office_hours: _Optional[str] = ..., phone: _Optional[str] = ..., supervision_phone: _Optional[str] = ..., email: _Optional[str] = ..., website: _Optional[str] = ..., version: _Optional[int] = ..., updated_at: _Optional[str] = ...) -> None: ...

class RegisterAgencyRequest(_message.Message):
    __slots__ = ("agency",)
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

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

class AgencyRegistered(_message.Message):
    __slots__ = ("agency",)
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

class CredentialIssued(_message.Message):
    __slots__ = ("credential_id", "role", "agency_code", "secret_sha256", "issued_at")
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    SECRET_SHA256_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    credential_id: str
    role: _common_pb2.Role
    agency_code: str
    secret_sha256: bytes
    issued_at: str
    def __init__(self, credential_id: _Optional[str] = ..., role: _Optional[_Union[_common_pb2.Role, str]] = ..., agency_code: _Optional[str] = ..., secret_sha256: _Optional[bytes] = ..., issued_at: _Optional[str] = ...) -> None: ...

class CredentialRevoked(_message.Message):
    __slots__ = ("credential_id", "agency_code", "revoked_at")
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    credential_id: str
    agency_code: str
    revoked_at: str
    def __init__(self, credential_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., revoked_at: _Optional[str] = ...) -> None: ...
