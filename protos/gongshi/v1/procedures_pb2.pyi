from gongshi.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChannelType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_TYPE_UNSPECIFIED: _ClassVar[ChannelType]
    CHANNEL_TYPE_COMPLAINT: _ClassVar[ChannelType]
    CHANNEL_TYPE_ADMINISTRATIVE_REVIEW: _ClassVar[ChannelType]
    CHANNEL_TYPE_ADMINISTRATIVE_LITIGATION: _ClassVar[ChannelType]
    CHANNEL_TYPE_HOTLINE_12345: _ClassVar[ChannelType]
    CHANNEL_TYPE_SUPERVISION_PHONE: _ClassVar[ChannelType]
    CHANNEL_TYPE_LETTER: _ClassVar[ChannelType]
    CHANNEL_TYPE_ONLINE: _ClassVar[ChannelType]

class PartyRight(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PARTY_RIGHT_UNSPECIFIED: _ClassVar[PartyRight]
    PARTY_RIGHT_HEARING: _ClassVar[PartyRight]
    PARTY_RIGHT_STATEMENT: _ClassVar[PartyRight]
    PARTY_RIGHT_DEFENCE: _ClassVar[PartyRight]
CHANNEL_TYPE_UNSPECIFIED: ChannelType
CHANNEL_TYPE_COMPLAINT: ChannelType
CHANNEL_TYPE_ADMINISTRATIVE_REVIEW: ChannelType
CHANNEL_TYPE_ADMINISTRATIVE_LITIGATION: ChannelType
CHANNEL_TYPE_HOTLINE_12345: ChannelType
CHANNEL_TYPE_SUPERVISION_PHONE: ChannelType
CHANNEL_TYPE_LETTER: ChannelType
CHANNEL_TYPE_ONLINE: ChannelType
PARTY_RIGHT_UNSPECIFIED: PartyRight
PARTY_RIGHT_HEARING: PartyRight
PARTY_RIGHT_STATEMENT: PartyRight
PARTY_RIGHT_DEFENCE: PartyRight

class ProceduresInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ProceduresInfoResponse(_message.Message):
    __slots__ = ("procedures",)
    PROCEDURES_FIELD_NUMBER: _ClassVar[int]
    procedures: int
    def __init__(self, procedures: _Optional[int] = ...) -> None: ...

class ProcedureStep(_message.Message):
    __slots__ = ("name", "actor", "time_limit", "output_document", "description")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    actor: str
    time_limit: str
    output_document: str
    description: str
    def __init__(self, name: _Optional[str] = ..., actor: _Optional[str] = ..., time_limit: _Optional[str] = ..., output_document: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class Procedure(_message.Message):
    __slots__ = ("agency_code", "code", "duty_item_code", "name", "steps", "accepting_unit", "approving_unit", "acceptance_conditions", "required_materials", "statutory_time_limit_days", "promised_time_limit_days", "time_limit_note", "fees", "hearing_applicable", "status_query_channel", "forms_download", "consultation_channel", "publication", "region_code")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DUTY_ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTING_UNIT_FIELD_NUMBER: _ClassVar[int]
    APPROVING_UNIT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_MATERIALS_FIELD_NUMBER: _ClassVar[int]
    STATUTORY_TIME_LIMIT_DAYS_FIELD_NUMBER: _ClassVar[int]
    PROMISED_TIME_LIMIT_DAYS_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_NOTE_FIELD_NUMBER: _ClassVar[int]
    FEES_FIELD_NUMBER: _ClassVar[int]
    HEARING_APPLICABLE_FIELD_NUMBER: _ClassVar[int]
    STATUS_QUERY_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    FORMS_DOWNLOAD_FIELD_NUMBER: _ClassVar[int]
    CONSULTATION_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    code: str
    duty_item_code: str
    name: str
    steps: _containers.RepeatedCompositeFieldContainer[ProcedureStep]
    accepting_unit: str
    approving_unit: str
    acceptance_conditions: str
    required_materials: _containers.RepeatedScalarFieldContainer[str]
    statutory_time_limit_days: int
    promised_time_limit_days: int
    time_limit_note: str
    fees: str
    hearing_applicable: bool
    status_query_channel: str
    forms_download: str
    consultation_channel: str
    publication: _common_pb2.Publication
    region_code: str
    def __init__(self, agency_code: _Optional[str] = ..., code: _Optional[str] = ..., duty_item_code: _Optional[str] = ..., name: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[ProcedureStep, _Mapping]]] = ..., accepting_unit: _Optional[str] = ..., approving_unit: _Optional[str] = ..., acceptance_conditions: _Optional[str] = ..., required_materials: _Optional[_Iterable[str]] = ..., statutory_time_limit_days: _Optional[int] = ..., promised_time_limit_days: _Optional[int] = ..., time_limit_note: _Optional[str] = ..., fees: _Optional[str] = ..., hearing_applicable: _Optional[bool] = ..., status_query_channel: _Optional[str] = ..., forms_download: _Optional[str] = ..., consultation_channel: _Optional[str] = ..., publication: _Optional[_Union[_common_pb2.Publication, _Mapping]] = ..., region_code: _Optional[str] = ...) -> None: ...

class PutProcedureRequest(_message.Message):
    __slots__ = ("procedure", "reason", "publish")
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    procedure: Procedure
    reason: str
    publish: bool
    def __init__(self, procedure: _Optional[_Union[Procedure, _Mapping]] = ..., reason: _Optional[str] = ..., publish: _Optional[bool] = ...) -> None: ...

class PutProcedureResponse(_message.Message):
    __slots__ = ("procedure", "changed")
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    procedure: Procedure
    changed: bool
    def __init__(self, procedure: _Optional[_Union[Procedure, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class ListProceduresRequest(_message.Message):
    __slots__ = ("page", "agency_code", "region_code", "duty_item_code", "query")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    DUTY_ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    region_code: str
    duty_item_code: str
    query: str
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., duty_item_code: _Optional[str] = ..., query: _Optional[str] = ...) -> None: ...

class ListProceduresResponse(_message.Message):
    __slots__ = ("procedures", "next_page_token", "total")
    PROCEDURES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    procedures: _containers.RepeatedCompositeFieldContainer[Procedure]
    next_page_token: str
    total: int
    def __init__(self, procedures: _Optional[_Iterable[_Union[Procedure, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class ProcedureVersions(_message.Message):
    __slots__ = ("versions", "next_page_token", "total")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[Procedure]
    next_page_token: str
    total: int
    def __init__(self, versions: _Optional[_Iterable[_Union[Procedure, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class SupervisionChannel(_message.Message):
    __slots__ = ("agency_code", "code", "type", "name", "receiving_body", "phone", "postal_address", "postcode", "email", "url", "acceptance_procedure", "acceptance_time_limit_days", "handling_time_limit_days", "party_rights", "review_deadline", "litigation_deadline", "duty_item_codes", "publication", "region_code")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RECEIVING_BODY_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    POSTAL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    POSTCODE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_TIME_LIMIT_DAYS_FIELD_NUMBER: _ClassVar[int]
    HANDLING_TIME_LIMIT_DAYS_FIELD_NUMBER: _ClassVar[int]
    PARTY_RIGHTS_FIELD_NUMBER: _ClassVar[int]
    REVIEW_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    LITIGATION_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DUTY_ITEM_CODES_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    code: str
    type: ChannelType
    name: str
    receiving_body: str
    phone: str
    postal_address: str
    postcode: str
    email: str
    url: str
    acceptance_procedure: str
    acceptance_time_limit_days: int
    handling_time_limit_days: int
    party_rights: _containers.RepeatedScalarFieldContainer[PartyRight]
    review_deadline: str
    litigation_deadline: str
    duty_item_codes: _containers.RepeatedScalarFieldContainer[str]
    publication: _common_pb2.Publication
    region_code: str
    def __init__(self, agency_code: _Optional[str] = ..., code: _Optional[str] = ..., type: _Optional[_Union[ChannelType, str]] = ..., name: _Optional[str] = ..., receiving_body: _Optional[str] = ..., phone: _Optional[str] = ..., postal_address: _Optional[str] = ..., postcode: _Optional[str] = ..., email: _Optional[str] = ..., url: _Optional[str] = ..., acceptance_procedure: _Optional[str] = ..., acceptance_time_limit_days: _Optional[int] = ..., handling_time_limit_days: _Optional[int] = ..., party_rights: _Optional[_Iterable[_Union[PartyRight, str]]] = ..., review_deadline: _Optional[str] = ..., litigation_deadline: _Optional[str] = ..., duty_item_codes: _Optional[_Iterable[str]] = ..., publication: _Optional[_Union[_common_pb2.Publication, _Mapping]] = ..., region_code: _Optional[str] = ...) -> None: ...

class PutSupervisionChannelRequest(_message.Message):
    __slots__ = ("channel", "reason", "publish")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    channel: SupervisionChannel
    reason: str
    publish: bool
    def __init__(self, channel: _Optional[_Union[SupervisionChannel, _Mapping]] = ..., reason: _Optional[str] = ..., publish: _Optional[bool] = ...) -> None: ...

class PutSupervisionChannelResponse(_message.Message):
    __slots__ = ("channel", "changed")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    channel: SupervisionChannel
    changed: bool
    def __init__(self, channel: _Optional[_Union[SupervisionChannel, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class ListSupervisionChannelsRequest(_message.Message):
    __slots__ = ("page", "agency_code", "region_code", "type")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    agency_code: str
    region_code: str
    type: ChannelType
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., type: _Optional[_Union[ChannelType, str]] = ...) -> None: ...

class ListSupervisionChannelsResponse(_message.Message):
    __slots__ = ("channels", "next_page_token", "total")
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedCompositeFieldContainer[SupervisionChannel]
    next_page_token: str
    total: int
    def __init__(self, channels: _Optional[_Iterable[_Union[SupervisionChannel, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class SupervisionChannelVersions(_message.Message):
    __slots__ = ("versions", "next_page_token", "total")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[SupervisionChannel]
    next_page_token: str
    total: int
    def __init__(self, versions: _Optional[_Iterable[_Union[SupervisionChannel, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class InspectionItem(_message.Message):
    __slots__ = ("agency_code", "code", "item", "sub_item", "inspecting_body", "basis", "method", "content", "targets", "ratio_percent", "frequency", "handling_unit", "remarks", "duty_item_code", "publication", "region_code")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    SUB_ITEM_FIELD_NUMBER: _ClassVar[int]
    INSPECTING_BODY_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    RATIO_PERCENT_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    HANDLING_UNIT_FIELD_NUMBER: _ClassVar[int]
    REMARKS_FIELD_NUMBER: _ClassVar[int]
    DUTY_ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    code: str
    item: str
    sub_item: str
    inspecting_body: str
    basis: _containers.RepeatedScalarFieldContainer[str]
    method: str
    content: str
    targets: str
    ratio_percent: float
    frequency: str
    handling_unit: str
    remarks: str
    duty_item_code: str
    publication: _common_pb2.Publication
    region_code: str
    def __init__(self, agency_code: _Optional[str] = ..., code: _Optional[str] = ..., item: _Optional[str] = ..., sub_item: _Optional[str] = ..., inspecting_body: _Optional[str] = ..., basis: _Optional[_Iterable[str]] = ..., method: _Optional[str] = ..., content: _Optional[str] = ..., targets: _Optional[str] = ..., ratio_percent: _Optional[float] = ..., frequency: _Optional[str] = ..., handling_unit: _Optional[str] = ..., remarks: _Optional[str] = ..., duty_item_code: _Optional[str] = ..., publication: _Optional[_Union[_common_pb2.Publication, _Mapping]] = ..., region_code: _Optional[str] = ...) -> None: ...

class PutInspectionItemRequest(_message.Message):
    __slots__ = ("inspection_item", "reason", "publish")
    INSPECTION_ITEM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    inspection_item: InspectionItem
    reason: str
    publish: bool
    def __init__(self, inspection_item: _Optional[_Union[InspectionItem, _Mapping]] = ..., reason: _Optional[str] = ..., publish: _Optional[bool] = ...) -> None: ...

class PutInspectionItemResponse(_message.Message):
    __slots__ = ("inspection_item", "changed")
    INSPECTION_ITEM_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    inspection_item: InspectionItem
    changed: bool
    def __init__(self, inspection_item: _Optional[_Union[InspectionItem, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class ListInspectionItemsRequest(_message.Message):
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

class ListInspectionItemsResponse(_message.Message):
    __slots__ = ("inspection_items", "next_page_token", "total")
    INSPECTION_ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    inspection_items: _containers.RepeatedCompositeFieldContainer[InspectionItem]
    next_page_token: str
    total: int
    def __init__(self, inspection_items: _Optional[_Iterable[_Union[InspectionItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class InspectionItemVersions(_message.Message):
    __slots__ = ("versions", "next_page_token", "total")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[InspectionItem]
    next_page_token: str
    total: int
    def __init__(self, versions: _Optional[_Iterable[_Union[InspectionItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class ProcedurePublished(_message.Message):
    __slots__ = ("procedure",)
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    procedure: Procedure
    def __init__(self, procedure: _Optional[_Union[Procedure, _Mapping]] = ...) -> None: ...

class ProcedureRevised(_message.Message):
    __slots__ = ("procedure", "previous_version")
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    procedure: Procedure
    previous_version: int
    def __init__(self, procedure: _Optional[_Union[Procedure, _Mapping]] = ..., previous_version: _Optional[int] = ...) -> None: ...

class ProcedureRetired(_message.Message):
    __slots__ = ("procedure",)
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    procedure: Procedure
    def __init__(self, procedure: _Optional[_Union[Procedure, _Mapping]] = ...) -> None: ...

class SupervisionChannelPublished(_message.Message):
    __slots__ = ("channel",)
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: SupervisionChannel
    def __init__(self, channel: _Optional[_Union[SupervisionChannel, _Mapping]] = ...) -> None: ...

class SupervisionChannelRevised(_message.Message):
    __slots__ = ("channel", "previous_version")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    channel: SupervisionChannel
    previous_version: int
    def __init__(self, channel: _Optional[_Union[SupervisionChannel, _Mapping]] = ..., previous_version: _Optional[int] = ...) -> None: ...

class SupervisionChannelRetired(_message.Message):
    __slots__ = ("channel",)
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: SupervisionChannel
    def __init__(self, channel: _Optional[_Union[SupervisionChannel, _Mapping]] = ...) -> None: ...

class InspectionItemPublished(_message.Message):
    __slots__ = ("inspection_item",)
    INSPECTION_ITEM_FIELD_NUMBER: _ClassVar[int]
    inspection_item: InspectionItem
    def __init__(self, inspection_item: _Optional[_Union[InspectionItem, _Mapping]] = ...) -> None: ...

class InspectionItemRevised(_message.Message):
    __slots__ = ("inspection_item", "previous_version")
    INSPECTION_ITEM_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_FIELD_NUMBER: _ClassVar[int]
    inspection_item: InspectionItem
    previous_version: int
    def __init__(self, inspection_item: _Optional[_Union[InspectionItem, _Mapping]] = ..., previous_version: _Optional[int] = ...) -> None: ...

class InspectionItemRetired(_message.Message):
    __slots__ = ("inspection_item",)
    INSPECTION_ITEM_FIELD_NUMBER: _ClassVar[int]
    inspection_item: InspectionItem
    def __init__(self, inspection_item: _Optional[_Union[InspectionItem, _Mapping]] = ...) -> None: ...
