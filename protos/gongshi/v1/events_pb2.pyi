from gongshi.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventDeadLettered(_message.Message):
    __slots__ = ("service", "consumer", "subject", "event_id", "event_type", "error", "deliveries", "stream_sequence", "dead_lettered_at")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    STREAM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    DEAD_LETTERED_AT_FIELD_NUMBER: _ClassVar[int]
    service: str
    consumer: str
    subject: str
    event_id: str
    event_type: str
    error: str
    deliveries: int
    stream_sequence: int
    dead_lettered_at: str
    def __init__(self, service: _Optional[str] = ..., consumer: _Optional[str] = ..., subject: _Optional[str] = ..., event_id: _Optional[str] = ..., event_type: _Optional[str] = ..., error: _Optional[str] = ..., deliveries: _Optional[int] = ..., stream_sequence: _Optional[int] = ..., dead_lettered_at: _Optional[str] = ...) -> None: ...

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
