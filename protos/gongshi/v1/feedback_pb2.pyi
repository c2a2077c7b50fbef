from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class FeedbackInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FeedbackInfoResponse(_message.Message):
    __slots__ = ("feedback",)
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    feedback: int
    def __init__(self, feedback: _Optional[int] = ...) -> None: ...
