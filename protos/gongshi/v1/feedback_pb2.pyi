from gongshi.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FeedbackTargetType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FEEDBACK_TARGET_TYPE_UNSPECIFIED: _ClassVar[FeedbackTargetType]
    FEEDBACK_TARGET_TYPE_AGENCY: _ClassVar[FeedbackTargetType]
    FEEDBACK_TARGET_TYPE_DUTY_ITEM: _ClassVar[FeedbackTargetType]
    FEEDBACK_TARGET_TYPE_PROCEDURE: _ClassVar[FeedbackTargetType]
    FEEDBACK_TARGET_TYPE_SUPERVISION_CHANNEL: _ClassVar[FeedbackTargetType]
    FEEDBACK_TARGET_TYPE_RESULT: _ClassVar[FeedbackTargetType]
    FEEDBACK_TARGET_TYPE_PLATFORM: _ClassVar[FeedbackTargetType]

class FeedbackCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FEEDBACK_CATEGORY_UNSPECIFIED: _ClassVar[FeedbackCategory]
    FEEDBACK_CATEGORY_SUGGESTION: _ClassVar[FeedbackCategory]
    FEEDBACK_CATEGORY_COMPLAINT: _ClassVar[FeedbackCategory]
    FEEDBACK_CATEGORY_REPORT: _ClassVar[FeedbackCategory]
    FEEDBACK_CATEGORY_INFORMATION_WRONG: _ClassVar[FeedbackCategory]
    FEEDBACK_CATEGORY_QUESTION: _ClassVar[FeedbackCategory]

class FeedbackStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FEEDBACK_STATUS_UNSPECIFIED: _ClassVar[FeedbackStatus]
    FEEDBACK_STATUS_RECEIVED: _ClassVar[FeedbackStatus]
    FEEDBACK_STATUS_ACCEPTED: _ClassVar[FeedbackStatus]
    FEEDBACK_STATUS_REJECTED: _ClassVar[FeedbackStatus]
    FEEDBACK_STATUS_REPLIED: _ClassVar[FeedbackStatus]
    FEEDBACK_STATUS_CLOSED: _ClassVar[FeedbackStatus]
    FEEDBACK_STATUS_REOPENED: _ClassVar[FeedbackStatus]

class TargetState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TARGET_STATE_UNSPECIFIED: _ClassVar[TargetState]
    TARGET_STATE_CURRENT: _ClassVar[TargetState]
    TARGET_STATE_CORRECTED: _ClassVar[TargetState]
    TARGET_STATE_WITHDRAWN: _ClassVar[TargetState]
    TARGET_STATE_EXPIRED: _ClassVar[TargetState]
    TARGET_STATE_REPAIRED: _ClassVar[TargetState]
    TARGET_STATE_RETIRED: _ClassVar[TargetState]
    TARGET_STATE_UNKNOWN: _ClassVar[TargetState]

class OverdueKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OVERDUE_KIND_UNSPECIFIED: _ClassVar[OverdueKind]
    OVERDUE_KIND_ACCEPTANCE: _ClassVar[OverdueKind]
    OVERDUE_KIND_CONCLUSION: _ClassVar[OverdueKind]

class ModerationState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODERATION_STATE_UNSPECIFIED: _ClassVar[ModerationState]
    MODERATION_STATE_VISIBLE: _ClassVar[ModerationState]
    MODERATION_STATE_HIDDEN_PENDING_REVIEW: _ClassVar[ModerationState]
    MODERATION_STATE_REMOVED: _ClassVar[ModerationState]

class ObjectionOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OBJECTION_OUTCOME_UNSPECIFIED: _ClassVar[ObjectionOutcome]
    OBJECTION_OUTCOME_CORRECT: _ClassVar[ObjectionOutcome]
    OBJECTION_OUTCOME_WITHDRAW: _ClassVar[ObjectionOutcome]
    OBJECTION_OUTCOME_KEEP: _ClassVar[ObjectionOutcome]
FEEDBACK_TARGET_TYPE_UNSPECIFIED: FeedbackTargetType
FEEDBACK_TARGET_TYPE_AGENCY: FeedbackTargetType
FEEDBACK_TARGET_TYPE_DUTY_ITEM: FeedbackTargetType
FEEDBACK_TARGET_TYPE_PROCEDURE: FeedbackTargetType
FEEDBACK_TARGET_TYPE_SUPERVISION_CHANNEL: FeedbackTargetType
FEEDBACK_TARGET_TYPE_RESULT: FeedbackTargetType
FEEDBACK_TARGET_TYPE_PLATFORM: FeedbackTargetType
FEEDBACK_CATEGORY_UNSPECIFIED: FeedbackCategory
FEEDBACK_CATEGORY_SUGGESTION: FeedbackCategory
FEEDBACK_CATEGORY_COMPLAINT: FeedbackCategory
FEEDBACK_CATEGORY_REPORT: FeedbackCategory
FEEDBACK_CATEGORY_INFORMATION_WRONG: FeedbackCategory
FEEDBACK_CATEGORY_QUESTION: FeedbackCategory
FEEDBACK_STATUS_UNSPECIFIED: FeedbackStatus
FEEDBACK_STATUS_RECEIVED: FeedbackStatus
FEEDBACK_STATUS_ACCEPTED: FeedbackStatus
FEEDBACK_STATUS_REJECTED: FeedbackStatus
FEEDBACK_STATUS_REPLIED: FeedbackStatus
FEEDBACK_STATUS_CLOSED: FeedbackStatus
FEEDBACK_STATUS_REOPENED: FeedbackStatus
TARGET_STATE_UNSPECIFIED: TargetState
TARGET_STATE_CURRENT: TargetState
TARGET_STATE_CORRECTED: TargetState
TARGET_STATE_WITHDRAWN: TargetState
TARGET_STATE_EXPIRED: TargetState
TARGET_STATE_REPAIRED: TargetState
TARGET_STATE_RETIRED: TargetState
TARGET_STATE_UNKNOWN: TargetState
OVERDUE_KIND_UNSPECIFIED: OverdueKind
OVERDUE_KIND_ACCEPTANCE: OverdueKind
OVERDUE_KIND_CONCLUSION: OverdueKind
MODERATION_STATE_UNSPECIFIED: ModerationState
MODERATION_STATE_VISIBLE: ModerationState
MODERATION_STATE_HIDDEN_PENDING_REVIEW: ModerationState
MODERATION_STATE_REMOVED: ModerationState
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

class FeedbackTarget(_message.Message):
    __slots__ = ("type", "id", "agency_code")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    type: FeedbackTargetType
    id: str
    agency_code: str
    def __init__(self, type: _Optional[_Union[FeedbackTargetType, str]] = ..., id: _Optional[str] = ..., agency_code: _Optional[str] = ...) -> None: ...

class ContactDetails(_message.Message):
    __slots__ = ("name", "phone", "email", "address")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    name: str
    phone: str
    email: str
    address: str
    def __init__(self, name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., address: _Optional[str] = ...) -> None: ...

class AttachmentUpload(_message.Message):
    __slots__ = ("filename", "content_type", "data")
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    filename: str
    content_type: str
    data: bytes
    def __init__(self, filename: _Optional[str] = ..., content_type: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class AttachmentInfo(_message.Message):
    __slots__ = ("id", "filename", "content_type", "size_bytes", "sha256", "uploaded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: str
    def __init__(self, id: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., uploaded_at: _Optional[str] = ...) -> None: ...

class Objection(_message.Message):
    __slots__ = ("party_name", "party_identifier")
    PARTY_NAME_FIELD_NUMBER: _ClassVar[int]
    PARTY_IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    party_name: str
    party_identifier: str
    def __init__(self, party_name: _Optional[str] = ..., party_identifier: _Optional[str] = ...) -> None: ...

class PublicReply(_message.Message):
    __slots__ = ("id", "agency_code", "text", "replied_at", "moderation")
    ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    REPLIED_AT_FIELD_NUMBER: _ClassVar[int]
    MODERATION_FIELD_NUMBER: _ClassVar[int]
    id: str
    agency_code: str
    text: str
    replied_at: str
    moderation: ModerationState
    def __init__(self, id: _Optional[str] = ..., agency_code: _Optional[str] = ..., text: _Optional[str] = ..., replied_at: _Optional[str] = ..., moderation: _Optional[_Union[ModerationState, str]] = ...) -> None: ...

class StatusChange(_message.Message):
    __slots__ = ("at", "status", "agency_code", "note", "event")
    AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    at: str
    status: FeedbackStatus
    agency_code: str
    note: str
    event: str
    def __init__(self, at: _Optional[str] = ..., status: _Optional[_Union[FeedbackStatus, str]] = ..., agency_code: _Optional[str] = ..., note: _Optional[str] = ..., event: _Optional[str] = ...) -> None: ...

class PublicFeedback(_message.Message):
    __slots__ = ("id", "agency_code", "agency_name", "target", "target_state", "category", "status", "text", "text_moderation", "display_name", "attachment_count", "received_at", "updated_at", "acceptance_due", "accepted_at", "rejected_at", "rejection_reason", "conclusion_due", "extension_days", "extension_reason", "closed_at", "replies", "history", "linked_submissions", "is_objection", "objection_outcome", "original_agency_code", "acceptance_overdue", "conclusion_overdue", "reopen_count", "version", "first_reply_at", "acceptance_due_provisional", "conclusion_due_provisional", "location")
    ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_NAME_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    TARGET_STATE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TEXT_MODERATION_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_DUE_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    REJECTED_AT_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_DUE_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_DAYS_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_REASON_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLIES_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    LINKED_SUBMISSIONS_FIELD_NUMBER: _ClassVar[int]
    IS_OBJECTION_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    REOPEN_COUNT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FIRST_REPLY_AT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_DUE_PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_DUE_PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    id: str
    agency_code: str
    agency_name: str
    target: FeedbackTarget
    target_state: TargetState
    category: FeedbackCategory
    status: FeedbackStatus
    text: str
    text_moderation: ModerationState
    display_name: str
    attachment_count: int
    received_at: str
    updated_at: str
    acceptance_due: str
    accepted_at: str
    rejected_at: str
    rejection_reason: str
    conclusion_due: str
    extension_days: int
    extension_reason: str
    closed_at: str
    replies: _containers.RepeatedCompositeFieldContainer[PublicReply]
    history: _containers.RepeatedCompositeFieldContainer[StatusChange]
    linked_submissions: int
    is_objection: bool
    objection_outcome: ObjectionOutcome
    original_agency_code: str
    acceptance_overdue: bool
    conclusion_overdue: bool
    reopen_count: int
    version: int
    first_reply_at: str
    acceptance_due_provisional: bool
    conclusion_due_provisional: bool
    location: Location
    def __init__(self, id: _Optional[str] = ..., agency_code: _Optional[str] = ..., agency_name: _Optional[str] = ..., target: _Optional[_Union[FeedbackTarget, _Mapping]] = ..., target_state: _Optional[_Union[TargetState, str]] = ..., category: _Optional[_Union[FeedbackCategory, str]] = ..., status: _Optional[_Union[FeedbackStatus, str]] = ..., text: _Optional[str] = ..., text_moderation: _Optional[_Union[ModerationState, str]] = ..., display_name: _Optional[str] = ..., attachment_count: _Optional[int] = ..., received_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., acceptance_due: _Optional[str] = ..., accepted_at: _Optional[str] = ..., rejected_at: _Optional[str] = ..., rejection_reason: _Optional[str] = ..., conclusion_due: _Optional[str] = ..., extension_days: _Optional[int] = ..., extension_reason: _Optional[str] = ..., closed_at: _Optional[str] = ..., replies: _Optional[_Iterable[_Union[PublicReply, _Mapping]]] = ..., history: _Optional[_Iterable[_Union[StatusChange, _Mapping]]] = ..., linked_submissions: _Optional[int] = ..., is_objection: _Optional[bool] = ..., objection_outcome: _Optional[_Union[ObjectionOutcome, str]] = ..., original_agency_code: _Optional[str] = ..., acceptance_overdue: _Optional[bool] = ..., conclusion_overdue: _Optional[bool] = ..., reopen_count: _Optional[int] = ..., version: _Optional[int] = ..., first_reply_at: _Optional[str] = ..., acceptance_due_provisional: _Optional[bool] = ..., conclusion_due_provisional: _Optional[bool] = ..., location: _Optional[_Union[Location, _Mapping]] = ...) -> None: ...

class Location(_message.Message):
    __slots__ = ("latitude", "longitude", "address")
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    latitude: float
    longitude: float
    address: str
    def __init__(self, latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., address: _Optional[str] = ...) -> None: ...

class Addition(_message.Message):
    __slots__ = ("text", "added_at", "attachments")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ADDED_AT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    text: str
    added_at: str
    attachments: _containers.RepeatedCompositeFieldContainer[AttachmentInfo]
    def __init__(self, text: _Optional[str] = ..., added_at: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[AttachmentInfo, _Mapping]]] = ...) -> None: ...

class TrackedFeedback(_message.Message):
    __slots__ = ("feedback", "contact", "text", "attachments", "additions", "rating", "rating_comment", "can_reopen", "can_rate", "linked", "show_display_name", "display_name")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    ADDITIONS_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    RATING_COMMENT_FIELD_NUMBER: _ClassVar[int]
    CAN_REOPEN_FIELD_NUMBER: _ClassVar[int]
    CAN_RATE_FIELD_NUMBER: _ClassVar[int]
    LINKED_FIELD_NUMBER: _ClassVar[int]
    SHOW_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    contact: ContactDetails
    text: str
    attachments: _containers.RepeatedCompositeFieldContainer[AttachmentInfo]
    additions: _containers.RepeatedCompositeFieldContainer[Addition]
    rating: int
    rating_comment: str
    can_reopen: bool
    can_rate: bool
    linked: bool
    show_display_name: bool
    display_name: str
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ..., contact: _Optional[_Union[ContactDetails, _Mapping]] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[AttachmentInfo, _Mapping]]] = ..., additions: _Optional[_Iterable[_Union[Addition, _Mapping]]] = ..., rating: _Optional[int] = ..., rating_comment: _Optional[str] = ..., can_reopen: _Optional[bool] = ..., can_rate: _Optional[bool] = ..., linked: _Optional[bool] = ..., show_display_name: _Optional[bool] = ..., display_name: _Optional[str] = ...) -> None: ...

class AgencyFeedback(_message.Message):
    __slots__ = ("feedback", "contacts", "text", "attachments", "additions", "rating", "rating_comment", "objection", "text_flags", "extension_approval_ref", "extension_approver", "replies")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    ADDITIONS_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    RATING_COMMENT_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_FIELD_NUMBER: _ClassVar[int]
    TEXT_FLAGS_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_APPROVAL_REF_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_APPROVER_FIELD_NUMBER: _ClassVar[int]
    REPLIES_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    contacts: _containers.RepeatedCompositeFieldContainer[ContactDetails]
    text: str
    attachments: _containers.RepeatedCompositeFieldContainer[AttachmentInfo]
    additions: _containers.RepeatedCompositeFieldContainer[Addition]
    rating: int
    rating_comment: str
    objection: Objection
    text_flags: int
    extension_approval_ref: str
    extension_approver: str
    replies: _containers.RepeatedCompositeFieldContainer[AgencyReply]
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ..., contacts: _Optional[_Iterable[_Union[ContactDetails, _Mapping]]] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[AttachmentInfo, _Mapping]]] = ..., additions: _Optional[_Iterable[_Union[Addition, _Mapping]]] = ..., rating: _Optional[int] = ..., rating_comment: _Optional[str] = ..., objection: _Optional[_Union[Objection, _Mapping]] = ..., text_flags: _Optional[int] = ..., extension_approval_ref: _Optional[str] = ..., extension_approver: _Optional[str] = ..., replies: _Optional[_Iterable[_Union[AgencyReply, _Mapping]]] = ...) -> None: ...

class AgencyReply(_message.Message):
    __slots__ = ("id", "text", "replied_at", "moderation", "flags")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    REPLIED_AT_FIELD_NUMBER: _ClassVar[int]
    MODERATION_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    replied_at: str
    moderation: ModerationState
    flags: int
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ..., replied_at: _Optional[str] = ..., moderation: _Optional[_Union[ModerationState, str]] = ..., flags: _Optional[int] = ...) -> None: ...

class SubmitFeedbackRequest(_message.Message):
    __slots__ = ("target", "category", "text", "attachments", "contact", "display_name", "show_display_name", "objection", "location")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    SHOW_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    target: FeedbackTarget
    category: FeedbackCategory
    text: str
    attachments: _containers.RepeatedCompositeFieldContainer[AttachmentUpload]
    contact: ContactDetails
    display_name: str
    show_display_name: bool
    objection: Objection
    location: Location
    def __init__(self, target: _Optional[_Union[FeedbackTarget, _Mapping]] = ..., category: _Optional[_Union[FeedbackCategory, str]] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[AttachmentUpload, _Mapping]]] = ..., contact: _Optional[_Union[ContactDetails, _Mapping]] = ..., display_name: _Optional[str] = ..., show_display_name: _Optional[bool] = ..., objection: _Optional[_Union[Objection, _Mapping]] = ..., location: _Optional[_Union[Location, _Mapping]] = ...) -> None: ...

class SubmitFeedbackResponse(_message.Message):
    __slots__ = ("tracking_code", "secret", "linked", "feedback")
    TRACKING_CODE_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    LINKED_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    tracking_code: str
    secret: str
    linked: bool
    feedback: PublicFeedback
    def __init__(self, tracking_code: _Optional[str] = ..., secret: _Optional[str] = ..., linked: _Optional[bool] = ..., feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ...) -> None: ...

class GetFeedbackRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListFeedbackRequest(_message.Message):
    __slots__ = ("page", "agency_code", "status", "category", "target_type", "target_id", "received_from", "received_to", "open_only", "open_only_set")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TARGET_TYPE_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FROM_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_TO_FIELD_NUMBER: _ClassVar[int]
    OPEN_ONLY_FIELD_NUMBER: _ClassVar[int]
    OPEN_ONLY_SET_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    status: FeedbackStatus
    category: FeedbackCategory
    target_type: FeedbackTargetType
    target_id: str
    received_from: str
    received_to: str
    open_only: bool
    open_only_set: bool
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., status: _Optional[_Union[FeedbackStatus, str]] = ..., category: _Optional[_Union[FeedbackCategory, str]] = ..., target_type: _Optional[_Union[FeedbackTargetType, str]] = ..., target_id: _Optional[str] = ..., received_from: _Optional[str] = ..., received_to: _Optional[str] = ..., open_only: _Optional[bool] = ..., open_only_set: _Optional[bool] = ...) -> None: ...

class ListFeedbackResponse(_message.Message):
    __slots__ = ("feedback", "next_page_token", "total")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    feedback: _containers.RepeatedCompositeFieldContainer[PublicFeedback]
    next_page_token: str
    total: int
    def __init__(self, feedback: _Optional[_Iterable[_Union[PublicFeedback, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class TrackingKey(_message.Message):
    __slots__ = ("tracking_code", "secret")
    TRACKING_CODE_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    tracking_code: str
    secret: str
    def __init__(self, tracking_code: _Optional[str] = ..., secret: _Optional[str] = ...) -> None: ...

class TrackFeedbackRequest(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: TrackingKey
    def __init__(self, key: _Optional[_Union[TrackingKey, _Mapping]] = ...) -> None: ...

class AddInformationRequest(_message.Message):
    __slots__ = ("key", "text", "attachments")
    KEY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    key: TrackingKey
    text: str
    attachments: _containers.RepeatedCompositeFieldContainer[AttachmentUpload]
    def __init__(self, key: _Optional[_Union[TrackingKey, _Mapping]] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[AttachmentUpload, _Mapping]]] = ...) -> None: ...

class RateAnswerRequest(_message.Message):
    __slots__ = ("key", "rating", "comment")
    KEY_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    key: TrackingKey
    rating: int
    comment: str
    def __init__(self, key: _Optional[_Union[TrackingKey, _Mapping]] = ..., rating: _Optional[int] = ..., comment: _Optional[str] = ...) -> None: ...

class ReopenFeedbackRequest(_message.Message):
    __slots__ = ("key", "reason")
    KEY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    key: TrackingKey
    reason: str
    def __init__(self, key: _Optional[_Union[TrackingKey, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class FlagContentRequest(_message.Message):
    __slots__ = ("feedback_id", "reply_id", "reason")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    reply_id: str
    reason: str
    def __init__(self, feedback_id: _Optional[str] = ..., reply_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class FlagContentResponse(_message.Message):
    __slots__ = ("counted", "moderation")
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    MODERATION_FIELD_NUMBER: _ClassVar[int]
    counted: bool
    moderation: ModerationState
    def __init__(self, counted: _Optional[bool] = ..., moderation: _Optional[_Union[ModerationState, str]] = ...) -> None: ...

class GetAttachmentRequest(_message.Message):
    __slots__ = ("key", "feedback_id", "attachment_id")
    KEY_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    key: TrackingKey
    feedback_id: str
    attachment_id: str
    def __init__(self, key: _Optional[_Union[TrackingKey, _Mapping]] = ..., feedback_id: _Optional[str] = ..., attachment_id: _Optional[str] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("info", "data")
    INFO_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    info: AttachmentInfo
    data: bytes
    def __init__(self, info: _Optional[_Union[AttachmentInfo, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class ListAgencyFeedbackRequest(_message.Message):
    __slots__ = ("page", "agency_code", "status", "pending_review_only")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PENDING_REVIEW_ONLY_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    status: FeedbackStatus
    pending_review_only: bool
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., status: _Optional[_Union[FeedbackStatus, str]] = ..., pending_review_only: _Optional[bool] = ...) -> None: ...

class ListAgencyFeedbackResponse(_message.Message):
    __slots__ = ("feedback", "next_page_token", "total")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    feedback: _containers.RepeatedCompositeFieldContainer[AgencyFeedback]
    next_page_token: str
    total: int
    def __init__(self, feedback: _Optional[_Iterable[_Union[AgencyFeedback, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class GetAgencyFeedbackRequest(_message.Message):
    __slots__ = ("feedback_id",)
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    def __init__(self, feedback_id: _Optional[str] = ...) -> None: ...

class AcceptFeedbackRequest(_message.Message):
    __slots__ = ("feedback_id", "note")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    note: str
    def __init__(self, feedback_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RejectFeedbackRequest(_message.Message):
    __slots__ = ("feedback_id", "reason")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    reason: str
    def __init__(self, feedback_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class TransferFeedbackRequest(_message.Message):
    __slots__ = ("feedback_id", "to_agency_code", "reason")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    TO_AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    to_agency_code: str
    reason: str
    def __init__(self, feedback_id: _Optional[str] = ..., to_agency_code: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReplyFeedbackRequest(_message.Message):
    __slots__ = ("feedback_id", "text")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    text: str
    def __init__(self, feedback_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class ExtendDeadlineRequest(_message.Message):
    __slots__ = ("feedback_id", "days", "reason", "approval_ref", "approver")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_REF_FIELD_NUMBER: _ClassVar[int]
    APPROVER_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    days: int
    reason: str
    approval_ref: str
    approver: str
    def __init__(self, feedback_id: _Optional[str] = ..., days: _Optional[int] = ..., reason: _Optional[str] = ..., approval_ref: _Optional[str] = ..., approver: _Optional[str] = ...) -> None: ...

class CloseFeedbackRequest(_message.Message):
    __slots__ = ("feedback_id", "note")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    note: str
    def __init__(self, feedback_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class DecideObjectionRequest(_message.Message):
    __slots__ = ("feedback_id", "outcome", "reason", "corrected_facts", "corrected_conclusion")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_FACTS_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_CONCLUSION_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    outcome: ObjectionOutcome
    reason: str
    corrected_facts: str
    corrected_conclusion: str
    def __init__(self, feedback_id: _Optional[str] = ..., outcome: _Optional[_Union[ObjectionOutcome, str]] = ..., reason: _Optional[str] = ..., corrected_facts: _Optional[str] = ..., corrected_conclusion: _Optional[str] = ...) -> None: ...

class ReviewFlaggedRequest(_message.Message):
    __slots__ = ("feedback_id", "reply_id", "restore")
    FEEDBACK_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    RESTORE_FIELD_NUMBER: _ClassVar[int]
    feedback_id: str
    reply_id: str
    restore: bool
    def __init__(self, feedback_id: _Optional[str] = ..., reply_id: _Optional[str] = ..., restore: _Optional[bool] = ...) -> None: ...

class FeedbackStatisticsRequest(_message.Message):
    __slots__ = ("agency_code", "received_from", "received_to")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FROM_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_TO_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    received_from: str
    received_to: str
    def __init__(self, agency_code: _Optional[str] = ..., received_from: _Optional[str] = ..., received_to: _Optional[str] = ...) -> None: ...

class AgencyFeedbackStatistics(_message.Message):
    __slots__ = ("agency_code", "agency_name", "received", "accepted", "rejected", "transferred_out", "replied", "closed", "on_time_reply_rate", "replies_due", "median_hours_to_reply", "satisfaction", "rated", "acceptance_overdue", "conclusion_overdue", "linked_submissions")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_NAME_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    TRANSFERRED_OUT_FIELD_NUMBER: _ClassVar[int]
    REPLIED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_REPLY_RATE_FIELD_NUMBER: _ClassVar[int]
    REPLIES_DUE_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_HOURS_TO_REPLY_FIELD_NUMBER: _ClassVar[int]
    SATISFACTION_FIELD_NUMBER: _ClassVar[int]
    RATED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    LINKED_SUBMISSIONS_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    agency_name: str
    received: int
    accepted: int
    rejected: int
    transferred_out: int
    replied: int
    closed: int
    on_time_reply_rate: float
    replies_due: int
    median_hours_to_reply: float
    satisfaction: float
    rated: int
    acceptance_overdue: int
    conclusion_overdue: int
    linked_submissions: int
    def __init__(self, agency_code: _Optional[str] = ..., agency_name: _Optional[str] = ..., received: _Optional[int] = ..., accepted: _Optional[int] = ..., rejected: _Optional[int] = ..., transferred_out: _Optional[int] = ..., replied: _Optional[int] = ..., closed: _Optional[int] = ..., on_time_reply_rate: _Optional[float] = ..., replies_due: _Optional[int] = ..., median_hours_to_reply: _Optional[float] = ..., satisfaction: _Optional[float] = ..., rated: _Optional[int] = ..., acceptance_overdue: _Optional[int] = ..., conclusion_overdue: _Optional[int] = ..., linked_submissions: _Optional[int] = ...) -> None: ...

class FeedbackStatisticsResponse(_message.Message):
    __slots__ = ("agencies",)
    AGENCIES_FIELD_NUMBER: _ClassVar[int]
    agencies: _containers.RepeatedCompositeFieldContainer[AgencyFeedbackStatistics]
    def __init__(self, agencies: _Optional[_Iterable[_Union[AgencyFeedbackStatistics, _Mapping]]] = ...) -> None: ...

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

class FeedbackReceived(_message.Message):
    __slots__ = ("feedback",)
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ...) -> None: ...

class FeedbackAccepted(_message.Message):
    __slots__ = ("feedback",)
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ...) -> None: ...

class FeedbackRejected(_message.Message):
    __slots__ = ("feedback", "reason")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    reason: str
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class FeedbackTransferred(_message.Message):
    __slots__ = ("feedback", "from_agency_code", "to_agency_code", "reason")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    FROM_AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    from_agency_code: str
    to_agency_code: str
    reason: str
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ..., from_agency_code: _Optional[str] = ..., to_agency_code: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class FeedbackReplied(_message.Message):
    __slots__ = ("feedback", "reply")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    reply: PublicReply
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ..., reply: _Optional[_Union[PublicReply, _Mapping]] = ...) -> None: ...

class FeedbackExtended(_message.Message):
    __slots__ = ("feedback", "days", "approval_ref", "approver")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_REF_FIELD_NUMBER: _ClassVar[int]
    APPROVER_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    days: int
    approval_ref: str
    approver: str
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ..., days: _Optional[int] = ..., approval_ref: _Optional[str] = ..., approver: _Optional[str] = ...) -> None: ...

class FeedbackClosed(_message.Message):
    __slots__ = ("feedback",)
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ...) -> None: ...

class FeedbackReopened(_message.Message):
    __slots__ = ("feedback",)
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ...) -> None: ...

class FeedbackOverdue(_message.Message):
    __slots__ = ("feedback", "kind", "due", "detected_at", "due_provisional")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DUE_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AT_FIELD_NUMBER: _ClassVar[int]
    DUE_PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    kind: OverdueKind
    due: str
    detected_at: str
    due_provisional: bool
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ..., kind: _Optional[_Union[OverdueKind, str]] = ..., due: _Optional[str] = ..., detected_at: _Optional[str] = ..., due_provisional: _Optional[bool] = ...) -> None: ...

class FeedbackDeadlineRevised(_message.Message):
    __slots__ = ("feedback", "kind", "previous_due", "due", "provisional", "overdue_cleared", "revised_at")
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_DUE_FIELD_NUMBER: _ClassVar[int]
    DUE_FIELD_NUMBER: _ClassVar[int]
    PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_CLEARED_FIELD_NUMBER: _ClassVar[int]
    REVISED_AT_FIELD_NUMBER: _ClassVar[int]
    feedback: PublicFeedback
    kind: OverdueKind
    previous_due: str
    due: str
    provisional: bool
    overdue_cleared: bool
    revised_at: str
    def __init__(self, feedback: _Optional[_Union[PublicFeedback, _Mapping]] = ..., kind: _Optional[_Union[OverdueKind, str]] = ..., previous_due: _Optional[str] = ..., due: _Optional[str] = ..., provisional: _Optional[bool] = ..., overdue_cleared: _Optional[bool] = ..., revised_at: _Optional[str] = ...) -> None: ...
