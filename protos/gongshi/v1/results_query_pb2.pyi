from gongshi.v1 import common_pb2 as _common_pb2
from gongshi.v1 import results_pb2 as _results_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SearchSort(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEARCH_SORT_UNSPECIFIED: _ClassVar[SearchSort]
    SEARCH_SORT_RELEVANCE: _ClassVar[SearchSort]
    SEARCH_SORT_NEWEST: _ClassVar[SearchSort]
    SEARCH_SORT_OLDEST: _ClassVar[SearchSort]
    SEARCH_SORT_FINE: _ClassVar[SearchSort]

class PowerStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POWER_STATUS_UNSPECIFIED: _ClassVar[PowerStatus]
    POWER_STATUS_HAS_POWER: _ClassVar[PowerStatus]
    POWER_STATUS_NO_POWER: _ClassVar[PowerStatus]
    POWER_STATUS_UNKNOWN: _ClassVar[PowerStatus]
SEARCH_SORT_UNSPECIFIED: SearchSort
SEARCH_SORT_RELEVANCE: SearchSort
SEARCH_SORT_NEWEST: SearchSort
SEARCH_SORT_OLDEST: SearchSort
SEARCH_SORT_FINE: SearchSort
POWER_STATUS_UNSPECIFIED: PowerStatus
POWER_STATUS_HAS_POWER: PowerStatus
POWER_STATUS_NO_POWER: PowerStatus
POWER_STATUS_UNKNOWN: PowerStatus

class SearchResultsRequest(_message.Message):
    __slots__ = ("page", "query", "agency_code", "region_code", "category", "penalty_kind", "decided_from", "decided_to", "status", "sort")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PENALTY_KIND_FIELD_NUMBER: _ClassVar[int]
    DECIDED_FROM_FIELD_NUMBER: _ClassVar[int]
    DECIDED_TO_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    query: str
    agency_code: str
    region_code: str
    category: _results_pb2.DecisionCategory
    penalty_kind: _results_pb2.PenaltyKind
    decided_from: str
    decided_to: str
    status: _results_pb2.ResultStatus
    sort: SearchSort
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., query: _Optional[str] = ..., agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., category: _Optional[_Union[_results_pb2.DecisionCategory, str]] = ..., penalty_kind: _Optional[_Union[_results_pb2.PenaltyKind, str]] = ..., decided_from: _Optional[str] = ..., decided_to: _Optional[str] = ..., status: _Optional[_Union[_results_pb2.ResultStatus, str]] = ..., sort: _Optional[_Union[SearchSort, str]] = ...) -> None: ...

class SearchHit(_message.Message):
    __slots__ = ("result", "snippet")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SNIPPET_FIELD_NUMBER: _ClassVar[int]
    result: _results_pb2.Result
    snippet: str
    def __init__(self, result: _Optional[_Union[_results_pb2.Result, _Mapping]] = ..., snippet: _Optional[str] = ...) -> None: ...

class SearchResultsResponse(_message.Message):
    __slots__ = ("hits", "next_page_token", "total", "total_is_lower_bound")
    HITS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_IS_LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    hits: _containers.RepeatedCompositeFieldContainer[SearchHit]
    next_page_token: str
    total: int
    total_is_lower_bound: bool
    def __init__(self, hits: _Optional[_Iterable[_Union[SearchHit, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total: _Optional[int] = ..., total_is_lower_bound: _Optional[bool] = ...) -> None: ...

class StatisticsRequest(_message.Message):
    __slots__ = ("agency_code", "region_code", "decided_from", "decided_to", "category")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_FROM_FIELD_NUMBER: _ClassVar[int]
    DECIDED_TO_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    region_code: str
    decided_from: str
    decided_to: str
    category: _results_pb2.DecisionCategory
    def __init__(self, agency_code: _Optional[str] = ..., region_code: _Optional[str] = ..., decided_from: _Optional[str] = ..., decided_to: _Optional[str] = ..., category: _Optional[_Union[_results_pb2.DecisionCategory, str]] = ...) -> None: ...

class MonthCategoryCount(_message.Message):
    __slots__ = ("month", "category", "decisions")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    month: str
    category: _results_pb2.DecisionCategory
    decisions: int
    def __init__(self, month: _Optional[str] = ..., category: _Optional[_Union[_results_pb2.DecisionCategory, str]] = ..., decisions: _Optional[int] = ...) -> None: ...

class PenaltyKindCount(_message.Message):
    __slots__ = ("kind", "decisions")
    KIND_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    kind: _results_pb2.PenaltyKind
    decisions: int
    def __init__(self, kind: _Optional[_Union[_results_pb2.PenaltyKind, str]] = ..., decisions: _Optional[int] = ...) -> None: ...

class GroupTotals(_message.Message):
    __slots__ = ("key", "decisions", "published", "published_on_time", "fine_amount_fen", "confiscation_amount_fen", "penalty_kinds", "name")
    KEY_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    FINE_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    CONFISCATION_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PENALTY_KINDS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    key: str
    decisions: int
    published: int
    published_on_time: int
    fine_amount_fen: int
    confiscation_amount_fen: int
    penalty_kinds: _containers.RepeatedCompositeFieldContainer[PenaltyKindCount]
    name: str
    def __init__(self, key: _Optional[str] = ..., decisions: _Optional[int] = ..., published: _Optional[int] = ..., published_on_time: _Optional[int] = ..., fine_amount_fen: _Optional[int] = ..., confiscation_amount_fen: _Optional[int] = ..., penalty_kinds: _Optional[_Iterable[_Union[PenaltyKindCount, _Mapping]]] = ..., name: _Optional[str] = ...) -> None: ...

class StatisticsResponse(_message.Message):
    __slots__ = ("per_month", "decisions", "published", "published_on_time", "penalty_kinds", "fine_amount_fen", "confiscation_amount_fen", "by_region", "by_agency")
    PER_MONTH_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    PENALTY_KINDS_FIELD_NUMBER: _ClassVar[int]
    FINE_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    CONFISCATION_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    BY_REGION_FIELD_NUMBER: _ClassVar[int]
    BY_AGENCY_FIELD_NUMBER: _ClassVar[int]
    per_month: _containers.RepeatedCompositeFieldContainer[MonthCategoryCount]
    decisions: int
    published: int
    published_on_time: int
    penalty_kinds: _containers.RepeatedCompositeFieldContainer[PenaltyKindCount]
    fine_amount_fen: int
    confiscation_amount_fen: int
    by_region: _containers.RepeatedCompositeFieldContainer[GroupTotals]
    by_agency: _containers.RepeatedCompositeFieldContainer[GroupTotals]
    def __init__(self, per_month: _Optional[_Iterable[_Union[MonthCategoryCount, _Mapping]]] = ..., decisions: _Optional[int] = ..., published: _Optional[int] = ..., published_on_time: _Optional[int] = ..., penalty_kinds: _Optional[_Iterable[_Union[PenaltyKindCount, _Mapping]]] = ..., fine_amount_fen: _Optional[int] = ..., confiscation_amount_fen: _Optional[int] = ..., by_region: _Optional[_Iterable[_Union[GroupTotals, _Mapping]]] = ..., by_agency: _Optional[_Iterable[_Union[GroupTotals, _Mapping]]] = ...) -> None: ...

class AnnualReportRequest(_message.Message):
    __slots__ = ("agency_code", "year")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    year: int
    def __init__(self, agency_code: _Optional[str] = ..., year: _Optional[int] = ...) -> None: ...

class BehaviourCount(_message.Message):
    __slots__ = ("category", "power", "decisions")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    POWER_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    category: _results_pb2.DecisionCategory
    power: PowerStatus
    decisions: int
    def __init__(self, category: _Optional[_Union[_results_pb2.DecisionCategory, str]] = ..., power: _Optional[_Union[PowerStatus, str]] = ..., decisions: _Optional[int] = ...) -> None: ...

class AnnualEnforcementReport(_message.Message):
    __slots__ = ("agency_code", "agency_name", "year", "behaviours", "penalty_table", "penalty_decisions", "fine_and_confiscation_fen", "generated_at", "status", "narrative", "confirmed_at", "deadline", "revision")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_NAME_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    BEHAVIOURS_FIELD_NUMBER: _ClassVar[int]
    PENALTY_TABLE_FIELD_NUMBER: _ClassVar[int]
    PENALTY_DECISIONS_FIELD_NUMBER: _ClassVar[int]
    FINE_AND_CONFISCATION_FEN_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NARRATIVE_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    agency_name: str
    year: int
    behaviours: _containers.RepeatedCompositeFieldContainer[BehaviourCount]
    penalty_table: _containers.RepeatedCompositeFieldContainer[PenaltyKindCount]
    penalty_decisions: int
    fine_and_confiscation_fen: int
    generated_at: str
    status: _results_pb2.AnnualReportStatus
    narrative: str
    confirmed_at: str
    deadline: str
    revision: int
    def __init__(self, agency_code: _Optional[str] = ..., agency_name: _Optional[str] = ..., year: _Optional[int] = ..., behaviours: _Optional[_Iterable[_Union[BehaviourCount, _Mapping]]] = ..., penalty_table: _Optional[_Iterable[_Union[PenaltyKindCount, _Mapping]]] = ..., penalty_decisions: _Optional[int] = ..., fine_and_confiscation_fen: _Optional[int] = ..., generated_at: _Optional[str] = ..., status: _Optional[_Union[_results_pb2.AnnualReportStatus, str]] = ..., narrative: _Optional[str] = ..., confirmed_at: _Optional[str] = ..., deadline: _Optional[str] = ..., revision: _Optional[int] = ...) -> None: ...
