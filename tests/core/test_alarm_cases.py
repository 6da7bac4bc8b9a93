"""The pure alarm handling core: workflow transitions, working-day deadlines, escalation,
rota resolution, policies, webhook signatures and retry backoff."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.alarm_cases.calendar import SlaSettings, calendar
from backend.core.alarm_cases.delivery import (
    MAX_ATTEMPTS,
    MAX_DELAY,
    DeliveryStatus,
    after_failure,
    retry_delay,
)
from backend.core.alarm_cases.errors import IllegalTransition, InvalidSettings
from backend.core.alarm_cases.escalation import (
    EscalationKind,
    confirm_breached,
    escalated,
    escalation_due,
)
from backend.core.alarm_cases.messages import parse_live
from backend.core.alarm_cases.notices import sign, verify
from backend.core.alarm_cases.policy import (
    ALL_CHANNELS,
    HandlingSettings,
    settings_from_document,
)
from backend.core.alarm_cases.rota import rota_from_document
from backend.core.alarm_cases.workflow import (
    Case,
    CaseState,
    Disposition,
    acknowledge,
    assign,
    dispose,
    reopen,
)
from backend.core.data_errors import InvalidArgument

T0 = datetime(2024, 9, 27, 7, 0, tzinfo=UTC)  # Friday 15:00 in Beijing
SLA = SlaSettings()


def new_case() -> Case:
    return Case("c1", "e1", "LVIN", 3, CaseState.OPEN, T0, SLA.confirm_due(T0),
                SLA.dispose_due(T0))


def test_workflow_transitions() -> None:
    case = new_case()
    with pytest.raises(IllegalTransition):
        dispose(case, "u", T0, Disposition.FALSE_ALARM)
    with pytest.raises(IllegalTransition):
        assign(case, "u", T0, "li")
    case, step = acknowledge(case, "user:1", T0)
    assert (case.state, case.acknowledged_by, step.actor) == (CaseState.ACKNOWLEDGED,
                                                               "user:1", "user:1")
    with pytest.raises(IllegalTransition):
        acknowledge(case, "user:2", T0)
    with pytest.raises(InvalidArgument):
        assign(case, "u", T0, "   ")
    case, _ = assign(case, "u", T0, "li")
    with pytest.raises(InvalidArgument):  # a confirmed fault says what is repaired
        dispose(case, "u", T0, Disposition.CONFIRMED_FAULT)
    case, step = dispose(case, "u", T0, Disposition.CONFIRMED_FAULT, "cell module replaced")
    assert (case.state, step.disposition) == (CaseState.DISPOSED, Disposition.CONFIRMED_FAULT)
    case, _ = reopen(case, "u", T0, "came back")
    assert (case.state, case.disposition, case.reopen_count) == (CaseState.ASSIGNED, None, 1)


def test_working_days_holidays_and_makeup_days() -> None:
    # Friday afternoon, 1 working day: due at the end of Monday (Beijing).
    one = SlaSettings(dispose_working_days=1)
    assert one.dispose_due(T0) == datetime(2024, 9, 30, 16, 0, tzinfo=UTC)
    # National Day 2024 as a tenant enters it: 1-7 Oct off, Sunday 29 Sep worked.
    holidays = [date(2024, 10, d) for d in range(1, 8)]
    golden = calendar(range(5), holidays, [date(2024, 9, 29)])
    week = SlaSettings(dispose_working_days=3, calendar=golden)
    # Sun 29 Sep (make-up), Mon 30 Sep, then Tue 8 Oct.
    assert week.dispose_due(T0) == datetime(2024, 10, 8, 16, 0, tzinfo=UTC)
    with pytest.raises(InvalidSettings):
        calendar([], [])
    with pytest.raises(InvalidSettings):
        calendar(range(5), ["2024-13-01"])
    with pytest.raises(InvalidSettings):
        calendar(range(5), zone="Mars/Olympus")


@given(st.integers(1, 60), st.datetimes(min_value=datetime(2020, 1, 1),
                                        max_value=datetime(2030, 1, 1), timezones=st.just(UTC)))
def test_a_deadline_is_later_and_grows_with_the_days(days: int, start: datetime) -> None:
    sla = SlaSettings(dispose_working_days=days)
    due = sla.dispose_due(start)
    assert due > start + timedelta(days=days)
    assert SlaSettings(dispose_working_days=days + 1).dispose_due(start) > due


def test_escalation_schedule() -> None:
    case = new_case()
    assert escalation_due(case, T0 + timedelta(minutes=14), SLA) is None
    first = escalation_due(case, T0 + timedelta(minutes=15), SLA)
    assert first is not None and (first.kind, first.number) == (
        EscalationKind.CONFIRM_OVERDUE, 1)
    case = escalated(case, first, T0 + timedelta(minutes=15))
    assert escalation_due(case, T0 + timedelta(minutes=29), SLA) is None
    for number in (2, 3):
        now = T0 + timedelta(minutes=15 * number)
        due = escalation_due(case, now, SLA)
        assert due is not None and due.number == number
        case = escalated(case, due, now)
    assert escalation_due(case, T0 + timedelta(hours=5), SLA) is None  # at most 3
    assert confirm_breached(case, T0 + timedelta(hours=5))
    acked, _ = acknowledge(case, "u", T0 + timedelta(hours=5))
    assert escalation_due(acked, T0 + timedelta(days=1), SLA) is None
    late = escalation_due(acked, acked.dispose_due, SLA)
    assert late is not None and late.kind is EscalationKind.DISPOSE_OVERDUE
    assert escalation_due(escalated(acked, late, acked.dispose_due),
                          acked.dispose_due + timedelta(days=3), SLA) is None


def test_rota_shifts_overrides_and_gaps() -> None:
    rota = rota_from_document({
        "people": [{"key": "day", "name": "Day", "email": "d@x.test"},
                   {"key": "night", "name": "Night", "phone": "+8613900000000"},
                   {"key": "cover", "name": "Cover", "email": "c@x.test"}],
        "shifts": [{"weekday": d, "start": "08:00", "end": "20:00", "people": ["day"]}
                   for d in range(7)] +
                  [{"weekday": d, "start": "20:00", "end": "08:00", "people": ["night"]}
                   for d in range(7)],
        "overrides": [{"start": "2024-09-27T00:00:00+00:00", "end": "2024-09-27T04:00:00+00:00",
                       "people": ["cover"]}],
        "escalation": ["cover"]})
    assert rota.coverage_gaps() == []
    assert [p.key for p in rota.on_duty(T0)] == ["day"]  # 15:00 Beijing
    assert [p.key for p in rota.on_duty(T0 + timedelta(hours=8))] == ["night"]  # 23:00
    # Sunday 23:00 → Monday 08:00 wraps round the week.
    assert [p.key for p in rota.on_duty(datetime(2024, 9, 29, 22, 0, tzinfo=UTC))] == ["night"]
    assert [p.key for p in rota.on_duty(datetime(2024, 9, 27, 1, 0, tzinfo=UTC))] == ["cover"]
    partial = rota_from_document({"people": [{"key": "a", "name": "A"}], "shifts": [
        {"weekday": 0, "start": "09:00", "end": "17:00", "people": ["a"]}]})
    assert partial.coverage_gaps() == [(0, 540), (1020, 7 * 1440)]
    for broken in ({"people": [{"key": "a"}], "shifts": [{"weekday": 0, "start": "09:00",
                                                          "end": "17:00", "people": ["b"]}]},
                   {"people": [{"key": "a b"}]}, {"people": [{"key": "a", "email": "no"}]},
                   {"shifts": [{"weekday": 9, "start": "x"}]}, {"people": "oops"}):
        with pytest.raises(InvalidSettings):
            rota_from_document(broken)


def test_policy_defaults_and_documents() -> None:
    settings = HandlingSettings()
    assert settings.policy(4).open_case and settings.policy(3).channels == ALL_CHANNELS
    assert settings.policy(2).channels == ALL_CHANNELS and not settings.policy(2).open_case
    assert not settings.policy(1).channels and not settings.policy(1).open_case
    assert settings_from_document(settings.to_document()) == settings
    with pytest.raises(InvalidSettings):
        settings_from_document({"policies": [{"level": 9, "channels": [], "open_case": True}]})
    with pytest.raises(InvalidSettings):
        settings_from_document({"sla": {"confirm_minutes": 0}})


def test_signature_and_replay_window() -> None:
    body = b'{"vin":"LVIN"}'
    now = datetime.now(UTC)
    stamp = int(now.timestamp())
    signature = sign(b"k", stamp, body)
    assert verify(b"k", str(stamp), body, signature, now)
    assert not verify(b"k", str(stamp), body + b" ", signature, now)
    assert not verify(b"k", str(stamp), body, signature, now + timedelta(minutes=6))
    assert not verify(b"k", "soon", body, signature, now)


def test_backoff() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert retry_delay(60) == MAX_DELAY
    assert after_failure(1, T0) == (DeliveryStatus.PENDING, T0 + timedelta(seconds=10))
    assert after_failure(MAX_ATTEMPTS, T0) == (DeliveryStatus.FAILED, None)


@given(st.binary(max_size=200))
def test_live_messages_are_read_defensively(payload: bytes) -> None:
    for from_cases in (True, False):
        parse_live(payload, from_cases=from_cases)
