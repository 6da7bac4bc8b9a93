"""The checks of alarm event and case filters, as tables: what each refuses, with which field
and reason, and that well-formed filters come back with the VIN normalised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.core.alarm_cases.query import CaseFilter, clean_case_filter
from backend.core.alarms.query import EventFilter, clean_filter
from backend.core.data_errors import InvalidArgument

T = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
NAIVE = datetime(2026, 12, 6, 8, 0)  # no UTC offset: the fault under test


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"code": ""}, "code", "invalid_choice"),
    ({"code": "x" * 65}, "code", "invalid_choice"),
    ({"code": "绝缘"}, "code", "invalid_choice"),
    ({"opened_from": NAIVE}, "opened_from", "invalid"),
    ({"opened_to": NAIVE}, "opened_to", "invalid"),
    ({"opened_from": T, "opened_to": T}, "opened_to", "out_of_range"),
    ({"opened_from": T, "opened_to": T - timedelta(seconds=1)}, "opened_to", "out_of_range"),
])
def test_event_and_case_filters_refuse_the_same_faults(changes: dict[str, object], field: str,
                                                       reason: str) -> None:
    with pytest.raises(InvalidArgument) as event_refusal:
        clean_filter(EventFilter(**changes))
    with pytest.raises(InvalidArgument) as case_refusal:
        clean_case_filter(CaseFilter(**changes))
    for refused in (event_refusal, case_refusal):
        assert (refused.value.field, refused.value.reason) == (field, reason)


@pytest.mark.parametrize(("filters", "field"), [
    (EventFilter(min_level=0), "min_level"),
    (EventFilter(min_level=5), "min_level"),
    (EventFilter(vin="short"), None),
])
def test_event_filter_faults_of_its_own(filters: EventFilter, field: str | None) -> None:
    with pytest.raises(InvalidArgument) as refused:
        clean_filter(filters)
    if field is not None:
        assert refused.value.field == field


@pytest.mark.parametrize(("filters", "field"), [
    (CaseFilter(level=0), "level"),
    (CaseFilter(level=5), "level"),
    (CaseFilter(assignee=""), "assignee"),
    (CaseFilter(assignee="a" * 201), "assignee"),
])
def test_case_filter_faults_of_its_own(filters: CaseFilter, field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        clean_case_filter(filters)
    assert refused.value.field == field


def test_well_formed_filters_pass_with_the_vin_normalised() -> None:
    vin = "lnbscb3f5jw000001"
    events = clean_filter(EventFilter(vin=vin, min_level=3, code="insulation_low",
                                      opened_from=T, opened_to=T + timedelta(days=1)))
    cases = clean_case_filter(CaseFilter(vin=vin, level=4, code="insulation_low",
                                         assignee="user:7", opened_from=T))
    assert events.vin == cases.vin == vin.upper()
    assert (events.min_level, events.code, cases.level, cases.assignee) == (
        3, "insulation_low", 4, "user:7")
