from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ProceduresInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ProceduresInfoResponse(_message.Message):
    __slots__ = ("procedures",)
    PROCEDURES_FIELD_NUMBER: _ClassVar[int]
    procedures: int
    def __init__(self, procedures: _Optional[int] = ...) -> None: ...
