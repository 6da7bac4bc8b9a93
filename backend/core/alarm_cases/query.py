"""Case queries: the filter, its checks, and what a reader gets back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.core.alarm_cases.workflow import Case, CaseState, Step
from backend.core.alarms.conditions import Source
from backend.core.alarms.query import check_code_and_opened
from backend.core.data_errors import InvalidArgument
from backend.core.vehicles import clean_vin


@dataclass(frozen=True, slots=True)
class CaseFilter:
    vin: str | None = None
    model_id: int | None = None
    level: int | None = None  # the case's alarm level, exactly
    code: str | None = None  # the alarm type
    state: CaseState | None = None
    assignee: str | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None  # [opened_from, opened_to) on the case's opened_at


def clean_case_filter(filters: CaseFilter) -> CaseFilter:
    if filters.level is not None and not 1 <= filters.level <= 4:
        raise InvalidArgument("levels are 1 to 4", field="level", reason="out_of_range")
    check_code_and_opened(filters.code, filters.opened_from, filters.opened_to)
    if filters.assignee is not None and not 0 < len(filters.assignee) <= 200:
        raise InvalidArgument("not an assignee", field="assignee", reason="too_long")
    vin = None if filters.vin is None else clean_vin(filters.vin)
    return CaseFilter(vin, filters.model_id, filters.level, filters.code, filters.state,
                      filters.assignee, filters.opened_from, filters.opened_to)


def case_query_shape(filters: CaseFilter) -> str:
    return "alarm_cases:" + repr(filters)


@dataclass(frozen=True, slots=True)
class Evidence:
    id: str
    file_name: str
    content_type: str
    added_by: str
    added_at: datetime
    object_key: str


@dataclass(frozen=True, slots=True)
class CaseView:
    case: Case
    source: Source
    code: str
    model_id: int | None
    event_state: str  # the alarm itself: open or closed


@dataclass(frozen=True, slots=True)
class CaseDetail:
    view: CaseView
    steps: tuple[Step, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class CasePage:
    items: tuple[CaseView, ...]
    next_cursor: str | None
