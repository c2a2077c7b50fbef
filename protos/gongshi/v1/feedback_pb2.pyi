from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ObjectionOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OBJECTION_OUTCOME_UNSPECIFIED: _ClassVar[ObjectionOutcome]
    OBJECTION_OUTCOME_CORRECT: _ClassVar[ObjectionOutcome]
    OBJECTION_OUTCOME_WITHDRAW: _ClassVar[ObjectionOutcome]
    OBJECTION_OUTCOME_KEEP: _ClassVar[ObjectionOutcome]
OBJECTION_OUTCOME_UNSPECIFIED: ObjectionOutcome
OBJECTION_OUTCOME_CORRECT: ObjectionOutcome
OBJECTION_OUTCOME_WITHDRAW: ObjectionOutcome
OBJECTION_OUTCOME_KEEP: ObjectionOutcome

class FeedbackInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FeedbackInfoResponse(_message.Message):
    __slots__ = ("feedback",)
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    feedback: int
    def __init__(self, feedback: _Optional[int] = ...) -> None: ...

class ObjectionDecided(_message.Message):
    __slots__ = ("feedback_id", "agency_code", "result_id", "outcome", "reason", "corrected_facts", "corrected_conclusion", "decided_at")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    RESULT_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_FACTS_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_CONCLUSION_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    agency_code: str
    result_id: str
    outcome: ObjectionOutcome
    reason: str
    corrected_facts: str
    corrected_conclusion: str
    decided_at: str
    def __init__(self, feedback_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., result_id: _Optional[str] = ..., outcome: _Optional[_Union[ObjectionOutcome, str]] = ..., reason: _Optional[str] = ..., corrected_facts: _Optional[str] = ..., corrected_conclusion: _Optional[str] = ..., decided_at: _Optional[str] = ...) -> None: ...
