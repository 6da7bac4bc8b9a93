"""Alarm event queries: the filter, its checks, and what a reader gets back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from backend.core.data_errors import InvalidArgument
from backend.core.vehicles import clean_vin

from .compliance import FlagKind
from .conditions import Source
from .lifecycle import AlarmEvent, EventState
from .rules import MAX_LEVEL

MAX_CODE_LENGTH: Final = 64


@dataclass(frozen=True, slots=True)
class EventFilter:
    vin: str | None = None
    model_id: int | None = None
    min_level: int | None = None
    """On the peak level: "level 3 or worse" finds events that reached it."""
    source: Source | None = None
    code: str | None = None
    state: EventState | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    """Events whose ``opened_at`` is in [opened_from, opened_to)."""


def check_code_and_opened(code: str | None, opened_from: datetime | None,
                          opened_to: datetime | None) -> None:
    """The checks event and case filters share: a plausible condition code and an
    [opened_from, opened_to) range of aware times that is not empty."""
    if code is not None and not (0 < len(code) <= MAX_CODE_LENGTH and code.isascii()):
        raise InvalidArgument("not a condition code", field="code", reason="invalid_choice")
    for name, value in (("opened_from", opened_from), ("opened_to", opened_to)):
        if value is not None and value.tzinfo is None:
            raise InvalidArgument("times need a UTC offset", field=name)
    if opened_from and opened_to and opened_from >= opened_to:
        raise InvalidArgument("opened_from must be before opened_to", field="opened_to",
                              reason="out_of_range")


def clean_filter(filters: EventFilter) -> EventFilter:
    if filters.min_level is not None and not 1 <= filters.min_level <= MAX_LEVEL:
        raise InvalidArgument(f"levels are 1 to {MAX_LEVEL}", field="min_level",
                              reason="out_of_range")
    check_code_and_opened(filters.code, filters.opened_from, filters.opened_to)
    vin = None if filters.vin is None else clean_vin(filters.vin)
    return EventFilter(vin, filters.model_id, filters.min_level, filters.source, filters.code,
                       filters.state, filters.opened_from, filters.opened_to)


def query_shape(filters: EventFilter) -> str:
    """What a cursor is bound to (backend/core/cursor.py)."""
    return "alarm_events:" + repr(filters)


@dataclass(frozen=True, slots=True)
class ComplianceFlagView:
    kind: FlagKind
    detected_at: datetime
    details: dict[str, object]


@dataclass(frozen=True, slots=True)
class AlarmEventView:
    event: AlarmEvent
    model_id: int | None
    flags: tuple[ComplianceFlagView, ...]


@dataclass(frozen=True, slots=True)
class AlarmEventPage:
    items: tuple[AlarmEventView, ...]
    next_cursor: str | None
