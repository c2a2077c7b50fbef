from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLE_UNSPECIFIED: _ClassVar[Role]
    ROLE_AGENCY: _ClassVar[Role]
    ROLE_OVERSIGHT: _ClassVar[Role]
    ROLE_ADMIN: _ClassVar[Role]

class PublicationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PUBLICATION_STATUS_UNSPECIFIED: _ClassVar[PublicationStatus]
    PUBLICATION_STATUS_DRAFT: _ClassVar[PublicationStatus]
    PUBLICATION_STATUS_PUBLISHED: _ClassVar[PublicationStatus]
    PUBLICATION_STATUS_REVISED: _ClassVar[PublicationStatus]
    PUBLICATION_STATUS_RETIRED: _ClassVar[PublicationStatus]

class RecordKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECORD_KIND_UNSPECIFIED: _ClassVar[RecordKind]
    RECORD_KIND_OFFICER: _ClassVar[RecordKind]
    RECORD_KIND_DUTY_ITEM: _ClassVar[RecordKind]
    RECORD_KIND_LEGAL_BASIS: _ClassVar[RecordKind]
    RECORD_KIND_PROCEDURE: _ClassVar[RecordKind]
    RECORD_KIND_SUPERVISION_CHANNEL: _ClassVar[RecordKind]
    RECORD_KIND_INSPECTION_ITEM: _ClassVar[RecordKind]
ROLE_UNSPECIFIED: Role
ROLE_AGENCY: Role
ROLE_OVERSIGHT: Role
ROLE_ADMIN: Role
PUBLICATION_STATUS_UNSPECIFIED: PublicationStatus
PUBLICATION_STATUS_DRAFT: PublicationStatus
PUBLICATION_STATUS_PUBLISHED: PublicationStatus
PUBLICATION_STATUS_REVISED: PublicationStatus
PUBLICATION_STATUS_RETIRED: PublicationStatus
RECORD_KIND_UNSPECIFIED: RecordKind
RECORD_KIND_OFFICER: RecordKind
RECORD_KIND_DUTY_ITEM: RecordKind
RECORD_KIND_LEGAL_BASIS: RecordKind
RECORD_KIND_PROCEDURE: RecordKind
RECORD_KIND_SUPERVISION_CHANNEL: RecordKind
RECORD_KIND_INSPECTION_ITEM: RecordKind

class PageRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ItemOutcome(_message.Message):
    __slots__ = ("index", "accepted", "id", "duplicate", "errors")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    index: int
    accepted: bool
    id: str
    duplicate: bool
    errors: _containers.RepeatedCompositeFieldContainer[FieldError]
    def __init__(self, index: _Optional[int] = ..., accepted: _Optional[bool] = ..., id: _Optional[str] = ..., duplicate: _Optional[bool] = ..., errors: _Optional[_Iterable[_Union[FieldError, _Mapping]]] = ...) -> None: ...

class FieldError(_message.Message):
    __slots__ = ("field", "description")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    field: str
    description: str
    def __init__(self, field: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class Publication(_message.Message):
    __slots__ = ("version", "status", "reason", "created_at", "published_at", "superseded_at", "retired_at", "retire_reason", "record_hash", "previous_hash")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_AT_FIELD_NUMBER: _ClassVar[int]
    RETIRED_AT_FIELD_NUMBER: _ClassVar[int]
    RETIRE_REASON_FIELD_NUMBER: _ClassVar[int]
    RECORD_HASH_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_HASH_FIELD_NUMBER: _ClassVar[int]
    version: int
    status: PublicationStatus
    reason: str
    created_at: str
    published_at: str
    superseded_at: str
    retired_at: str
    retire_reason: str
    record_hash: str
    previous_hash: str
    def __init__(self, version: _Optional[int] = ..., status: _Optional[_Union[PublicationStatus, str]] = ..., reason: _Optional[str] = ..., created_at: _Optional[str] = ..., published_at: _Optional[str] = ..., superseded_at: _Optional[str] = ..., retired_at: _Optional[str] = ..., retire_reason: _Optional[str] = ..., record_hash: _Optional[str] = ..., previous_hash: _Optional[str] = ...) -> None: ...

class ChangeStatusRequest(_message.Message):
    __slots__ = ("kind", "agency_code", "code", "reason")
    KIND_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    kind: RecordKind
    agency_code: str
    code: str
    reason: str
    def __init__(self, kind: _Optional[_Union[RecordKind, str]] = ..., agency_code: _Optional[str] = ..., code: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ChangeStatusResponse(_message.Message):
    __slots__ = ("publication", "changed")
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    publication: Publication
    changed: bool
    def __init__(self, publication: _Optional[_Union[Publication, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class GetRecordRequest(_message.Message):
    __slots__ = ("agency_code", "code", "version")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    code: str
    version: int
    def __init__(self, agency_code: _Optional[str] = ..., code: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ListVersionsRequest(_message.Message):
    __slots__ = ("agency_code", "code", "page")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    code: str
    page: PageRequest
    def __init__(self, agency_code: _Optional[str] = ..., code: _Optional[str] = ..., page: _Optional[_Union[PageRequest, _Mapping]] = ...) -> None: ...
